"""Loading and validating `[tool.importcanon]` and the contract files."""
