"""Real-world end to end: `importcanon move` on five real projects, one per build-backend
family, each from its pinned sdist (requirements/move-corpus.txt) with its own test suite.

Each project is committed to a fresh git repository (with `[tool.importcanon]` added to its
`pyproject.toml`), then, each from a fresh copy, four scenarios: (a) two module moves one
after the other into a new subpackage, (b) a rename of the package, (c) a rename into
another source root, (d) a change of source root only. After each, it records:

- `move`: the exit code of every `importcanon move`;
- `git`: `git status --porcelain` shows renames and modifications only (new files only
  `__init__.py` and contracts);
- `check`: `importcanon check` leaves no IMC001/IMC002, and no IMC003 on a string that is
  exactly a dotted path (`"pkg.mod"`, `"pkg.mod:attr"`) or a code span of one;
- `tests`: the project's own suite gives the same pass/fail/skip counts as before the move;
- `build`: the tree installs offline (`--no-index`, build isolation on, the backend taken
  from the project's wheelhouse) into a fresh venv;
- `import`: the new modules import from site-packages and the old ones are gone;
- `entry-points`: every entry point of the installed distribution loads.

The table is printed at the end (`make test-realworld` runs with `-s`) and written to
.cache/move-projects.json. The sdists and the wheelhouses (build backend, runtime and test
dependencies) are downloaded once into the corpus cache; everything afterwards is offline.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.realworld.corpus import CACHE, ROOT, uv

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

pytestmark = pytest.mark.realworld

PINS = {
    line.split("==")[0].lower(): line.strip()
    for line in (ROOT / "requirements" / "move-corpus.txt").read_text().splitlines()
    if "==" in line and not line.startswith("#")
}
IDENTITY = ["-c", "user.email=dev@example.invalid", "-c", "user.name=dev"]
CHECKS = ("move", "git", "check", "tests", "build", "import", "entry-points")
OUT = ROOT / ".cache" / "move-projects.json"


@dataclass(frozen=True)
class Project:
    name: str  # the distribution (and its pin in requirements/move-corpus.txt)
    backend: str
    package: str  # the import package
    root: str  # its source root: "." (flat) or "src"
    renamed: str  # the new name in the rename scenarios
    modules: tuple[str, str]  # two modules with several importers, moved in scenario (a)
    subpackage: str  # the new subpackage they move into
    test_requires: tuple[str, ...]
    test_args: tuple[str, ...] = ()  # pytest arguments (none: the project's testpaths)
    rename_args: tuple[str, ...] = ()  # more `move` arguments in the rename scenarios

    @property
    def pin(self) -> str:
        return PINS[self.name]

    @property
    def version(self) -> str:
        return self.pin.split("==")[1]

    @property
    def other_root(self) -> str:
        return "lib" if self.root == "src" else "src"


PROJECTS = [
    # toolz builds module names from the bare string "toolz" in its own code
    # (`module_info['toolz']`, `''.join(['toolz', dot, submodules])`): a plain rename leaves
    # those strings, lists them, and says to run again with --unsafe-fixes, as done here.
    Project(
        "toolz", "setuptools (explicit packages)", "toolz", ".", "funkz",
        ("utils", "_signatures"), "helpers", ("pytest",), rename_args=("--unsafe-fixes",),
    ),
    Project(
        "cachetools", "setuptools (packages.find)", "cachetools", "src", "memotools",
        ("keys", "_decorator"), "helpers", ("pytest",), ("tests",),
    ),
    Project(
        "idna", "flit_core", "idna", ".", "idnax",
        ("core", "intranges"), "impl", ("pytest", "hypothesis"), ("tests",),
    ),
    Project(
        "humanize", "hatchling", "humanize", "src", "humanise",
        ("number", "time"), "helpers", ("pytest", "freezegun", "pytest-benchmark"),
    ),
    Project(
        "tomlkit", "poetry-core", "tomlkit", ".", "tomlcraft",
        ("_utils", "exceptions"), "helpers", ("pytest", "pyyaml"), ("tests",),
    ),
]  # fmt: skip
BY_NAME = {p.name: p for p in PROJECTS}


@dataclass(frozen=True)
class Scenario:
    moves: list[list[str]]  # the arguments of each `importcanon move`
    source_root: str  # where the package lives afterwards
    imports: list[str]  # must import from site-packages afterwards
    gone: list[str]  # must no longer import


def scenario(project: Project, key: str) -> Scenario:
    pkg, new = project.package, project.renamed
    first, second = project.modules
    if key == "a-two-modules":
        old = [f"{pkg}.{first}", f"{pkg}.{second}"]
        moved = [f"{pkg}.{project.subpackage}.{first}", f"{pkg}.{project.subpackage}.{second}"]
        return Scenario([list(pair) for pair in zip(old, moved, strict=True)], project.root,
                        [pkg, *moved], old)  # fmt: skip
    inner = [f"{first}", f"{second}"]
    if key == "b-rename":
        return Scenario([[pkg, new, *project.rename_args]], project.root,
                        [new] + [f"{new}.{m}" for m in inner], [pkg])  # fmt: skip
    if key == "c-rename-root":
        root = project.other_root
        return Scenario([[pkg, new, "--source-root", root, *project.rename_args]], root,
                        [new] + [f"{new}.{m}" for m in inner], [pkg])  # fmt: skip
    assert key == "d-root-only"
    root = project.other_root
    return Scenario([[pkg, pkg, "--source-root", root]], root,
                    [pkg] + [f"{pkg}.{m}" for m in inner], [])  # fmt: skip


SCENARIOS = ["a-two-modules", "b-rename", "c-rename-root", "d-root-only"]
RESULTS: dict[str, dict[str, dict[str, object]]] = {}


# --- the corpus: sdists, wheelhouses, test environments (made once, cached) -----------------


def corpus(project: Project) -> Path:
    return CACHE / "move-projects" / f"{project.name}-{project.version}"


def sdist(project: Project) -> Path:
    """The unpacked sdist of the pin (downloaded once)."""
    folder = corpus(project)
    unpacked = folder / "sdist" / f"{project.name}-{project.version}"
    if not unpacked.is_dir():
        (folder / "sdist").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", project.pin, "-d", str(folder / "sdist")],
            check=True,
        )  # fmt: skip
        (archive,) = (folder / "sdist").glob("*.tar.gz")
        with tarfile.open(archive) as tar:
            tar.extractall(folder / "sdist", filter="data")
    return unpacked


def wheelhouse(project: Project) -> Path:
    """Wheels of the build backend, runtime and test dependencies: afterwards the project
    builds and its tests run with `--no-index` (downloaded once)."""
    folder = corpus(project) / "wheelhouse"
    if not (folder / ".complete").exists():
        meta = tomllib.loads((sdist(project) / "pyproject.toml").read_text())
        wanted = [
            *meta.get("build-system", {}).get("requires", ["setuptools", "wheel"]),
            *meta.get("project", {}).get("dependencies", []),
            *(PINS[name] for name in project.test_requires),
        ]
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary", ":all:",
             "-d", str(folder), *wanted],
            check=True,
        )  # fmt: skip
        (folder / ".complete").write_text("\n".join(wanted) + "\n")
    return folder


def offline_install(venv: Path, project: Project, *what: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*uv(), "pip", "install", "--quiet", "--no-cache", "--no-index", "--find-links",
         str(wheelhouse(project)), "--python", str(venv / "bin" / "python"), *what],
        capture_output=True, text=True, check=False, env=clean_env(),
    )  # fmt: skip


def fresh_venv(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([*uv(), "venv", "--quiet", "--python", sys.executable, str(path)], check=True)
    return path


def suite_env(project: Project) -> Path:
    """A venv with the project's test dependencies (not the project itself)."""
    venv = corpus(project) / "testenv"
    if not (venv / ".complete").exists():
        fresh_venv(venv)
        result = offline_install(venv, project, *(PINS[n] for n in project.test_requires))
        assert result.returncode == 0, result.stderr
        (venv / ".complete").write_text("")
    return venv


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", **extra}


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *IDENTITY, *args], cwd=project, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Each project committed to a git repository, once; every scenario copies it."""
    made: dict[str, Path] = {}
    base = tmp_path_factory.mktemp("move-projects")
    for project in PROJECTS:
        tree = base / project.name
        shutil.copytree(sdist(project), tree)
        pyproject = tree / "pyproject.toml"
        text = pyproject.read_text() if pyproject.exists() else ""
        pyproject.write_text(text.rstrip("\n") + "\n\n[tool.importcanon]\n")
        git(tree, "init", "-q")
        git(tree, "add", "-A")
        git(tree, "commit", "-qm", f"{project.name} {project.version}")
        made[project.name] = tree
    yield made
    _report()


# --- the checks ------------------------------------------------------------------------------

SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")


@dataclass(frozen=True)
class Suite:
    counts: dict[str, int]
    failing: list[str]
    seconds: float
    tail: str


def run_suite(project: Project, tree: Path, source_root: str) -> Suite:
    python = suite_env(project) / "bin" / "python"
    path = tree if source_root == "." else tree / source_root
    start = time.monotonic()
    proc = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", *project.test_args],
        cwd=tree, capture_output=True, text=True, check=False,
        env=clean_env(PYTHONPATH=str(path)), timeout=900,
    )  # fmt: skip
    seconds = time.monotonic() - start
    lines = proc.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    counts: dict[str, int] = {}
    for number, what in SUMMARY.findall(last):
        counts["errors" if what.startswith("error") else what] = int(number)
    failing = sorted(re.findall(r"^(?:FAILED|ERROR) (\S+)", proc.stdout, flags=re.MULTILINE))
    return Suite(counts, failing, seconds, "\n".join(lines[-15:]) + proc.stderr[-2000:])


BASELINES: dict[str, Suite] = {}


def baseline(project: Project, templates: dict[str, Path]) -> Suite:
    if project.name not in BASELINES:
        BASELINES[project.name] = run_suite(project, templates[project.name], project.root)
    return BASELINES[project.name]


ALLOWED_NEW = re.compile(r"(^|/)(__init__\.py|contracts/[^/]+\.toml)$")


def stray_status(tree: Path) -> list[str]:
    """`git status` lines other than renames, modifications, and new `__init__.py` or
    contract files."""
    bad = []
    for line in git(tree, "status", "--porcelain", "--untracked-files=all").splitlines():
        code, path = line[:2], line[3:]
        if code[0] == "R" or code.strip() == "M" or code in ("MM", "RM"):
            continue
        if code in ("A ", "AM", "??") and ALLOWED_NEW.search(path):
            continue
        bad.append(line)
    return bad


DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+(:[A-Za-z_][\w.]*)?")


def string_at(path: Path, row: int, col: int) -> str | None:
    """The value of the string literal of a Python file that holds (row, col), if any."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    except (OSError, SyntaxError, tokenize.TokenError, UnicodeDecodeError):
        return None
    for token in tokens:
        if token.type == tokenize.STRING and token.start <= (row, col - 1) < token.end:
            try:
                value = ast.literal_eval(token.string)
            except (ValueError, SyntaxError):
                return None
            return value if isinstance(value, str) else None
    return None


