"""Thin adapters that run the same engine inside import-linter, flake8 and editors."""
