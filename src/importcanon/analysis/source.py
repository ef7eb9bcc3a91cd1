"""Decoding source bytes into text and lines the way the Python parser does."""

from __future__ import annotations

import io
import tokenize

from importcanon.model.lines import split_lines

__all__ = ["char_column", "decode", "encoding_of", "split_lines"]


def decode(data: bytes) -> str:
    """Decode by the PEP 263 cookie or BOM (UTF-8 otherwise). Raises UnicodeDecodeError
    or SyntaxError (bad cookie, or one naming a codec that is not a text encoding, such as
    ``rot13``: Python's own parser refuses those too)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    try:
        return data.decode(encoding)
    except LookupError:
        raise SyntaxError(f"encoding problem: {encoding} is not a text encoding") from None


def char_column(line: str, byte_offset: int) -> int:
    """Convert the parser's UTF-8 byte offset in ``line`` into a 1-based character column."""
    if line.isascii():
        return byte_offset + 1
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1


def encoding_of(data: bytes) -> str:
    """The encoding the parser would use (``utf-8-sig`` when a BOM is present)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return encoding
