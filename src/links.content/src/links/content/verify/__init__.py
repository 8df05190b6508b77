"""Anyone can check a document the site issued: the record of issue, the verification service and page."""
