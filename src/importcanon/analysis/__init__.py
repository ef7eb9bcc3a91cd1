"""Project facts: checked files, per-file imports and bindings, the grimp graph."""
