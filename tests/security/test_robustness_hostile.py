"""Hostile input that must end in a diagnostic or a one-line error, never a traceback;
output that a hostile name cannot forge; output that does not depend on the hash seed.

Each test runs the real CLI (or flake8, lint-imports) in a subprocess on a project
written to disk."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import Result, run_cli, tool, write_tree

PYPROJECT = {"pyproject.toml": "[tool.importcanon]\n", "src/pkg/__init__.py": ""}
FACADES = '[[contract]]\nid = "facades"\nname = "No facades"\nkind = "no-reexports"\n'
MOVES = (
    '[[contract]]\nid = "moves"\nname = "Moves"\nkind = "moved-modules"\n'
    '[contract.moves]\n"pkg.old" = "pkg.new"\n'
)
# a control character, or a line that GitHub's runner would read as a workflow command
_FORGED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]|^\s*::|##\[", re.MULTILINE)


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "RecursionError" not in result.stderr + result.stdout


def one_line_error(result: Result) -> str:
    """The one line a configuration error prints; exit code 2."""
    no_traceback(result)
    assert result.code == 2, (result.code, result.stdout[-500:], result.stderr[-2000:])
    assert result.stderr.startswith("importcanon: error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


# -- no recursion limits ------------------------------------------------------------------


def test_all_built_from_thousands_of_concatenated_lists(tmp_path: Path) -> None:
    lists = " + ".join(["['X']"] * 1500)
    project = write_tree(
        tmp_path,
        {
            **PYPROJECT,
            "contracts/c.toml": FACADES,
            "src/pkg/new.py": "X = 1\n",
            "src/pkg/facade.py": f"from pkg.new import X\n__all__ = {lists}\n",
        },
    )
    result = run_cli("check", "--output-format", "json", cwd=project)
    no_traceback(result)
    assert result.code == 1
    found = {(d["code"], d["details"].get("name")) for d in result.json()}
    assert ("IMC101", "X") in found  # __all__ was read to its end: X is listed


def _chain(tmp_path: Path, depth: int, link: str) -> Path:
    """``pkg.m00000`` -> ``pkg.m00001`` -> ... -> ``pkg.m<depth>``, which defines X;
    a user imports X from the top, so resolving it walks the whole chain at once."""
    files = {**PYPROJECT, "contracts/c.toml": FACADES}
    files[f"src/pkg/m{depth:05d}.py"] = "X = 1\n__all__ = ['X']\n"
    for i in range(depth):
        files[f"src/pkg/m{i:05d}.py"] = link.format(next=f"m{i + 1:05d}")
    files["src/pkg/user.py"] = "from pkg.m00000 import X\n"
    return write_tree(tmp_path, files)


@pytest.mark.parametrize(
    "link",
    [
        pytest.param("from pkg.{next} import X\n__all__ = ['X']\n", id="reexport-chain"),
        pytest.param("from pkg.{next} import *\n", id="star-import-chain"),
        pytest.param(
            "from pkg import {next}\nfrom pkg.{next} import *\n__all__ = ['Y']\n"
            "__all__ += {next}.__all__\n",
            id="all-extends-chain",
        ),
    ],
)
def test_chains_hundreds_deep_resolve(tmp_path: Path, link: str) -> None:
    depth = 1200
    project = _chain(tmp_path, depth, link)
    result = run_cli("check", "--output-format", "json", cwd=project)
    no_traceback(result)
    assert result.code == 1
    via = [d for d in result.json() if d["code"] == "IMC102" and d["filename"].endswith("user.py")]
    assert [d["details"]["defined_in"] for d in via] == [f"pkg.m{depth:05d}"]


def _attribute_chain(tmp_path: Path) -> Path:
    chain = ".".join(f"a{i}" for i in range(1500))
    return write_tree(
        tmp_path,
        {
            **PYPROJECT,
            "contracts/c.toml": MOVES,
            "src/pkg/new.py": "",
            "src/pkg/user.py": f"import pkg.old.{chain}\nx = pkg.old.{chain}\n",
        },
    )


def test_attribute_chain_of_1500_in_json_output(tmp_path: Path) -> None:
    project = _attribute_chain(tmp_path)
    result = run_cli("check", "--output-format", "json", cwd=project)
    no_traceback(result)
    assert result.code == 1
    assert [d["code"] for d in result.json()] == ["IMC001"]


def test_attribute_chain_of_1500_under_fix(tmp_path: Path) -> None:
    project = _attribute_chain(tmp_path)
    before = (project / "src/pkg/user.py").read_bytes()
    result = run_cli("check", "--fix", cwd=project)
    no_traceback(result)
    assert result.code == 1  # the fix could not be built: reported, the file left alone
    assert (project / "src/pkg/user.py").read_bytes() == before
    assert "IMC001" in result.stdout


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        pytest.param(
            "contracts/c.toml",
            '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\npaths = '
            + "[" * 500
            + "]" * 500
            + "\n",
            5,
            id="arrays-in-a-contract",
        ),
        pytest.param(
            "pyproject.toml",
            "[tool.importcanon]\n\n[tool.other]\nx = " + "{a = " * 500 + "1" + "}" * 500 + "\n",
            4,
            id="inline-tables-in-pyproject",
        ),
    ],
)
def test_toml_nested_500_deep_is_one_line(tmp_path: Path, name: str, text: str, line: int) -> None:
    project = write_tree(tmp_path, {**PYPROJECT, "contracts/c.toml": "", name: text})
    message = one_line_error(run_cli("check", cwd=project))
    assert f"{name.split('/')[-1]}:{line}: " in message
    assert "nested too deeply" in message


def _moves_project(root: Path, count: int) -> tuple[Path, int]:
    """``count`` moves, then one whose legacy path the last of them covers (the pair
    that a comparison of every path with every other finds last)."""
    entries = [f'"pkg.old{i}" = "pkg.new{i}"' for i in range(count)]
    entries.append(f'"pkg.old{count - 1}.sub" = "pkg.elsewhere"')
    text = '[[contract]]\nid = "m"\nname = "m"\nkind = "moved-modules"\n[contract.moves]\n'
    files = {**PYPROJECT, "contracts/c.toml": text + "\n".join(entries) + "\n"}
    return write_tree(root, files), 6 + count


def _cpu_seconds(project: Path) -> tuple[float, Result]:
    """The CPU time the CLI spends (not wall time: the machine may be busy)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-m", "importcanon", "check", "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return spent, Result(proc.returncode, proc.stdout, proc.stderr)


