"""Rewriting text and configuration files for `importcanon move`: file paths in text files,
and the values of known keys in TOML and INI configuration (every edit is checked by
parsing the result again)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from importcanon.model.lines import lines_with_ends
from importcanon.model.paths import covers

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

KeyPath = tuple[str, ...]
ValueRule = Callable[[KeyPath, str], "str | None"]
KeyRule = Callable[[KeyPath, str], "str | None"]

_STRING = r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''
_BARE = r"[A-Za-z0-9_-]+"
_KEY_PART = rf"(?:{_BARE}|{_STRING})"
HEADER = re.compile(rf"\s*\[(\[?)\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]\]?\s*(?:#.*)?\Z")
KEY = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=\s*")
TOKEN = re.compile(
    rf"(?P<string>{_STRING})|(?P<eq>=)|(?P<open>[\[{{])|(?P<close>[\]}}])|(?P<comma>,)"
    rf"|(?P<comment>#.*)|(?P<bare>[^\s=,\[\]{{}}#\"']+)|(?P<space>\s+)"
)


class TomlEditError(Exception):
    """The file cannot be edited safely (its layout is beyond the line scanner)."""


def split_key(text: str) -> KeyPath:
    parts = re.findall(_KEY_PART, text)
    return tuple(_unquote(p) for p in parts)


def _unquote(token: str) -> str:
    if token[:1] in "\"'":
        return str(tomllib.loads(f"x = {token}")["x"])
    return token


def _quote_like(token: str, value: str) -> str:
    quote = token[0] if token[:1] in "\"'" else '"'
    if quote == "'" and "'" not in value and "\n" not in value:
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@dataclass
class _Context:
    path: KeyPath
    table: bool
    key: str | None = None


def edit_toml(text: str, *, value_rule: ValueRule, key_rule: KeyRule) -> str:
    """The TOML text with every string value (and bare/quoted key) the rules rename, found
    by a line scanner; raises TomlEditError when the result does not parse to the expected
    data."""
    lines = lines_with_ends(text)
    table: KeyPath = ()
    stack: list[_Context] = []
    out: list[str] = []
    in_multiline = False
    for line in lines:
        body = line.rstrip("\r\n")
        if in_multiline or '"""' in body or "'''" in body:
            in_multiline = ((body.count('"""') + body.count("'''")) % 2 == 1) != in_multiline
            out.append(line)
            continue
        if not stack:
            header = HEADER.match(body)
            if header:
                table = split_key(header.group(2))
                out.append(line)
                continue
            key = KEY.match(body)
            if not key:
                out.append(line)
                continue
            parts = split_key(key.group(1))
            prefix = body[: key.end()]
            renamed = key_rule(table, parts[-1]) if len(parts) == 1 else None
            if renamed is not None:
                prefix = _rename_key_token(prefix, key.group(1), renamed)
            path = table + parts
            rest = body[key.end() :]
            out.append(prefix + _values(rest, path, stack, value_rule) + line[len(body) :])
            continue
        out.append(_values(body, stack[-1].path, stack, value_rule) + line[len(body) :])
    result = "".join(out)
    _verify(text, result, value_rule=value_rule, key_rule=key_rule)
    return result


def _rename_key_token(prefix: str, key_text: str, renamed: str) -> str:
    start = prefix.index(key_text)
    bare = key_text[:1] not in "\"'" and re.fullmatch(_BARE, renamed) is not None
    token = renamed if bare else _quote_like(key_text if key_text[:1] in "\"'" else '"', renamed)
    return prefix[:start] + token + prefix[start + len(key_text) :]


def _values(text: str, path: KeyPath, stack: list[_Context], rule: ValueRule) -> str:
    """Rewrite the string values in one line's value text; ``stack`` carries open arrays
    and inline tables to the next line."""
    out: list[str] = []
    pending_key: str | None = None
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group(0)
        context = stack[-1] if stack else None
        current = path if context is None else context.path
        if context is not None and context.table and context.key is not None:
            current = (*context.path, context.key)
        if kind == "string" or kind == "bare":
            following = text[match.end() :].lstrip()
            if context is not None and context.table and following.startswith("="):
                pending_key = _unquote(token) if kind == "string" else token
                out.append(token)
                continue
            if kind == "string":
                value = _unquote(token)
                new = rule(current, value)
                token = _quote_like(token, new) if new is not None and new != value else token
        elif kind == "eq" and context is not None and context.table:
            context.key = pending_key
        elif kind == "open":
            stack.append(_Context(current, table=token == "{"))
        elif kind == "close":
            if not stack:
                raise TomlEditError("unbalanced brackets")
            stack.pop()
        elif kind == "comma" and context is not None and context.table:
            context.key = None
        out.append(token)
    return "".join(out)


def _verify(before: str, after: str, *, value_rule: ValueRule, key_rule: KeyRule) -> None:
    try:
        original = tomllib.loads(before)
        edited = tomllib.loads(after)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise TomlEditError(f"the edited file would not parse: {exc}") from exc
    if transform_data(original, (), value_rule=value_rule, key_rule=key_rule) != edited:
        raise TomlEditError("a value could not be located for editing")


