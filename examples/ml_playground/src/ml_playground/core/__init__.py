"""Core protocols."""
