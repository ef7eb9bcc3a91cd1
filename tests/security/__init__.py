"""Hostile-input tier: each test builds an attacking project on disk and runs the real CLI."""
