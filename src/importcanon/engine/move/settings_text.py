"""Small edits to build settings' texts (pyproject.toml, setup.cfg, setup.py) that keep every
other byte: a key added to a table, items added to a list, a keyword added to `setup()`.
Each edit is proven by parsing the result and comparing it with the data expected; an edit
that cannot be proven raises `Unknown` naming what to write by hand."""

from __future__ import annotations

import ast
import copy
import json
import re
import sys
from typing import Any

from importcanon.engine.move.build import Unknown, read_setup_cfg, setup_call
from importcanon.fixes.move_text import TomlEditError
from importcanon.fixes.toml_layout import set_key, statements
from importcanon.model.lines import lines_with_ends

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

KeyPath = tuple[str, ...]


# -- TOML ----------------------------------------------------------------------------------


def _loads(text: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Unknown(f"pyproject.toml does not parse ({exc})") from exc
    return data


def _dotted(table: KeyPath) -> str:
    return ".".join(_key(k) for k in table)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def _proven(new: str, expected: dict[str, Any], hint: str) -> str:
    try:
        if tomllib.loads(new) == expected:
            return new
    except tomllib.TOMLDecodeError:
        pass
    raise Unknown(f"cannot edit pyproject.toml safely; {hint} by hand and run again")


def toml_set(text: str, table: KeyPath, key: str, value: str) -> str:
    """``key = value`` added to ``table`` (created at the end when the file has none); the
    file is left alone when it already says so, and a different value is not replaced."""
    holder: Any = _loads(text)
    for part in table:
        holder = holder.get(part, {}) if isinstance(holder, dict) else None
    if not isinstance(holder, dict):
        raise Unknown(f"pyproject.toml: `{_dotted(table)}` is not a table")
    wanted = tomllib.loads(f"x = {value}")["x"]
    if key in holder:
        if holder[key] == wanted:
            return text
        raise Unknown(
            f"pyproject.toml sets `{key}` in [{_dotted(table)}]; make it `{key} = {value}`"
        )
    try:
        return set_key(text, table, _key(key), value)
    except TomlEditError as exc:
        raise Unknown(
            f"cannot edit pyproject.toml safely ({exc}); add `{_key(key)} = {value}` to"
            f" [{_dotted(table)}] by hand and run again"
        ) from exc


def _value_span(text: str, keys: KeyPath, hint: str) -> tuple[int, int]:
    try:
        found = statements(text)
    except TomlEditError as exc:
        raise Unknown(f"cannot read pyproject.toml's layout ({exc}); {hint} by hand") from exc
    statement = next((s for s in found if s.kind == "key" and s.path == keys), None)
    if statement is None or not text.startswith("[", statement.value[0]):
        raise Unknown(f"`{_dotted(keys)}` is not a list of its own in pyproject.toml; {hint}")
    return statement.value


def toml_append(text: str, keys: KeyPath, values: list[str]) -> str:
    """Strings added at the end of the array at ``keys``."""
    if not values:
        return text
    expected = copy.deepcopy(_loads(text))
    holder: Any = expected
    for part in keys[:-1]:
        holder = holder.get(part, {}) if isinstance(holder, dict) else {}
    current = holder.get(keys[-1]) if isinstance(holder, dict) else None
    hint = f"add {', '.join(json.dumps(v) for v in values)} to `{_dotted(keys)}`"
    if not isinstance(current, list):
        raise Unknown(f"pyproject.toml: `{_dotted(keys)}` is not a list; {hint}")
    current.extend(values)
    close = _value_span(text, keys, hint)[1] - 1
    before = _significant_before(text, close)
    items = ", ".join(json.dumps(v) for v in values)
    insert = items if before in ("[", ",") else ", " + items
    return _proven(text[:close] + insert + text[close:], expected, hint)


def _significant_before(text: str, at: int) -> str:
    """The last character before ``at`` that is not space nor in a comment."""
    for line in reversed(lines_with_ends(text[:at])):
        body = _strip_comment(line).rstrip()
        if body:
            return body[-1]
    return ""


def _strip_comment(line: str) -> str:
    i = 0
    while i < len(line):
        if line[i] in "\"'":
            i = _string_end(line, i, line[i])
            continue
        if line[i] == "#":
            return line[:i]
        i += 1
    return line


def _string_end(line: str, start: int, quote: str) -> int:
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            return i + 1
        i += 1
    return i


def toml_replace(text: str, keys: KeyPath, old: str, new: str) -> str:
    """A string item ``old`` of the array at ``keys`` made ``new``."""
    expected = copy.deepcopy(_loads(text))
    holder: Any = expected
    for part in keys[:-1]:
        holder = holder.get(part, {})
    holder[keys[-1]] = [new if v == old else v for v in holder[keys[-1]]]
    hint = f"make `{_dotted(keys)}` name `{new}` instead of `{old}`"
    start, end = _value_span(text, keys, hint)
    segment = text[start:end]
    for quote in ('"', "'"):
        segment = segment.replace(f"{quote}{old}{quote}", f"{quote}{new}{quote}")
    return _proven(text[:start] + segment + text[end:], expected, hint)


# -- setup.cfg -----------------------------------------------------------------------------


def cfg_append(text: str, section: str, key: str, values: list[str]) -> str:
    """Values added to a multi-line option of setup.cfg (the option, and the section, made
    when missing)."""
    if not values:
        return text
    before = read_setup_cfg(text)
    lines = lines_with_ends(text)
    head = next(
        (
            i
            for i, line in enumerate(lines)
            if re.fullmatch(rf"\[\s*{re.escape(section)}\s*\]\s*", line)
        ),
        None,
    )
    added = "".join(f"    {v}\n" for v in values)
    if head is None:
        tail = "" if not text or text.endswith("\n") else "\n"
        new = f"{text}{tail}\n[{section}]\n{key} =\n{added}"
    else:
        end = next((i for i in range(head + 1, len(lines)) if lines[i].startswith("[")), len(lines))
        found = next(
            (i for i in range(head + 1, end) if re.match(rf"{re.escape(key)}\s*[=:]", lines[i])),
            None,
        )
        if found is None:
            lines.insert(head + 1, f"{key} =\n{added}")
        else:
            last = found
            while last + 1 < end and lines[last + 1][:1] in (" ", "\t") and lines[last + 1].strip():
                last += 1
            if not lines[last].endswith("\n"):
                lines[last] += "\n"
            lines.insert(last + 1, added)
        new = "".join(lines)
    after = read_setup_cfg(new)
    old_values = before.get(section, key, fallback="") if before.has_section(section) else ""
    wanted = [v for v in re.split(r"[\n,]", old_values) if v.strip()]
    got = [v for v in re.split(r"[\n,]", after.get(section, key, fallback="")) if v.strip()]
    if [v.strip() for v in got] != [v.strip() for v in wanted] + values or _others(
        before, after, section, key
    ):
        raise Unknown(
            f"cannot edit setup.cfg safely; add {', '.join(values)} to [{section}] {key} by hand"
        )
    return new


def _others(before: Any, after: Any, section: str, key: str) -> bool:
    """Whether anything but ``section``'s ``key`` differs."""

    def flat(parser: Any) -> dict[tuple[str, str], str]:
        return {
            (s, k): v
            for s in parser.sections()
            for k, v in parser[s].items()
            if (s, k) != (section, key)
        }

    return flat(before) != flat(after)


# -- setup.py ------------------------------------------------------------------------------


def _offsets(text: str) -> list[int]:
    offsets = [0]
    for line in lines_with_ends(text):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _at(text: str, offsets: list[int], lineno: int, col: int) -> int:
    """The character offset of an ast position (its column counts UTF-8 bytes)."""
    line = lines_with_ends(text)[lineno - 1]
    return offsets[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", "ignore"))


def _keyword(text: str, name: str) -> ast.keyword | None:
    call = setup_call(text)
    if call is None:
        return None
    return next((k for k in call.keywords if k.arg == name), None)


def setup_py_has(text: str, name: str) -> bool:
    return _keyword(text, name) is not None


def _literal(text: str, name: str) -> Any:
    keyword = _keyword(text, name)
    try:
        return ast.literal_eval(keyword.value) if keyword is not None else None
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return None


def setup_py_list(text: str, name: str, renamed: dict[str, str], added: list[str]) -> str:
    """setup()'s literal list ``name`` with items renamed and items added at its end."""
    keyword = _keyword(text, name)
    hint = f"write setup.py's `{name}` by hand"
    if keyword is None or not isinstance(keyword.value, (ast.List, ast.Tuple)):
        raise Unknown(f"setup.py's `{name}` is not a literal list; {hint}")
    node = keyword.value
    expected = [renamed.get(v, v) for v in ast.literal_eval(node)] + added
    offsets = _offsets(text)
    edits: list[tuple[int, int, str]] = []
    for item in node.elts:
        if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value in renamed:
            start = _at(text, offsets, item.lineno, item.col_offset)
            end = _at(text, offsets, item.end_lineno or item.lineno, item.end_col_offset or 0)
            quote = text[start] if text[start] in "\"'" else '"'
            edits.append((start, end, f"{quote}{renamed[item.value]}{quote}"))
    if added:
        close = _at(text, offsets, node.end_lineno or node.lineno, (node.end_col_offset or 1) - 1)
        body = _strip_comment(text[:close].rsplit("\n", 1)[-1]).rstrip() or text[:close].rstrip()
        items = ", ".join(json.dumps(v) for v in added)
        tail = items if body.endswith(("[", "(", ",")) else ", " + items
        if isinstance(node, ast.Tuple) and not node.elts and len(added) == 1:
            tail += ","
        edits.append((close, close, tail))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if _literal(text, name) is None or list(_literal(text, name)) != expected:
        raise Unknown(f"cannot edit setup.py safely; {hint}")
    return text


def setup_py_package_dir(text: str, key: str, value: str) -> str:
    """setup()'s `package_dir` maps ``key`` to ``value`` (the keyword added if missing)."""
    hint = f"add `package_dir={{{key!r}: {value!r}}}` to setup() by hand"
    current = _literal(text, "package_dir")
    keyword = _keyword(text, "package_dir")
    offsets = _offsets(text)
    if keyword is None:
        call = setup_call(text)
        if call is None:
            raise Unknown(f"setup.py has no setup() call; {hint}")
        func_end = _at(
            text, offsets, call.func.end_lineno or call.lineno, call.func.end_col_offset or 0
        )
        paren = text.find("(", func_end)
        new = (
            text[: paren + 1]
            + f"package_dir={{{json.dumps(key)}: {json.dumps(value)}}}, "
            + text[paren + 1 :]
        )
        expected: Any = {key: value}
    elif isinstance(keyword.value, ast.Dict) and isinstance(current, dict):
        node = keyword.value
        expected = {**current, key: value}
        edit: tuple[int, int, str] | None = None
        for k, v in zip(node.keys, node.values, strict=True):
            if isinstance(k, ast.Constant) and k.value == key:
                start = _at(text, offsets, v.lineno, v.col_offset)
                end = _at(text, offsets, v.end_lineno or v.lineno, v.end_col_offset or 0)
                edit = (start, end, json.dumps(value))
        if edit is None:
            close = _at(
                text, offsets, node.end_lineno or node.lineno, (node.end_col_offset or 1) - 1
            )
            body = text[:close].rstrip()
            entry = f"{json.dumps(key)}: {json.dumps(value)}"
            edit = (close, close, entry if body.endswith(("{", ",")) else ", " + entry)
        new = text[: edit[0]] + edit[2] + text[edit[1] :]
    else:
        raise Unknown(f"setup.py's `package_dir` is not a literal dict; {hint}")
    if _literal(new, "package_dir") != expected:
        raise Unknown(f"cannot edit setup.py safely; {hint}")
    return new
