"""The clocks table on a record's page."""