def dotted_reference(tree: Path, diagnostic: dict[str, object]) -> str | None:
    """The IMC003's reported text when it is exactly a dotted path (a string literal that
    `move` says it rewrites, or a Markdown/reST code span of one), else None."""
    path = Path(str(diagnostic["filename"]))
    path = path if path.is_absolute() else tree / path
    row = diagnostic["location"]["row"]  # type: ignore[index]
    col = diagnostic["location"]["column"]  # type: ignore[index]
    if path.suffix in (".py", ".pyi"):
        value = string_at(path, row, col)
        if value is not None and DOTTED.fullmatch(value.strip()):
            return f"{path.relative_to(tree)}:{row}: {value.strip()!r}"
        return None
    try:
        line = path.read_text().splitlines()[row - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    for span in re.findall(r"``?([^`]+)``?", line):
        if DOTTED.fullmatch(span) and str(diagnostic["details"]["legacy"]) in span:  # type: ignore[index]
            return f"{path.relative_to(tree)}:{row}: `{span}`"
    return None


def leftovers(tree: Path) -> tuple[list[str], list[str], int]:
    """IMC001/IMC002 left, IMC003 on a dotted path, and the number of IMC003 in all."""
    result = run_cli("check", "--output-format", "json", cwd=tree)
    if result.code not in (0, 1):
        return [f"check exited {result.code}: {result.stderr.strip()[-300:]}"], [], 0
    diagnostics: list[dict[str, object]] = result.json()
    legacy = [
        f"{d['code']} {Path(str(d['filename'])).name}:{d['location']['row']} {d['message']}"  # type: ignore[index]
        for d in diagnostics
        if d["code"] in ("IMC001", "IMC002", "IMC004")
    ]
    imc003 = [d for d in diagnostics if d["code"] == "IMC003"]
    dotted = [found for d in imc003 if (found := dotted_reference(tree, d))]
    return legacy, dotted, len(imc003)


IMPORT_PROBE = """
import importlib, importlib.metadata, json, sys
found = {}
for name in sys.argv[2].split(","):
    if not name:
        continue
    try:
        found[name] = getattr(importlib.import_module(name), "__file__", None) or "namespace"
    except Exception as exc:
        found[name] = f"!{type(exc).__name__}: {exc}"
points = {}
for point in importlib.metadata.distribution(sys.argv[1]).entry_points:
    try:
        point.load()
        points[f"{point.group}:{point.name}={point.value}"] = "ok"
    except Exception as exc:
        points[f"{point.group}:{point.name}={point.value}"] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"modules": found, "entry_points": points}))
"""


def install_and_probe(
    project: Project, tree: Path, venv: Path, names: list[str]
) -> tuple[str | None, dict[str, dict[str, str]]]:
    fresh_venv(venv)
    result = offline_install(venv, project, str(tree))
    if result.returncode != 0:
        return result.stderr.strip()[-1500:], {}
    outside = venv.parent / "outside"  # an empty folder: nothing importable from the cwd
    outside.mkdir(exist_ok=True)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-c", IMPORT_PROBE, project.name, ",".join(names)],
        cwd=outside, capture_output=True, text=True, check=False, env=clean_env(),
    )  # fmt: skip
    if proc.returncode != 0:
        return proc.stderr.strip()[-1500:], {}
    return None, json.loads(proc.stdout)


