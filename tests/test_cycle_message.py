"""IMC301's message on disk: the cycle it shows may pass through only some of the group's
modules, and then it says so instead of reading as a miscount."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli, write_tree

CONTRACT = '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n'


def messages(root: Path) -> list[str]:
    result = run_cli("check", "--output-format", "json", cwd=root)
    assert result.code == 1, result.stderr
    return [d["message"] for d in json.loads(result.stdout)]


def test_a_shorter_cycle_than_the_group_is_named_as_such(tmp_path: Path) -> None:
    # a <-> b, and b -> c -> a: three modules in the group, the shortest cycle has two
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n',
            "contracts/c.toml": CONTRACT,
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.b\n",
            "pkg/b.py": "import pkg.a\nimport pkg.c\n",
            "pkg/c.py": "import pkg.a\n",
        },
    )
    (message,) = messages(root)
    assert message.startswith(
        "import cycle among 3 modules (the shortest cycle through the suggested cut, 2 of them): "
    ), message


def test_a_cycle_through_the_whole_group_reads_as_before(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.importcanon]\nroot_packages = ["pkg"]\n',
            "contracts/c.toml": CONTRACT,
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.b\n",
            "pkg/b.py": "import pkg.c\n",
            "pkg/c.py": "import pkg.a\n",
        },
    )
    (message,) = messages(root)
    assert message.startswith("import cycle among 3 modules: pkg."), message
