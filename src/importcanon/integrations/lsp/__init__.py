"""The language server (``importcanon server``): LSP over stdio, built on pygls."""