# --- the test --------------------------------------------------------------------------------


def test_sdist_suites_pass_before_any_move(tmp_path: Path, templates: dict[str, Path]) -> None:
    """Every chosen project ships its tests, and they pass (nothing fails) unmoved."""
    for project in PROJECTS:
        suite = baseline(project, templates)
        print(f"{project.pin}: {suite.counts} in {suite.seconds:.1f} s")
        assert suite.counts.get("passed", 0) >= 20, suite.tail
        assert not suite.failing, suite.tail
        tree = tmp_path / project.name  # a build writes into the tree: keep the template clean
        shutil.copytree(templates[project.name], tree, symlinks=True)
        error, probe = install_and_probe(
            project,
            tree,
            tmp_path / f"venv-{project.name}",
            [project.package],
        )
        assert error is None, error
        assert "site-packages" in probe["modules"][project.package]
        assert all(v == "ok" for v in probe["entry_points"].values()), probe


@pytest.mark.parametrize("key", SCENARIOS)
@pytest.mark.parametrize("name", [p.name for p in PROJECTS])
def test_move(tmp_path: Path, templates: dict[str, Path], name: str, key: str) -> None:
    project = BY_NAME[name]
    plan = scenario(project, key)
    tree = tmp_path / project.name
    shutil.copytree(templates[name], tree, symlinks=True)
    before = baseline(project, templates)
    record: dict[str, object] = {"commands": [" ".join(["move", *m]) for m in plan.moves]}
    failures: dict[str, str] = {}

    codes, printed = [], []
    for args in plan.moves:
        result = run_cli("move", *args, cwd=tree)
        codes.append(result.code)
        printed.append(result.stdout[-3000:] + result.stderr[-3000:])
        if result.code != 0:
            break
    record["move_codes"] = codes
    record["move_imc003_printed"] = sum(p.count("IMC003") for p in printed)
    if any(codes):
        failures["move"] = f"exit {codes}: " + " | ".join(p.strip()[-600:] for p in printed)
    else:
        stray = stray_status(tree)
        status = git(tree, "status", "--porcelain")
        record["git_renames"] = sum(1 for line in status.splitlines() if line.startswith("R"))
        if stray:
            failures["git"] = "; ".join(stray[:10])

        legacy, dotted, imc003 = leftovers(tree)
        record["imc003_left"] = imc003
        if legacy or dotted:
            failures["check"] = "; ".join((legacy + dotted)[:12])

        after = run_suite(project, tree, plan.source_root)
        record["tests_before"], record["tests_after"] = before.counts, after.counts
        if after.counts != before.counts:
            new = sorted(set(after.failing) - set(before.failing))
            failures["tests"] = f"{before.counts} -> {after.counts}; newly failing: {new[:8]}"
            record["tests_tail"] = after.tail[-2500:]

        error, probe = install_and_probe(project, tree, tmp_path / "venv", plan.imports + plan.gone)
        if error is not None:
            failures["build"] = error
        else:
            modules = probe["modules"]
            wrong = [
                f"{m}: {modules[m]}" for m in plan.imports if "site-packages" not in modules[m]
            ]
            wrong += [f"{m} still imports: {modules[m]}" for m in plan.gone
                      if not modules[m].startswith("!")]  # fmt: skip
            if wrong:
                failures["import"] = "; ".join(wrong)
            broken = {k: v for k, v in probe["entry_points"].items() if v != "ok"}
            record["entry_points"] = len(probe["entry_points"])
            if broken:
                failures["entry-points"] = "; ".join(f"{k}: {v}" for k, v in broken.items())

    skipped = set() if "move" not in failures else set(CHECKS) - {"move"}
    record["checks"] = {
        check: ("skip" if check in skipped else "FAIL" if check in failures else "ok")
        for check in CHECKS
    }
    record["failures"] = failures
    RESULTS.setdefault(name, {})[key] = record
    assert not failures, json.dumps(failures, indent=1)


