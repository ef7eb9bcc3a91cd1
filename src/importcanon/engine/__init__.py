"""Running contracts over a project: suppression, selection, status."""