def test_ten_thousand_moves_validate_in_linear_time(tmp_path: Path) -> None:
    """Every legacy path was compared with every other, and each entry's line searched
    for in the whole file: ten times the moves took a hundred times as long (minutes for
    10,000). Linear: ten times the moves, a few times the (mostly start-up) time."""
    spent = {}
    for count in (1_000, 10_000):
        project, row = _moves_project(tmp_path / str(count), count)
        spent[count], result = _cpu_seconds(project)
        message = one_line_error(result)
        assert f"c.toml:{row}: contract `m`, field `moves`" in message
        assert f"`pkg.old{count - 1}` covers `pkg.old{count - 1}.sub`" in message
    assert spent[10_000] < 10 * spent[1_000], spent


# -- every bad configuration: exit 2, one line, file, line, contract and field -------------

# wrong values of every TOML type; a field skips those of its own type
WRONG = {
    "integer": "1",
    "boolean": "true",
    "date-time": "1979-05-27T07:32:00Z",
    "string": '"x"',
    "integers": "[1, 2]",
    "mixed": '["a", ["b"]]',
    "tables": '[{a = "b"}]',
    "nested": "{a = {b = {c = 1}}}",
}
PROJECT_FIELDS = {
    "root_packages": "array",
    "source_roots": "array",
    "contracts": "string",
    "exclude": "array",
    "respect_gitignore": "boolean",
    "per-file-ignores": "table",
}
# kind -> (the lines it needs, {field: its type})
KINDS = {
    "acyclic": (
        [],
        {
            "id": "string",
            "name": "string",
            "kind": "choice",
            "acceptance": "string",
            "severity": "choice",
            "paths": "array",
            "exclude": "array",
            "ignore_imports": "array",
            "packages": "array",
            "granularity": "choice",
            "include_type_checking": "boolean",
            "ignore_deferred": "boolean",
        },
    ),
    "moved-modules": (
        ['moves = {"pkg.a" = "pkg.b"}'],
        {"moves": "table", "text_files": "array"},
    ),
    "no-reexports": ([], {"modules": "array", "public_modules": "array"}),
    "no-relative-imports": ([], {"scope": "choice"}),
    "layout": (
        ['package = "pkg"', 'root_modules = ["__init__"]'],
        {"package": "string", "root_modules": "array"},
    ),
    "banned-imports": (['modules = ["mock"]'], {"modules": "array", "message": "string"}),
}
SKIP = {"string": {"string"}, "boolean": {"boolean"}, "table": set(), "array": set()}


