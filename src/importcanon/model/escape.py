"""Text from a repository made safe to print: one line, no terminal or CI commands.

File names, module names and contract fields come from the repository being checked,
which may be hostile. Printed raw, a newline in a file name starts a new output line (a
fake diagnostic, or a GitHub workflow command such as ``::error`` or ``::add-mask``), an
ANSI escape rewrites the terminal, and a bidirectional override reorders what is shown.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional
# embedding, override and isolate controls (Trojan Source); lone surrogates (a file name
# that is not UTF-8), which no output stream can encode.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# GitHub's runner still reads the legacy ``##[command]`` form anywhere in a line.
_LEGACY_COMMAND = "##["


def _escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` on one line: control and bidirectional characters shown as Python escapes
    (``\\n``, ``\\x1b``, ``\\u202e``), and the legacy workflow-command marker ``##[`` broken
    up; everything else unchanged."""
    if text.isascii() and text.isprintable() and _LEGACY_COMMAND not in text:
        return text  # the common case, without a regex pass
    text = _UNSAFE.sub(_escaped, text)
    return text.replace(_LEGACY_COMMAND, "##\\x5b")


def one_line(text: str) -> str:
    """Free text (a contract's name or acceptance criterion, which may span lines in
    TOML) as one printable line: runs of whitespace, line breaks included, become one
    space."""
    return printable(" ".join(text.split()))
