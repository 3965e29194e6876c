"""Fixtures (being written)."""
