"""Pure values shared by every layer: diagnostics, fixes, contracts, per-file facts."""