def transform_data(data: Any, path: KeyPath, *, value_rule: ValueRule, key_rule: KeyRule) -> Any:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            new_key = key_rule(path, key) if isinstance(key, str) else None
            out[new_key if new_key is not None else key] = transform_data(
                value, (*path, key), value_rule=value_rule, key_rule=key_rule
            )
        return out
    if isinstance(data, list):
        return [transform_data(v, path, value_rule=value_rule, key_rule=key_rule) for v in data]
    if isinstance(data, str):
        new = value_rule(path, data)
        return data if new is None else new
    return data


def walk_strings(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every (key path, string) of a parsed document, keys included."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), str(key)
            yield from walk_strings(value, (*path, str(key)))
    elif isinstance(data, list):
        for value in data:
            yield from walk_strings(value, path)
    elif isinstance(data, str):
        yield path, data


# -- paths in text ---------------------------------------------------------------------


@dataclass(frozen=True)
class PathMove:
    """A moved file or folder as a path relative to the project root (``src/a/b.py``) or
    to its source root (``a/b.py``); ``bare`` pairs must be followed by ``/`` or be a
    ``.py`` file to count."""

    old: str
    new: str
    bare: bool


def path_pattern(moves: list[PathMove]) -> re.Pattern[str]:
    alternatives = []
    for move in sorted(moves, key=lambda m: len(m.old), reverse=True):
        loose = not move.bare or move.old.endswith(".py")
        tail = r"(?=/|[\s\"'`,;:)\]>]|\Z)" if loose else r"(?=/)"
        alternatives.append(re.escape(move.old) + tail)
    return re.compile(r"(?<![\w./:@~+-])(?:\./)?(?:" + "|".join(alternatives) + ")")


def rewrite_paths(text: str, moves: list[PathMove]) -> tuple[str, int]:
    """Replace every file path to a moved file or folder."""
    if not moves:
        return text, 0
    table = {m.old: m.new for m in moves}
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        found = match.group(0)
        lead = "./" if found.startswith("./") else ""
        count += 1
        return lead + table[found[len(lead) :]]

    return path_pattern(moves).sub(replace, text), count


_CODE_SPAN = re.compile(r"(?<!`)(`{1,2})([A-Za-z_][\w.]*)\1(?!`)")


def rewrite_code_spans(text: str, old: str, new: str) -> tuple[str, int]:
    """Markdown/reST code spans that are exactly a dotted path under OLD (```a.b```,
    ````a.b.func````); prose around them is never touched."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        dotted = match.group(2)
        if not covers(old, dotted) or "." not in dotted + old:
            return match.group(0)
        count += 1
        return match.group(1) + new + dotted[len(old) :] + match.group(1)

    return _CODE_SPAN.sub(replace, text), count


def rename_path(value: str, moves: list[PathMove]) -> str | None:
    """A configured path or glob under a moved file or folder, renamed."""
    lead = "./" if value.startswith("./") else ""
    body = value[len(lead) :].rstrip("/")
    trail = value[len(lead) + len(body) :]
    for move in sorted(moves, key=lambda m: len(m.old), reverse=True):
        if body == move.old or body.startswith(move.old + "/"):
            return lead + move.new + body[len(move.old) :] + trail
    return None


def rename_expression(expression: str, old: str, new: str) -> str | None:
    """A module expression (`a.b`, `a.*.c`, `a.**`) whose literal head is under OLD."""
    parts = expression.split(".")
    literal = []
    for part in parts:
        if "*" in part:
            break
        literal.append(part)
    head = ".".join(literal)
    if not head or not covers(old, head):
        return None
    return new + expression[len(old) :]


def mentions(text: str, old: str) -> Iterator[int]:
    """Columns (0-based) where OLD occurs as a whole token, dotted or slashed."""
    slashed = old.replace(".", "/")
    pattern = rf"(?<![\w.])(?:{re.escape(old)}|{re.escape(slashed)})(?![\w])"
    for match in re.finditer(pattern, text):
        yield match.start()


# -- INI (.importlinter, setup.cfg) ------------------------------------------------------

INI_MODULE_KEYS = frozenset(
    {
        "root_package", "root_packages", "source_modules", "forbidden_modules", "layers",
        "modules", "containers", "importer", "imported", "ignore_imports", "packages",
        "py_modules", "console_scripts", "gui_scripts",
    }
)  # fmt: skip
# setup.cfg sections whose keys are package names (`pkg = py.typed`).
PACKAGE_KEYED = frozenset({"options.package_data", "options.exclude_package_data"})
_INI_TOKEN = re.compile(r"(?<![\w.-])[A-Za-z_][\w.]*(?:\.\*\*?|\.\*)*(?![\w-])")


def edit_ini(text: str, *, old: str, new: str, sections: Callable[[str], bool]) -> str:
    """Rename module names in the values of known keys of the chosen sections (`key =
    value` and its indented continuation lines)."""
    out: list[str] = []
    section = ""
    key = ""
    for line in lines_with_ends(text):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section, key = stripped[1:-1].strip(), ""
            out.append(line)
            continue
        if not stripped or stripped[0] in "#;":
            out.append(line)
            continue
        value_start = 0
        if not line[:1].isspace() and ("=" in line or ":" in line):
            sep = min(i for i in (line.find("="), line.find(":")) if i >= 0)
            key = line[:sep].strip()
            value_start = sep + 1
            renamed = rename_expression(key, old, new) if section in PACKAGE_KEYED else None
            if renamed is not None and sections(section):
                line = line.replace(key, renamed, 1)
                value_start += len(renamed) - len(key)
        wanted = sections(section) and (key in INI_MODULE_KEYS or section.endswith("entry_points"))
        if not wanted:
            out.append(line)
            continue
        out.append(line[:value_start] + _ini_value(line[value_start:], old, new))
    return "".join(out)


def _ini_value(value: str, old: str, new: str) -> str:
    def replace(match: re.Match[str]) -> str:
        renamed = rename_expression(match.group(0), old, new)
        return renamed if renamed is not None else match.group(0)

    return _INI_TOKEN.sub(replace, value)


# -- module references in text -----------------------------------------------------------

_SEGMENT = r"[A-Za-z_]\w*"
# the last segment of a file name or host name, not a module: `markdown.py`, `x.github.io`
NOT_MODULE_TAILS = frozenset(
    {
        "py", "pyi", "pyc", "pyd", "pyx", "so", "md", "rst", "txt", "cfg", "ini", "toml",
        "json", "yml", "yaml", "html", "htm", "css", "js", "sh", "bat", "org", "com", "io",
        "net", "dev", "egg", "whl", "gz", "zip", "tar", "lock", "log", "png", "svg", "jpg",
        "gif", "xml", "csv", "pdf", "readthedocs",
    }
)  # fmt: skip
# what may stand before a bare top-level name for it to be a module without doubt
MODULE_CONTEXT = re.compile(
    r"(?:(?:^|[\s\"'(])-m[ \t]+|--cov(?:=|[ \t]+)|--source(?:=|[ \t]+)|--pyargs[ \t]+"
    r"|--import-mode=\S+[ \t]+|^[ \t]*:::[ \t]+"
    r"|\.\.[ \t]+(?:py:)?(?:auto)?(?:module|currentmodule|class|function|exception|data"
    r"|method|attribute|summary)::[ \t]+"
    r"|:(?:py:)?(?:mod|func|class|meth|attr|exc|data|obj)(?:`|:`~?|`~))\Z"
)
_INI_SOURCE = re.compile(
    r"^[ \t]*(?:source|source_pkgs|source-pkgs)[ \t]*[=:][ \t]*(?:[\w.]+[ \t]*,[ \t]*)*\Z"
)


def reference_pattern(old: str) -> re.Pattern[str]:
    """OLD as the head of a dotted token, possibly followed by `:attr`."""
    return re.compile(
        rf"(?<![\w./:@+$-]){re.escape(old)}(?P<rest>(?:\.{_SEGMENT})*)(?P<attr>:{_SEGMENT}(?:\.{_SEGMENT})*)?"
    )


def rewrite_references(
    line: str,
    old: str,
    new: str,
    *,
    ini: bool = False,
    is_module: Callable[[str], bool] | None = None,
) -> tuple[str, int]:
    """A line of a text file with every unambiguous reference to a module under OLD renamed:
    a dotted path under OLD as a whole token (`a.b`, `a.b.func`), `a:attr`, and a bare
    top-level name where the text around it says it is a module (`-m a`, `--cov=a`,
    `::: a`, `.. automodule:: a`, `:mod:`a``, `source = a` in an INI file). A bare word
    anywhere else (a distribution name, prose, an attribute) is left alone."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        dotted = old + match.group("rest")
        after = line[match.end() : match.end() + 1]
        if after and (after.isalnum() or after in "_/@-"):
            return match.group(0)
        tail = match.group("rest").rpartition(".")[2].lower()
        known = is_module is not None and is_module(dotted)
        if match.group("rest") and tail in NOT_MODULE_TAILS and not known:
            return match.group(0)
        if "." not in dotted and not match.group("attr"):
            before = line[: match.start()]
            if not (MODULE_CONTEXT.search(before) or (ini and _INI_SOURCE.search(before))):
                return match.group(0)
        count += 1
        return new + match.group(0)[len(old) :]

    return reference_pattern(old).sub(replace, line), count


_IMPORT_TEXT = re.compile(r"(?:^|[\s;\"'`(>])(?:import|from)[ \t]+(?P<name>[A-Za-z_][\w.]*)")


def plausible_references(line: str, old: str) -> Iterator[int]:
    """Columns (0-based) of what is left in a line of text that is probably a module
    reference: an `import OLD…`/`from OLD… import` written in prose or a command, or (for a
    dotted OLD) a whole-token mention outside a URL or a longer name."""
    for match in _IMPORT_TEXT.finditer(line):
        if covers(old, match.group("name")):
            yield match.start("name")
            return
    if "." in old:
        for match in re.finditer(rf"(?<![\w./:@+$-]){re.escape(old)}(?![\w/@-])", line):
            yield match.start()
            return
