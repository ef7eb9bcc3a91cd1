"""import-linter contract type: run importcanon's contracts inside `lint-imports`, on the
graph import-linter already built.

    [importlinter]
    contract_types =
        importcanon: importcanon.integrations.importlinter.ImportCanonContract

    [importlinter:contract:canon]
    name = Refactoring acceptance criteria
    type = importcanon
    contracts = contracts        # the folder (default: contracts)
    ids = acyclic, absolute-init # optional: only these contracts
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path
from typing import Any

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck

from importcanon.analysis.cache import default_dir
from importcanon.analysis.project import Project
from importcanon.config.contracts import load_contracts
from importcanon.config.fields import relative_path_check
from importcanon.config.project import load_project
from importcanon.config.wall import resolves_inside, shown
from importcanon.engine.adopt import apply_baseline
from importcanon.engine.run import Options, run
from importcanon.model.errors import ConfigError, UsageError
from importcanon.model.escape import one_line, printable
from importcanon.report.text import relative
from importcanon.rules import plugins
from importcanon.rules.registry import Registry


class ImportCanonContract(Contract):
    type_name = "importcanon"
    contracts = fields.StringField(required=False, default="contracts")
    ids = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        try:
            kinds = Registry(plugins=plugins.discover)
            config = load_project(Path.cwd(), codes=kinds.codes())
            config = dataclasses.replace(config, contracts_dir=self._contracts_dir(config.root))
            project = Project(
                config,
                load_contracts(config, kinds=kinds),
                given_graph=graph,
                cache_dir=default_dir(config.root),
            )
            options = Options(contract_ids=self._ids(), baseline=apply_baseline, kinds=kinds)
            outcome = run(project, options)
        except (ConfigError, UsageError) as exc:
            return ContractCheck(kept=False, metadata={"error": _shown(str(exc)), "groups": {}})
        groups: dict[str, list[str]] = defaultdict(list)
        names = {c.id: one_line(c.name) for c in outcome.contracts}
        warnings = []
        for d in outcome.diagnostics:
            where = relative(d.path, config.root)
            line = _shown(f"{where}:{d.location.row}: {d.code} {d.message}")
            if d.severity == "warning":
                warnings.append(line)
            else:
                label = f"{names.get(d.contract, 'syntax errors')} ({d.contract or 'IMC900'})"
                groups[_shown(label)].append(line)
        return ContractCheck(kept=not groups, warnings=warnings, metadata={"groups": dict(groups)})

    def _contracts_dir(self, root: Path) -> str:
        """``contracts``, a folder inside the project root as `[tool.importcanon]`'s own
        ``contracts`` must be: by its text, and by where its links lead."""
        folder = str(self.contracts)
        problem = relative_path_check(folder)
        if problem is None and not resolves_inside(root / folder, root):
            problem = f"`{shown(folder)}` leads outside the project root through a symbolic link"
        if problem:
            raise ConfigError(problem, contract=str(self.name), field="contracts")
        return folder

    def _ids(self) -> tuple[str, ...]:
        """``ids`` as a list (one per line) or comma-separated on one line."""
        raw: Any = self.ids or []
        return tuple(i for item in raw for i in str(item).replace(",", " ").split())

    def render_broken_contract(self, check: ContractCheck) -> None:
        if "error" in check.metadata:
            output.print_error(f"importcanon: {check.metadata['error']}")
            return
        for label, lines in check.metadata["groups"].items():
            output.print_error(f"{label}:")
            output.new_line()
            for line in lines:
                output.print_error(f"-   {line}", bold=False)
            output.new_line()


def _shown(text: str) -> str:
    """One printable line that import-linter's console (rich) prints as it is: file and
    module names may hold ``[``, which rich would read as markup (or fail on)."""
    from rich.markup import escape  # rich is import-linter's own dependency

    return escape(printable(text))
