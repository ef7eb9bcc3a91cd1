"""The kind of each contract, and the text that the kinds of a run declare they read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from importcanon.analysis.files import SourceFile
from importcanon.analysis.project import Project
from importcanon.model.contract import Contract
from importcanon.model.errors import UsageError
from importcanon.rules.base import Kind
from importcanon.rules.registry import Registry


def kind_of(contract: Contract, kinds: Registry) -> Kind[Any]:
    found = kinds.kind(contract.kind)
    if found is None:  # (the configuration was validated against the same kinds)
        raise UsageError(f"unknown contract kind: {contract.kind}")
    return found


def needles(contracts: Iterable[Contract], kinds: Registry) -> set[bytes]:
    """What a Python file must contain for its text, not only its facts, to matter to one
    of ``contracts`` (as each one's kind declares in ``Kind.reads_text``)."""
    found: set[bytes] = set()
    for contract in contracts:
        found |= kind_of(contract, kinds).needles(contract)
    return found


def mentions(project: Project, file: SourceFile, needles: Iterable[bytes]) -> bool:
    """Whether ``file``'s bytes hold one of ``needles`` (what makes its text matter)."""
    try:
        data = project.read(file)
    except OSError:
        return False
    return any(needle in data for needle in needles)
