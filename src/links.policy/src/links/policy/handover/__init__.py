"""Lossless handover of a LINk site to a successor host: export, signed manifest, verify, import.

The archive format is documented in FORMAT.md next to this package (and in the README).
"""
