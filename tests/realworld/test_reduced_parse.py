"""The reduced parse against the full parse on every file of every real-world corpus:
the facts are identical, every field (syntax errors included). The number of files the
reduced parse handed to the full parse is printed (-s), by reason."""

from __future__ import annotations

import collections

import pytest

from importcanon.analysis.parse import extract
from importcanon.analysis.reducedparse import extract_reduced
from tests.realworld.corpus import PACKAGES, install

pytestmark = pytest.mark.realworld


@pytest.mark.parametrize("package", [*PACKAGES, "homeassistant"])
def test_reduced_parse_gives_the_full_parse_facts(package: str) -> None:
    root = install(package)
    reasons: collections.Counter[str | None] = collections.Counter()
    differ = []
    files = sorted((root / package).rglob("*.py"))
    for path in files:
        rel = path.relative_to(root).with_suffix("")
        is_init = rel.name == "__init__"
        module = ".".join(rel.parts[:-1] if is_init else rel.parts)
        data = path.read_bytes()
        facts, reason = extract_reduced(data, module=module, is_init=is_init)
        reasons[reason] += 1
        if facts != extract(data, module=module, is_init=is_init):
            differ.append(str(rel))
    print(f"\n{package}: {len(files)} files, fallbacks by reason: {dict(reasons)}")
    assert not differ, differ[:10]
    assert reasons[None] > len(files) // 2  # the reduced parse did the work
