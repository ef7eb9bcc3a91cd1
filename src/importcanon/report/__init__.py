"""Output formats: rendering diagnostics and contract status, never computing them."""
