"""Full version history of records: who changed what and when, field-by-field comparison, the
record "as it stood on" a date, append-only reverts, and relations as they were (CMFEditions keeps
today's relations on old versions; ``relations.py`` keeps a snapshot per version)."""
