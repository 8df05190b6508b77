"""REST services of the audit trail: @audit (per record and site-wide), @audit-verify, @audit-export."""
