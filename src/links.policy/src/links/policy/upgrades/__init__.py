"""Upgrade steps of links.policy (metadata starts at 1000)."""
