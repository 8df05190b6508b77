"""Browser views of the complaints procedure."""
