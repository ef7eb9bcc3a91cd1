"""One module per contract kind; each owns its rules' codes, names, docs and checks."""
