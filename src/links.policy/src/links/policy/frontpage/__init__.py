"""The home page of a LINk site: the public front door for everyone, and each role's own front page."""