def _wrong_values(kind: str, turn: int) -> list[str]:
    """Four wrong values for a field of type ``kind``, taken in turn from WRONG so that
    every type is tried on many fields (tests/unit/test_config_fuzz.py tries all)."""
    names = [name for name in WRONG if name not in SKIP.get(kind, set())]
    return [names[(turn + i) % len(names)] for i in range(4)]


def _contract_case(kind: str, field: str, value: str) -> tuple[str, int]:
    required, _ = KINDS[kind]
    head = {"id": '"x"', "name": '"x"', "kind": f'"{kind}"'}
    if field in head:
        head[field] = value
    lines = ["[[contract]]", *(f"{k} = {v}" for k, v in head.items())]
    lines += [line for line in required if not line.startswith(f"{field} ")]
    if field not in ("id", "name", "kind"):
        lines.append(f"{field} = {value}")
    row = next(i for i, line in enumerate(lines, 1) if line.startswith(f"{field} ="))
    return "\n".join(lines) + "\n", row


CONTRACT_CASES = [
    (kind, field, wrong)
    for turn, (kind, field, type_) in enumerate(
        (kind, field, type_)
        for kind, (_, fields) in KINDS.items()
        for field, type_ in fields.items()
    )
    for wrong in _wrong_values(type_, turn)
]
PROJECT_CASES = [
    (field, wrong)
    for turn, (field, type_) in enumerate(PROJECT_FIELDS.items())
    for wrong in _wrong_values(type_, turn)
]


def _check_all(projects: list[Path]) -> list[Result]:
    with ThreadPoolExecutor(3) as pool:
        return list(pool.map(lambda p: run_cli("check", cwd=p), projects))


def test_every_contract_field_of_every_wrong_type(tmp_path: Path) -> None:
    projects, expected = [], []
    for index, (kind, field, wrong) in enumerate(CONTRACT_CASES):
        text, row = _contract_case(kind, field, WRONG[wrong])
        projects.append(write_tree(tmp_path / str(index), {**PYPROJECT, "contracts/c.toml": text}))
        expected.append((f"c.toml:{row}: ", f"field `{field}`"))
    for case, result, (where, field_named) in zip(
        CONTRACT_CASES, _check_all(projects), expected, strict=True
    ):
        message = one_line_error(result)
        contract = "contract #1" if case[1] == "id" else "contract `x`"
        for part in (where, field_named, contract):
            assert part in message, (case, message)


def test_every_project_field_of_every_wrong_type(tmp_path: Path) -> None:
    """Each field in turn as ``[tool.importcanon]`` with ``field = ...`` and as ``[tool]``
    with ``importcanon.field = ...`` (a valid spelling that was not seen as the section)."""
    spellings = (
        "[tool.importcanon]\n{field} = {value}\n",
        "[tool]\nimportcanon.{field} = {value}\n",
    )
    projects = [
        write_tree(
            tmp_path / str(index),
            {
                **PYPROJECT,
                "pyproject.toml": spellings[index % 2].format(field=field, value=WRONG[wrong]),
            },
        )
        for index, (field, wrong) in enumerate(PROJECT_CASES)
    ]
    for case, result in zip(PROJECT_CASES, _check_all(projects), strict=True):
        message = one_line_error(result)
        assert "pyproject.toml:2: " in message and f"field `{case[0]}`" in message, (case, message)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"contracts/c.toml": "contract = [1]\n"},
            ["c.toml:1: ", "contract #1", "field `contract`", "got an integer"],
            id="contract-array-of-integers",
        ),
        pytest.param(
            {"contracts/c.toml": 'contract = ["x"]\n'},
            ["c.toml:1: ", "contract #1", "got a string"],
            id="contract-array-of-strings",
        ),
        pytest.param(
            {"contracts/c.toml": '[contract]\nid = "x"\n'},
            ["c.toml:1: ", "field `contract`", "got a table"],
            id="contract-a-single-table",
        ),
        pytest.param(
            {"pyproject.toml": "[tool]\nimportcanon = 1\n"},
            ["pyproject.toml:2: ", "field `tool.importcanon`", "got an integer"],
            id="tool-importcanon-an-integer",
        ),
        pytest.param(
            {"pyproject.toml": "[[tool.importcanon]]\n"},
            ["pyproject.toml:1: ", "field `tool.importcanon`", "got an array"],
            id="tool-importcanon-an-array",
        ),
        pytest.param(
            {
                "pyproject.toml": "[tool.importcanon]\n\n[tool.importcanon.per-file-ignores]\n"
                '"tests/*" = ["IMC001", ["IMC002"]]\n'
            },
            ["pyproject.toml:4: ", "field `per-file-ignores`", "entry `tests/*`"],
            id="per-file-ignores-nested-array",
        ),
        pytest.param(
            {
                "contracts/c.toml": '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\n'
                '"paths\\n\\u001b[31m::error::x" = 1\n'
            },
            ["c.toml:", "contract `x`", "\\n\\x1b[31m::error::x", "unknown field"],
            id="control-characters-in-a-key",
        ),
    ],
)
def test_named_type_confusions(tmp_path: Path, files: dict[str, str], expected: list[str]) -> None:
    project = write_tree(tmp_path, {**PYPROJECT, **files})
    message = one_line_error(run_cli("check", cwd=project))
    for part in expected:
        assert part in message, message


