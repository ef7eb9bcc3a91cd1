"""A cache that cannot be turned against its user: the real CLI (and flake8, lint-imports)
on hostile projects on disk, with payloads planted under every cache name, symlinked cache
folders and markers, foreign files beside the cache, and swapped files."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import importcanon
from importcanon.analysis.cache import SUFFIX, build_id
from tests.helpers import IMPORTLINTER, run_cli, tool, write_tree

PAST = time.time() - 3600  # old enough for every stat-based shortcut to be taken

PROJECT = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n',
    "contracts/c.toml": '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n\n'
    '[[contract]]\nid = "moves"\nname = "Moves"\nkind = "moved-modules"\n'
    '[contract.moves]\n"pkg.old" = "pkg.new"\n',
    "src/pkg/__init__.py": "",
    "src/pkg/old.py": "X = 1\n",
    "src/pkg/new.py": "X = 1\n",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "import pkg.a\n",
    "src/pkg/user.py": "from pkg.old import X\n",
}
KINDS = ("facts", "results", "stat", "tree", "fixes", "output")


class Payload:
    """Unpickling this creates ``marker``: proof that a cache file ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (self.marker, "w"))


def old_build_id() -> str:
    """The build id the pickle cache (format 1) named its entries after."""
    h = hashlib.blake2b(f"{importcanon.__version__}/1".encode(), digest_size=8)
    package = Path(importcanon.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        h.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return h.hexdigest()


def plant(folder: Path, project: Path, payload: bytes) -> None:
    """The payload under every name a cache file of either format could have; and in
    place of every file already in ``folder``."""
    for existing in folder.rglob("*"):
        if existing.is_file():
            existing.write_bytes(payload)
    sources = [p for p in project.rglob("*.py")]
    for build, ext in ((old_build_id(), "pickle"), (build_id(), SUFFIX)):
        folder.mkdir(parents=True, exist_ok=True)
        for kind in ("stat", "tree"):
            (folder / f"{kind}-{build}.{ext}").write_bytes(payload)
        names = {
            "facts": [f"{i:02d}" for i in range(64)],
            "fixes": [
                hashlib.blake2b(str(s).encode(), digest_size=12).hexdigest() for s in sources
            ],
            "results": ["0" * 40],
        }
        for kind, stems in names.items():
            (folder / f"{kind}-{build}").mkdir(exist_ok=True)
            for stem in stems:
                (folder / f"{kind}-{build}" / f"{stem}.{ext}").write_bytes(payload)


def hostile(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    project = write_tree(tmp_path / "project", {**PROJECT, **(extra or {})})
    for path in [project, *project.rglob("*")]:
        os.utime(path, (PAST, PAST), follow_symlinks=False)
    return project


def check(project: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``importcanon check`` as a user runs it: the default cache location, in ``home``."""
    return subprocess.run(
        [sys.executable, "-m", "importcanon", "check", "--output-format", "json", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(home)},
        timeout=300,
        check=False,
    )


def reported(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(
        (Path(d["filename"]).name, d["location"]["row"], d["code"])
        for d in json.loads(result.stdout)
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` (symlinks not followed) with its content."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return found


def test_a_committed_cache_full_of_payloads_never_runs(tmp_path: Path) -> None:
    """A repository carrying `.importcanon_cache` with a pickle payload under every cache
    name: `check`, flake8 and lint-imports answer as without a cache, and nothing runs."""
    project = hostile(tmp_path, {".importlinter": IMPORTLINTER})
    marker = tmp_path / "pwned"
    plant(project / ".importcanon_cache", project, pickle.dumps(Payload(marker)))
    clean = reported(check(project, "--no-cache", home=tmp_path / "home"))
    for _ in range(2):
        assert reported(check(project, home=tmp_path / "home")) == clean
    flake8 = tool(
        "flake8",
        "--select",
        "IMC",
        "src",
        cwd=project,
        env={"XDG_CACHE_HOME": str(tmp_path / "home")},
    )
    assert "IMC001" in flake8.stdout and "Traceback" not in flake8.stderr
    lint = tool(
        "lint-imports", "--no-cache", cwd=project, env={"XDG_CACHE_HOME": str(tmp_path / "home")}
    )
    assert "IMC001" in lint.stdout and "Traceback" not in lint.stderr
    assert not marker.exists()


def test_payloads_in_a_cache_folder_named_on_the_command_line_never_run(
    tmp_path: Path,
) -> None:
    """Every file of a real cache replaced by a payload, plus one under every other name
    a cache file could have: the run is a miss (rebuilt), the answer unchanged."""
    project = hostile(tmp_path)
    cache = project / ".importcanon_cache"
    first = run_cli("check", "--output-format", "json", "--cache-dir", str(cache), cwd=project)
    marker = tmp_path / "pwned"
    plant(cache, project, pickle.dumps(Payload(marker)))
    for _ in range(2):
        again = run_cli("check", "--output-format", "json", "--cache-dir", str(cache), cwd=project)
        assert "Traceback" not in again.stderr and again.json() == first.json()
        assert not marker.exists()


WRONG_SHAPES: list[Any] = [None, 1, "x", [], {}, [1, 2, 3], {"a": 1}, {"x" * 32: [1, 2]}]


def almost_right(project: Path, *, old: bool) -> dict[str, Any]:
    """Cache values that name the project's real files and contents, with one field of
    the wrong type: a stat index with the right stamps, facts under the right digests, a
    file list naming files outside the project."""
    from importcanon.analysis.cache import digest

    stat: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    for path in sorted(project.rglob("src/pkg/*.py")):
        module = f"pkg.{path.stem}" if path.stem != "__init__" else "pkg"
        is_init = path.name == "__init__.py"
        info = path.stat()
        if old:
            stat[str(path)] = (info.st_size, info.st_mtime_ns, module, is_init, 7)
        else:
            stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
            stat[str(path)] = [*stamp, module, is_init, 7, None]
        facts[digest(path.read_bytes(), module, is_init)] = "not facts" if old else [[1], 2]
    outside = ["/etc/passwd", "../../etc/passwd", "pkg.x", False, True]
    return {"stat": stat, "facts": facts, "tree": ["key", [], [outside]]}


def test_wrong_typed_cache_entries_are_misses_not_tracebacks(tmp_path: Path) -> None:
    """Data of the wrong shape under every cache name, in either format (typed data for
    the old one, marshal for this one), nested deeply or cut short: the answer is the one
    without a cache."""
    project = hostile(tmp_path)
    clean = run_cli("check", "--output-format", "json", cwd=project).json()
    cases = [("shapes", value) for value in WRONG_SHAPES]
    cases += [("almost", None), ("deep", None), ("truncated", None)]
    for index, (variant, value) in enumerate(cases):
        cache = tmp_path / f"cache{index}"
        run_cli("check", "--output-format", "json", cwd=project, cache=cache)
        for old in (True, False):
            build, ext = (old_build_id(), "pickle") if old else (build_id(), SUFFIX)
            per_kind = almost_right(project, old=old) if variant == "almost" else {}
            for kind in KINDS:
                typed = per_kind.get(kind, value)
                data = pickle.dumps(typed) if old else marshal.dumps(typed)
                if variant == "deep" and not old:
                    data = b"[\x01\x00\x00\x00" * 100_000 + b"N"  # lists in lists
                if variant == "truncated":
                    data = data[: len(data) // 2]
                targets = [cache / f"{kind}-{build}.{ext}"]
                if kind in ("facts", "results", "fixes", "output"):
                    (cache / f"{kind}-{build}").mkdir(exist_ok=True)
                    targets = [cache / f"{kind}-{build}" / f"{i:02d}.{ext}" for i in range(64)]
                    targets += [p for p in (cache / f"{kind}-{build}").glob(f"*.{ext}")]
                for target in targets:
                    target.write_bytes(data)
        for _ in range(2):
            result = run_cli("check", "--output-format", "json", cwd=project, cache=cache)
            assert "Traceback" not in result.stderr, (variant, value, result.stderr)
            assert result.json() == clean, (variant, value)


CYCLE = "a dict that holds itself"


def not_plain(marker: Path) -> list[Any]:
    """Values marshal builds but importcanon never writes: a code object (that would
    create ``marker`` if it ran), a set, a tuple, a float, bytes, and (put in place by
    ``spoil``) a dict that holds itself, which a walk over it must not follow forever."""
    code = compile(f"open({str(marker)!r}, 'w')", "<cache>", "exec")
    return [code, {"a", "b"}, ("pkg", 1), 1.5, b"pkg", CYCLE]


def spoil(kind: str, data: bytes, odd: Any, *, everywhere: bool) -> bytes:
    """A real cache file with ``odd`` put into its values: a diagnostic's details (and,
    ``everywhere``, a result's header, the facts, the stat index, the file list, the
    fixes, the output's text)."""
    if kind == "results":
        size = int.from_bytes(data[:8], "little")
        header, index = marshal.loads(data[8 : 8 + size])
        body = data[8 + size :]
        parts = {name: marshal.loads(body[a : a + n]) for name, (a, n) in index.items()}
        for columns in parts.values():
            for details in columns[12]:
                details["odd"] = details if odd == CYCLE else odd
        if everywhere:
            header["notes"].append(odd)
        encoded = {name: marshal.dumps(part) for name, part in parts.items()}
        offsets, at = {}, 0
        for name, part in encoded.items():
            offsets[name] = [at, len(part)]
            at += len(part)
        first = marshal.dumps([header, offsets])
        return len(first).to_bytes(8, "little") + first + b"".join(encoded.values())
    if not everywhere:
        return data
    value = marshal.loads(data)
    if kind == "facts":
        for facts in value.values():
            facts[2].append(odd)  # a defined name
    elif kind == "stat":
        for entry in value.values():
            entry[4] = odd  # the module name
    elif kind == "tree":
        value[2][0][2] = odd  # a file's module name
    elif kind == "fixes":
        value = {key: odd for key in value}
    elif kind == "output":
        value[0] = value if odd == CYCLE else odd  # the text
    return marshal.dumps(value)


@pytest.mark.parametrize("everywhere", [False, True])
def test_values_that_are_not_plain_data_are_misses(tmp_path: Path, everywhere: bool) -> None:
    """A real cache whose values hold what marshal can build but importcanon never
    writes (a code object, a set, a tuple, a float, bytes, a dict that holds itself) in a
    diagnostic's details or anywhere else: every such value is a miss; the answer is the
    one without a cache, without a traceback or a hang, and nothing runs."""
    project = hostile(tmp_path)
    args = ("check", "--output-format", "json")
    clean = run_cli(*args, "--no-cache", cwd=project).json()
    marker = tmp_path / "pwned"
    for index, odd in enumerate(not_plain(marker)):
        cache = tmp_path / f"cache{index}"
        run_cli(*args, cwd=project, cache=cache)
        written = list(cache.rglob(f"*.{SUFFIX}"))
        assert {p.relative_to(cache).parts[0].split("-")[0] for p in written} == set(KINDS)
        for path in written:
            kind = path.relative_to(cache).parts[0].split("-")[0]
            path.write_bytes(spoil(kind, path.read_bytes(), odd, everywhere=everywhere))
        for _ in range(2):
            result = run_cli(*args, cwd=project, cache=cache)
            assert "Traceback" not in result.stderr, (odd, result.stderr)
            assert result.json() == clean, odd
        assert not marker.exists()


def test_a_symlinked_cache_folder_is_refused_and_nothing_outside_is_deleted(
    tmp_path: Path,
) -> None:
    """`.importcanon_cache` committed as a symlink to another folder: the cache is not
    used (one line of warning) and that folder's entries, named like cache entries, stay."""
    outside = write_tree(
        tmp_path / "outside",
        {f"{kind}-keep": f"{kind} data\n" for kind in KINDS}
        | {f"{kind}-folder/file.txt": "mine\n" for kind in KINDS}
        | {"CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n# importcanon cache\n"},
    )
    before = snapshot(outside)
    project = hostile(tmp_path)
    (project / ".importcanon_cache").symlink_to(outside, target_is_directory=True)
    for args in (("--cache-dir", ".importcanon_cache"), ()):
        result = check(project, *args, home=tmp_path / "home")
        assert reported(result)
        assert snapshot(outside) == before
    refused = check(project, "--cache-dir", ".importcanon_cache", home=tmp_path / "home")
    warnings = [line for line in refused.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "symlink" in warnings[0]


def test_symlinks_inside_the_cache_folder_are_never_written_through(tmp_path: Path) -> None:
    """`.importcanon_cache/CACHEDIR.TAG` and `.gitignore` committed as symlinks (one to
    an existing file, one dangling) and a cache entry symlinked out: nothing outside the
    project is written, and the folder is refused with one line."""
    outside = write_tree(tmp_path / "outside", {"victim.txt": "precious\n"})
    project = hostile(tmp_path)
    cache = project / ".importcanon_cache"
    cache.mkdir()
    (cache / "CACHEDIR.TAG").symlink_to(outside / "victim.txt")
    (cache / ".gitignore").symlink_to(outside / "created.txt")
    (cache / f"stat-{build_id()}.{SUFFIX}").symlink_to(outside / "stat.json")
    result = check(project, "--cache-dir", ".importcanon_cache", home=tmp_path / "home")
    assert reported(result)
    assert snapshot(outside) == {"victim.txt": b"precious\n"}
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "symlink" in warnings[0], result.stderr


def test_pruning_removes_only_what_importcanon_wrote(tmp_path: Path) -> None:
    """Entries named like a cache's but not written by importcanon, beside a real cache
    (and inside one of its stale entries), survive the pruning of a later run."""
    project = hostile(tmp_path)
    cache = tmp_path / "cache"
    run_cli("check", "--output-format", "json", cwd=project, cache=cache)
    stale = cache / "results-0123456789abcdef"
    foreign = {
        **{f"{kind}-notes.txt": f"{kind} notes\n" for kind in KINDS},
        **{f"{kind}-mine/keep.txt": "mine\n" for kind in KINDS},
        "results-0123456789abcdef/keep.txt": "mine\n",
    }
    write_tree(cache, foreign)
    (stale / "0.json").write_text("[]")  # named as importcanon names its files: may go
    (project / "src/pkg/c.py").write_text("import pkg.a\n")  # so that every cache is written
    run_cli("check", "--output-format", "json", cwd=project, cache=cache)
    for rel, text in foreign.items():
        assert (cache / rel).read_text() == text, rel


@pytest.mark.parametrize("where", [".", "src", "src/pkg"])
def test_the_project_root_or_a_foreign_folder_is_not_a_cache(tmp_path: Path, where: str) -> None:
    """`--cache-dir .` (or any non-empty folder that is not an importcanon cache): one
    line of warning, the run goes on without a cache, nothing is written there."""
    project = hostile(tmp_path)
    before = snapshot(project)
    result = run_cli("check", "--output-format", "json", "--cache-dir", where, cwd=project)
    assert result.json() and "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "running without a cache" in warnings[0], result.stderr
    assert snapshot(project) == before
    assert not (project / ".gitignore").exists()


def test_swapped_files_of_the_same_size_and_time_are_seen(tmp_path: Path) -> None:
    """Two files of equal size and time exchanged (as a checkout or a rename can): the
    report follows the content, and `--fix` edits the file that needs it."""
    project = hostile(
        tmp_path,
        {
            "src/pkg/left.py": "from pkg.old import X\n",
            "src/pkg/right.py": "from pkg.new import X\n",
        },
    )
    cache = tmp_path / "cache"
    first = run_cli("check", "--output-format", "json", cwd=project, cache=cache).json()
    assert [d["code"] for d in first if d["filename"].endswith("left.py")] == ["IMC001"]
    left, right = project / "src/pkg/left.py", project / "src/pkg/right.py"
    os.rename(left, tmp_path / "swap")
    os.rename(right, left)
    os.rename(tmp_path / "swap", right)
    for path in (left, right, left.parent):
        os.utime(path, (PAST, PAST))
    after = run_cli("check", "--output-format", "json", cwd=project, cache=cache).json()
    flagged = sorted(Path(d["filename"]).name for d in after if d["code"] == "IMC001")
    assert "right.py" in flagged and "left.py" not in flagged
    run_cli("check", "--fix", cwd=project, cache=cache)
    assert left.read_text() == "from pkg.new import X\n"
    assert right.read_text() == "from pkg.new import X\n"


def test_kept_output_that_no_format_writes_is_a_miss(tmp_path: Path) -> None:
    """The kept JSON text of an unchanged project, replaced by text no JSON format writes
    (a terminal escape sequence, a bell, non-ASCII, a carriage return) or by values of
    the wrong type: each is a miss, and the output is the one without a cache (no escape
    sequence reaches the terminal)."""
    project = hostile(tmp_path)
    args = ("check", "--output-format", "json")
    clean = run_cli(*args, "--no-cache", cwd=project)
    forged = [
        ["[]\x1b]0;pwned\x07\n", 0],
        ["[]\x1b[2J\n", 0],
        ["[]\r\n", 0],
        ["[\u202e]\n", 0],
        ["[]\n", -1],
        ["[]\n", "0"],
        [b"[]\n", 0],
        ["[]\n"],
        "[]\n",
    ]
    for index, value in enumerate(forged):
        cache = tmp_path / f"cache{index}"
        run_cli(*args, cwd=project, cache=cache)
        kept = list(cache.glob(f"output-*/*.{SUFFIX}"))
        assert len(kept) == 1
        kept[0].write_bytes(marshal.dumps(value))
        result = run_cli(*args, cwd=project, cache=cache)
        assert "Traceback" not in result.stderr, (value, result.stderr)
        assert result.stdout == clean.stdout, value
        assert result.code == clean.code, value
