"""The resident analysis (the language server's) against a whole run: after each edit,
the diagnostics it keeps are those a fresh `importcanon check` of the same buffers finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from importcanon.analysis.project import Project
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.engine.incremental import Resident
from importcanon.engine.run import run
from importcanon.model.diagnostic import Diagnostic
from importcanon.rules.registry import Registry
from tests.helpers import write_tree

FILES = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n',
    "contracts/c.toml": """
[[contract]]
id = "acyclic"
name = "No cycles"
kind = "acyclic"

[[contract]]
id = "facades"
name = "No facades"
kind = "no-reexports"
public_modules = ["pkg"]

[[contract]]
id = "relative"
name = "Absolute imports"
kind = "no-relative-imports"
scope = "all"

[[contract]]
id = "moves"
name = "Moves"
kind = "moved-modules"
[contract.moves]
"pkg.old" = "pkg.core.new"
""",
    "src/pkg/__init__.py": "from pkg.core.model import Model\n",
    "src/pkg/core/__init__.py": "from pkg.core.model import Model, helper\n__all__ = ['Model']\n",
    "src/pkg/core/model.py": "from pkg.core.util import helper\n\nclass Model: ...\n",
    "src/pkg/core/util.py": "def helper(): ...\nVALUE = 1\n",
    "src/pkg/core/new.py": "X = 1\n",
    "src/pkg/api.py": "from pkg.core import Model\nfrom pkg.core.model import helper\n",
    "src/pkg/star.py": "from pkg.core.util import *\n",
    "src/pkg/a.py": "import pkg.b\n",
    "src/pkg/b.py": "X = 1\n",
    "src/pkg/c.py": "",
    "tests/test_api.py": "from pkg.core import helper\n",
}

EDITS: list[tuple[str, str | None]] = [
    ("src/pkg/b.py", "import pkg.a\n"),  # a cycle appears
    ("src/pkg/c.py", "import pkg.a\n"),  # a second cycle through a
    ("src/pkg/a.py", "import pkg.b  # noqa\nimport pkg.c\n"),  # a quiet edge
    ("src/pkg/a.py", "\n\nimport pkg.b\nimport pkg.c\n"),  # lines move
    ("src/pkg/core/util.py", "VALUE = 1\n"),  # helper no longer defined: chains change
    ("src/pkg/core/util.py", "def helper(): ...\nVALUE = 1\n"),
    ("src/pkg/core/new.py", "from pkg.core.util import VALUE\nX = 1\n"),  # a re-export by use
    ("src/pkg/api.py", "from pkg.core.new import VALUE\n"),  # ... used from elsewhere
    ("src/pkg/b.py", "import pkg.a  # noqa: IMC301\n"),  # the cycle suppressed
    ("src/pkg/star.py", "from pkg.core.model import *\n"),  # star imports change
    ("src/pkg/api.py", "from . import a\nfrom pkg.old import x\n"),  # relative, legacy
    ("src/pkg/core/model.py", "from pkg.core.util import (\n"),  # a syntax error
    ("src/pkg/core/model.py", None),  # back to the file on disk
    ("src/pkg/core/__init__.py", "from pkg.core.model import Model\n__all__ = ['Model', 'x']\n"),
    ("tests/test_api.py", "from pkg import Model\nfrom pkg.core.new import VALUE\n"),
    ("src/pkg/b.py", None),
]


def key(d: Diagnostic) -> tuple[Any, ...]:
    return (d.path, d.location, d.end_location, d.code, d.contract, d.message)


def test_every_edit_matches_a_whole_run(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    config = load_project(root, codes=Registry().codes())
    contracts = load_contracts(config, kinds=Registry())
    resident = Resident(Project(config, contracts), kinds=Registry())
    resident.analyse()
    buffers: dict[Path, bytes] = {}
    for rel, text in EDITS:
        path = root / rel
        if text is None:
            buffers.pop(path, None)
        else:
            buffers[path] = text.encode()
        before = {p: list(found) for p, found in resident.reported.items()}
        changed = resident.update(path, None if text is None else text.encode())
        whole = run(Project(config, contracts, overrides=dict(buffers))).diagnostics
        kept = [d for found in resident.reported.values() for d in found]
        assert sorted(map(key, kept)) == sorted(map(key, whole)), rel
        moved = {
            p
            for p in set(before) | set(resident.reported)
            if before.get(p, []) != resident.reported.get(p, [])
        }
        assert changed == moved, rel