BROKEN = '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\ngranularity = 1\n'


@pytest.mark.parametrize(
    ("jobs", "files", "expected"),
    [
        pytest.param(
            "1",
            {"contracts/c.toml": BROKEN},
            "c.toml:5: contract `x`, field `granularity`",
            id="broken-contract",
        ),
        pytest.param(
            "2",
            {"contracts/c.toml": BROKEN},
            "c.toml:5: contract `x`, field `granularity`",
            id="broken-contract-in-workers",
        ),
        pytest.param(
            "1",
            {"pyproject.toml": "[tool.importcanon]\nroot_packages = [\n"},
            "pyproject.toml:2: invalid TOML",
            id="pyproject-that-does-not-parse",
        ),
    ],
)
def test_flake8_reports_a_broken_configuration_and_runs_on(
    tmp_path: Path, jobs: str, files: dict[str, str], expected: str
) -> None:
    project = write_tree(tmp_path, {**PYPROJECT, "src/pkg/a.py": "import os\n", **files})
    result = tool("flake8", "--jobs", jobs, "src", cwd=project)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    ours = [line for line in lines if " IMC000 " in line]
    assert sorted(line.split(":")[0] for line in ours) == ["src/pkg/__init__.py", "src/pkg/a.py"]
    assert all(expected in line for line in ours), ours
    assert any(" F401 " in line for line in lines)  # the other plugins still report


def test_lint_imports_reports_a_type_confusion(tmp_path: Path) -> None:
    contracts, expected = "contract = [1]\n", "contract #1, field `contract`"
    project = write_tree(
        tmp_path,
        {
            **PYPROJECT,
            "contracts/c.toml": contracts,
            ".importlinter": "[importlinter]\nroot_package = pkg\ncontract_types =\n"
            "    importcanon: importcanon.integrations.importlinter.ImportCanonContract\n"
            "[importlinter:contract:canon]\nname = canon\ntype = importcanon\n",
        },
    )
    result = tool("lint-imports", cwd=project, env={"COLUMNS": "400"})
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    assert "importcanon: " in result.stdout and expected in result.stdout, result.stdout


def test_lint_imports_prints_hostile_names_as_they_are(tmp_path: Path) -> None:
    """rich reads ``[...]`` as markup: a contract named ``[/red]`` ended the run."""
    project = write_tree(
        tmp_path,
        {
            **PYPROJECT,
            "contracts/c.toml": '[[contract]]\nid = "b"\nname = "[/red] [bold]x"\n'
            'kind = "banned-imports"\nmodules = ["os"]\n',
            "src/pkg/a.py": "import os\n",
            ".importlinter": "[importlinter]\nroot_package = pkg\ncontract_types =\n"
            "    importcanon: importcanon.integrations.importlinter.ImportCanonContract\n"
            "[importlinter:contract:canon]\nname = canon\ntype = importcanon\n",
        },
    )
    result = tool("lint-imports", cwd=project, env={"COLUMNS": "400"})
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    assert "[/red] [bold]x (b):" in result.stdout


# -- output escaping ------------------------------------------------------------------------

HOSTILE_NAMES = [
    "tests/x\n::error file=a.py,line=1::forged.py",
    "tests/\x1b[31mred.py",
    "::warning::top.py",
    "tests/##[error]legacy.py",
    "tests/h#ash.py",
    "tests/bidi\u202eyp.py",
]


