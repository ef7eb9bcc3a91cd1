"""Real-world agreement of the re-export analysis with griffe's static alias resolution.

For every IMC102, griffe loads the package (no inspection), looks up the name in the
facade module and follows the alias to its final target; the module of that target should
be the IMC102's ``defined_in``. Each disagreement is classified and written, with the
counts, to .cache/reexports-<package>.json.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import griffe
import pytest

from tests.helpers import run_cli
from tests.realworld.corpus import NO_FACADES, PACKAGES, ROOT, configure, install

pytestmark = pytest.mark.realworld

CONTRACTS = NO_FACADES


def griffe_module(loader: griffe.GriffeLoader, via: str, name: str) -> str:
    """The module griffe resolves ``via.name`` to; raises when griffe cannot resolve it."""
    target = loader.modules_collection[via][name]
    final = target.final_target if target.is_alias else target
    return str(final.path if final.is_module else final.module.path)


def module_defines(project: Path, module: str, name: str) -> bool:
    """An independent reading of the source: ``name`` is assigned, defined or a class at
    module level (including tuple unpacking, which griffe does not follow)."""
    path = project / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    tree = ast.parse(path.read_bytes())
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if stmt.name == name:
                return True
            continue  # module level only
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                    return True
        for field in ("body", "orelse", "finalbody"):
            stack.extend(getattr(stmt, field, None) or [])
        for handler in getattr(stmt, "handlers", None) or []:
            stack.extend(handler.body)
    return False


@pytest.mark.parametrize("package", PACKAGES)
def test_defined_in_agrees_with_griffe(package: str) -> None:
    project = configure(install(package), package, CONTRACTS)
    result = run_cli("check", "--output-format", "json", cwd=project)
    assert result.code in (0, 1) and "Traceback" not in result.stderr
    found = result.json()
    loader = griffe.GriffeLoader(search_paths=[str(project)], allow_inspection=False)
    loader.load(package)
    agree = 0
    disagreements: list[dict[str, Any]] = []
    for d in found:
        if d["code"] not in ("IMC101", "IMC102") or d["details"]["name"] == "*":
            continue
        details = d["details"]
        # never a re-export of a name the facade itself defines
        assert not module_defines(project, details["via"], details["name"]), details
        if d["code"] != "IMC102":
            continue
        try:
            theirs = griffe_module(loader, details["via"], details["name"])
        except Exception as exc:
            kind = "griffe-unresolved"
            theirs = f"{type(exc).__name__}"
            if module_defines(project, details["defined_in"], details["name"]):
                kind += " (the name is assigned there, e.g. by tuple unpacking)"
            disagreements.append({**details, "griffe": theirs, "kind": kind})
            continue
        if theirs == details["defined_in"]:
            agree += 1
            continue
        kind = "other"
        if theirs == f"{details['via']}.{details['name']}" or theirs.endswith(
            "." + details["name"]
        ):
            kind = "griffe prefers the submodule of the same name; at runtime the binding wins"
        elif module_defines(project, details["defined_in"], details["name"]):
            kind = "conditionally defined in defined_in as well as imported there"
        disagreements.append({**details, "griffe": theirs, "kind": kind})
    total = agree + len(disagreements)
    resolved = total - sum(1 for d in disagreements if d["kind"].startswith("griffe-unresolved"))
    report = {
        "package": package,
        "imc102": total,
        "imc101": sum(1 for d in found if d["code"] == "IMC101"),
        "agree": agree,
        "griffe_resolved": resolved,
        "agreement_of_all": round(agree / total, 4) if total else 1.0,
        "agreement_of_resolved": round(agree / resolved, 4) if resolved else 1.0,
        "disagreements": disagreements,
    }
    (ROOT / ".cache" / f"reexports-{package}.json").write_text(json.dumps(report, indent=2))
    print({k: v for k, v in report.items() if k != "disagreements"})
    unexplained = [d for d in disagreements if d["kind"] == "other"]
    assert unexplained == []
    assert report["agreement_of_resolved"] >= 0.99
