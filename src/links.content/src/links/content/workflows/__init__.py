"""Workflows of the record types: guards (guards.py) and transition side effects (subscribers.py)."""
