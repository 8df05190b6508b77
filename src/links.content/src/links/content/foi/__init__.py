"""Freedom of information: requests with the 20-working-day clock, held-information search across
record versions, redactions as their own versioned records, signed disclosure bundles and the
public disclosure log."""
