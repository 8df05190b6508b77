"""Upgrade steps: one per profile change after the first release (metadata 1000)."""