def _report() -> None:
    if not RESULTS:
        return
    projects = {
        p.name: {
            "pin": p.pin,
            "backend": p.backend,
            "layout": "src" if p.root == "src" else "flat",
            "tests": BASELINES[p.name].counts if p.name in BASELINES else None,
            "suite_seconds": round(BASELINES[p.name].seconds, 1) if p.name in BASELINES else None,
        }
        for p in PROJECTS
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"projects": projects, "results": RESULTS}, indent=2) + "\n")
    width = max(len(p.name) for p in PROJECTS) + 2
    header = f"{'project':<{width}}{'scenario':<16}" + "".join(f"{c:<14}" for c in CHECKS)
    print("\n\nimportcanon move on real projects\n" + header + "\n" + "-" * len(header))
    for name, scenarios in RESULTS.items():
        for key, record in scenarios.items():
            checks: dict[str, str] = record["checks"]  # type: ignore[assignment]
            print(f"{name:<{width}}{key:<16}" + "".join(f"{checks[c]:<14}" for c in CHECKS))
    for name, scenarios in RESULTS.items():
        for key, record in scenarios.items():
            for check, why in record["failures"].items():  # type: ignore[attr-defined]
                print(f"\n{name} {key} {check}: {why[:1500]}")
    print(f"\n(written to {OUT.relative_to(ROOT)})")
