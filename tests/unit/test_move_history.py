"""`is_history`: changelogs and release notes, known by name, place or content, are left
as written by `importcanon move`; ordinary pages are not mistaken for them."""

from __future__ import annotations

import pytest

from importcanon.engine.move.history import headings, is_history

KEEP_A_CHANGELOG = """# Changelog

All notable changes to this project are documented here.

## [Unreleased]

## [3.4.1] - 2023-01-02

### Fixed

- `markdown.util` no longer warns.

## [3.4.0] - 2022-12-01

### Added

- `markdown.extensions.toc`.
"""
RST_HISTORY = """Release History
===============

Version 1.2
-----------

- ``markdown.core`` is faster.

Version 1.1
-----------

- First.
"""
DATED = """## v1.2.3 - 2020-01-01

Fixed.

## v1.2.2 - 2019-12-01

Added.
"""
RELEASE_PAGE = """title: Release Notes for v3.4

# Python-Markdown 3.4 Release Notes

The `markdown.util.etree` module was removed.

## Backwards-incompatible changes

## New features
"""
USAGE = """# Usage

## Install

New in version 2.0: the `--x` option.

## Options

.. versionadded:: 2.0
"""
README = """# markdown

## Install

## Usage

## Changelog

### 1.0

### 0.9

### 0.8

### 0.7
"""
API_RST = """API
===

markdown.core
-------------

.. automodule:: markdown.core

markdown.util
-------------
"""


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("CHANGES.rst", ""),
        ("HISTORY.md", ""),
        ("docs/change_log/release-3.4.md", RELEASE_PAGE),
        ("docs/change_log/index.md", "# Change Log\n\nSee the releases.\n"),
        ("docs/changelog/1.2.rst", "1.2\n===\n"),
        ("docs/release-3.4.md", "# Notes\n"),
        ("docs/whatsnew/3.0.rst", "What's new\n==========\n"),
        ("release-notes/next.md", "# Next\n"),
        ("changes/123.feature", "Added `markdown.x`."),
        ("changes/123.bugfix.md", "Fixed."),
        ("newsfragments/+orphan.misc", "Tidied."),
        ("docs/notes.md", KEEP_A_CHANGELOG),
        ("docs/history_of_releases.rst", RST_HISTORY),
        ("docs/past.md", DATED),
        ("docs/v34.md", RELEASE_PAGE),
    ],
)
def test_history(path: str, text: str) -> None:
    assert is_history(path, text)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("docs/usage.md", USAGE),
        ("README.md", README),
        ("docs/api.rst", API_RST),
        ("docs/index.md", "# Python-Markdown\n\n## Changes in the 3.0 API\n\n## Usage\n"),
        ("docs/change_history_api.md", "# Change history API\n\n## Usage\n"),
        ("docs/extensions/toc.md", "# Table of Contents\n\n## Summary\n\n## Usage\n"),
        ("docs/2020-01-01-post.md", "# A post\n"),
        ("tox.ini", "[tox]\nenvlist = py3\n"),
    ],
)
def test_not_history(path: str, text: str) -> None:
    assert not is_history(path, text)


def test_headings_of_markdown_and_rst_leave_code_out() -> None:
    text = "Title\n=====\n\n```\n# not a heading\n```\n\n## Sub\n\nSection\n-------\n"
    assert headings(text) == ["Title", "Sub", "Section"]
