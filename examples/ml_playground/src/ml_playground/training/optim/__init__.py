"""Optimisation schedules."""
