"""Pages of the version history: compare two versions, and the record as it stood on a date."""
