"""Which text files are history (changelogs, release notes, news fragments): what they say
of the old names was true when they were written, so `move` leaves them as they are.

A file is history by its name (`CHANGES.rst`, `HISTORY.md`, `release-3.4.md`, `v1.2.rst`),
by its place (a folder named `changelog`, `change_log`, `changes`, `news`, `newsfragments`,
`release-notes`, `releases`, `whatsnew`, `history`, `changelog.d`), as a towncrier
fragment (`123.feature`, `+orphan.bugfix.md`), or by its content: its title says so
(`Release Notes`, `What's new`, `Changelog`) and names a version (`3.4 Release Notes`),
or says so or names a version and version
headings (`## 3.4.1 (2023-01-02)`, `Version 1.2`, `v1.2.3 - 2020-01-01`, `[Unreleased]`)
make up at least half of its headings. A page with one "New in version 2.0" note, or a
README whose last section is a changelog, is not history: its title is neither.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

HISTORY_STEMS = (
    "CHANGES", "CHANGELOG", "CHANGE_LOG", "CHANGE-LOG", "HISTORY", "NEWS", "RELEASE_NOTES",
    "RELEASE-NOTES", "RELEASENOTES", "RELEASES", "WHATSNEW", "WHATS_NEW", "WHATS-NEW",
)  # fmt: skip
HISTORY_FOLDERS = frozenset(
    {
        "changelog", "changelogs", "changelogd", "changes", "history", "news",
        "newsfragments", "releasenotes", "releases", "whatsnew", "release",
    }
)  # fmt: skip
FRAGMENT_TYPES = (
    "feature", "features", "bugfix", "bugfixes", "bug", "fix", "doc", "docs", "removal",
    "misc", "breaking", "deprecation", "deprecations", "added", "changed", "fixed",
    "removed", "security", "trivial", "change", "improvement", "enhancement", "vendor",
    "packaging", "contrib", "internal", "significant", "major", "minor", "patch",
)  # fmt: skip
_FRAGMENT = re.compile(
    rf"(?:\d+|\+[\w-]+|[\w-]+\.\d+|[A-Z]+-\d+)\.(?:{'|'.join(FRAGMENT_TYPES)})(?:\.\d+)?"
    r"(?:\.(?:md|rst|txt))?\Z",
    re.IGNORECASE,
)
_VERSIONED_NAME = re.compile(
    r"(?:release|version|changes|changelog|whatsnew|news|v)?[-_ ]?v?\d+(?:[._-]\d+)+\w*\Z",
    re.IGNORECASE,
)
_VERSION = r"v?\d+(?:\.\d+)+(?:[-.]?(?:a|b|rc|dev|post)\d*)*"
_DATE = r"\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|\d{1,2} \w+ \d{4}|\w+ \d{1,2},? \d{4}"
VERSION_HEADING = re.compile(
    rf"[\[(]?(?:(?:version|release|[\w.-]+)[ \t]+)?[\[(]?(?:{_VERSION}|unreleased)[\])]?"
    rf"(?:[ \t]*(?:[-:(,\u2013\u2014]|\[)[^\n]*)?\Z|(?:{_DATE})\b[^\n]*\Z|unreleased\b.*\Z",
    re.IGNORECASE,
)
HISTORY_TITLE = re.compile(
    r"(?:.*\b(?:release[ _-]?notes?|change[ _-]?log|what'?s[ _-]new)\b.*"
    r"|.*\b(?:release|version)[ \t]+" + _VERSION + r"\b.*)\Z",
    re.IGNORECASE,
)
WEAK_TITLE = re.compile(r".*\b(?:changes|history|news)\b.*\Z", re.IGNORECASE)
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?P<title>.+?)[ \t#]*\Z")
_RST_UNDERLINE = re.compile(r"([=\-~^*+#`:.'\"_])\1{2,}[ \t]*\Z")


def is_history(path: str, text: str) -> bool:
    """Is the file (its path relative to the project root, and its text) history?"""
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else ""
    stem = name.split(".")[0].upper()
    if stem.startswith(HISTORY_STEMS) or _FRAGMENT.match(name):
        return True
    if any(_folder_key(p) in HISTORY_FOLDERS for p in parts[:-1]):
        return True
    if _VERSIONED_NAME.match(name.rsplit(".", 1)[0] if "." in name else name):
        return True
    return history_content(text)


def _folder_key(part: str) -> str:
    return re.sub(r"[-_. ]", "", part.lower())


def history_content(text: str) -> bool:
    """Headings dominated by versions and dates, under a title that is a version or says
    history (`Changelog`, `Release Notes`, `What's new`)."""
    titles = headings(text)
    if not titles:
        return False
    first, rest = titles[0], titles[1:]
    versions = sum(1 for t in rest if VERSION_HEADING.match(t))
    if VERSION_HEADING.match(first):
        return versions + 1 >= 2 and (versions + 1) * 2 >= len(titles)
    dominated = versions >= 1 and versions * 2 >= len(rest)
    if HISTORY_TITLE.match(first):
        return not rest or dominated or re.search(_VERSION, first) is not None
    return bool(WEAK_TITLE.match(first)) and dominated


def headings(text: str) -> list[str]:
    """The headings of a Markdown or reST page, in order (fenced code left out)."""
    found: list[str] = []
    lines = text.splitlines()
    fenced = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        match = _MD_HEADING.match(line)
        if match:
            found.append(match.group("title").strip())
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            stripped
            and not line[:1].isspace()
            and not _RST_UNDERLINE.match(stripped)
            and _RST_UNDERLINE.match(following.strip() or "x")
            and len(following.strip()) >= len(stripped)
        ):
            found.append(stripped)
    return found
