"""The tokenizer protocol every tokenizer implements."""

from __future__ import annotations

from typing import Protocol


class Tokenizer(Protocol):
    def encode(self, text: str) -> list[int]: ...


class CharTokenizer:
    def encode(self, text: str) -> list[int]:
        return [ord(c) for c in text]
