"""Turning fix plans into text edits (with libcst, comments and layout kept) and applying
them safely."""
