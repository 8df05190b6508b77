"""REST services of the complaints procedure."""
