"""Checkpoint writing."""
