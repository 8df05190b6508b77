"""timestamps: RFC 3161 timestamps from the timestamp authority configured in the registry."""