def _hostile_outputs(tmp_path: Path) -> Path:
    files = {
        **PYPROJECT,
        "contracts/c.toml": '[[contract]]\nid = "b"\nname = "No\\n::error::mocks"\n'
        'kind = "banned-imports"\nmodules = ["mock"]\nacceptance = "a\\n::warning::b"\n',
        "tests/src.py": "x = '\x1b[2J'; import mock\n",
    }
    files.update({name: "import mock\n" for name in HOSTILE_NAMES})
    return write_tree(tmp_path, files)


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_text_formats_escape_names(tmp_path: Path, fmt: str) -> None:
    project = _hostile_outputs(tmp_path)
    result = run_cli("check", "--output-format", fmt, cwd=project)
    assert result.code == 1
    assert not _FORGED.search(result.stdout), result.stdout
    assert result.stdout.count("IMC501") == len(HOSTILE_NAMES) + 1
    assert "tests/x\\n::error file=a.py,line=1::forged.py:1:1: IMC501" in result.stdout
    assert "./::warning::top.py:1:1: IMC501" in result.stdout
    assert "tests/\\x1b[31mred.py:1:1:" in result.stdout
    assert "tests/bidi\\u202eyp.py:1:1:" in result.stdout
    if fmt == "full":  # the source line is escaped, and the caret still under `import mock`
        lines = result.stdout.splitlines()
        at = lines.index("1 | x = '\\x1b[2J'; import mock")
        assert lines[at + 1] == "  | " + " " * len("x = '\\x1b[2J'; ") + "^" * len("import mock")


def test_github_format_is_one_command_per_diagnostic(tmp_path: Path) -> None:
    project = _hostile_outputs(tmp_path)
    result = run_cli("check", "--output-format", "github", cwd=project)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(HOSTILE_NAMES) + 1
    assert all(re.match(r"::error file=[^:,]*,line=\d+,col=\d+,", line) for line in lines), lines
    assert not re.search(r"[\x00-\x1f\x7f\u202e]", "".join(lines))
    assert "file=tests/x%0A%3A%3Aerror file=a.py%2Cline=1%3A%3Aforged.py," in result.stdout
    assert "file=%3A%3Awarning%3A%3Atop.py," in result.stdout


def test_sarif_uris_are_percent_encoded(tmp_path: Path) -> None:
    project = _hostile_outputs(tmp_path)
    result = run_cli("check", "--output-format", "sarif", cwd=project)
    assert result.code == 1
    run = json.loads(result.stdout)["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert "tests/h%23ash.py" in uris
    for uri in uris:
        parsed = urllib.parse.urlsplit(urllib.parse.urljoin(base, uri))
        assert not parsed.fragment and not parsed.query, uri
        assert Path(urllib.parse.unquote(parsed.path)).is_file(), uri


def test_status_table_escapes_contract_text(tmp_path: Path) -> None:
    project = _hostile_outputs(tmp_path)
    result = run_cli("status", cwd=project)
    assert result.code == 1
    assert not _FORGED.search(result.stdout), result.stdout
    assert "No ::error::mocks" in result.stdout and "acceptance: a ::warning::b" in result.stdout


def test_config_error_names_are_escaped(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path,
        {
            **PYPROJECT,
            "contracts/c.toml": '[[contract]]\nid = "x"\nname = "x"\nkind = "acyclic"\n'
            'packages = ["pkg\\n::error::x"]\n',
        },
    )
    message = one_line_error(run_cli("check", cwd=project))
    assert "`pkg\\n::error::x` is not a valid dotted module name" in message


# -- deterministic output -------------------------------------------------------------------


def _run_seeded(project: Path, seed: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run(
        [sys.executable, "-m", "importcanon", "check", "--no-cache", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**env, "PYTHONHASHSEED": seed},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    return proc.stdout


def test_tied_cycles_print_the_same_across_hash_seeds(tmp_path: Path) -> None:
    """pkg.a -> pkg.b -> pkg.cN -> pkg.a for eight N: eight shortest cycles tie."""
    files = {
        **PYPROJECT,
        "contracts/c.toml": '[[contract]]\nid = "a"\nname = "a"\nkind = "acyclic"\n\n'
        '[[contract]]\nid = "p"\nname = "p"\nkind = "acyclic"\ngranularity = "package"\n',
        "src/pkg/a.py": "import pkg.b\n",
        "src/pkg/b.py": "".join(f"import pkg.c{n}\n" for n in range(8)),
    }
    files.update({f"src/pkg/c{n}.py": "import pkg.a\n" for n in range(8)})
    project = write_tree(tmp_path, files)
    outputs = {_run_seeded(project, seed, "--output-format", "json") for seed in "0123456"}
    assert len(outputs) == 1
    cycles = [d["details"]["cycle"] for d in json.loads(outputs.pop())]
    assert ["pkg.a", "pkg.b", "pkg.c0", "pkg.a"] in cycles
