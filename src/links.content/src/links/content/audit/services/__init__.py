"""REST services of the audit trail: @audit (per record and site-wide), @audit-verify, @audit-export,
@audit-checkpoint (public), @audit-proof and @audit-consistency."""
