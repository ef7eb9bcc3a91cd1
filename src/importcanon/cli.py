"""The command line: the composition root that wires configuration, analysis and reports."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from importcanon import __version__
from importcanon.analysis.project import Project
from importcanon.analysis.source import decode, split_lines
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.engine.run import Options, Outcome, run
from importcanon.engine.selection import Selection
from importcanon.model.errors import ConfigError, UsageError
from importcanon.report import text

FORMATS = ("full", "concise", "json", "sarif", "github")


def _codes(values: list[str] | None) -> tuple[str, ...]:
    found: list[str] = []
    for value in values or []:
        found.extend(c.strip().upper() for c in value.split(",") if c.strip())
    return tuple(found)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="importcanon", description="Import-graph compliance checker."
    )
    top.add_argument("--version", action="version", version=f"importcanon {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check the project")
    check.add_argument("paths", nargs="*", help="narrow what is reported")
    check.add_argument("--output-format", choices=FORMATS, default="full")
    check.add_argument("--fix", action="store_true")
    check.add_argument("--diff", action="store_true")
    check.add_argument("--unsafe-fixes", action="store_true")
    check.add_argument("--select", action="append")
    check.add_argument("--ignore", action="append")
    check.add_argument("--extend-select", action="append")
    check.add_argument("--contract", action="append", default=[])
    check.add_argument("--stdin-filename")
    check.add_argument("--no-cache", action="store_true")
    check.add_argument("--cache-dir")
    check.add_argument("--exit-zero", action="store_true")
    check.add_argument("--statistics", action="store_true")
    check.add_argument("--config")

    state = sub.add_parser("status", help="every contract with KEPT / BROKEN")
    state.add_argument("--output-format", choices=("text", "json"), default="text")
    state.add_argument("--config")
    state.add_argument("--no-cache", action="store_true")
    state.add_argument("--cache-dir")

    mover = sub.add_parser("move", help="move a module or package and rewrite its imports")
    mover.add_argument("old")
    mover.add_argument("new")
    mover.add_argument("--source-root", help="the folder NEW lands in")
    mover.add_argument("--dry-run", action="store_true")
    mover.add_argument("--unsafe-fixes", action="store_true")
    mover.add_argument("--config")

    explain = sub.add_parser("rule", help="explain a rule")
    explain.add_argument("code", nargs="?")
    explain.add_argument("--all", action="store_true")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command in ("check", "status") and not (
        getattr(args, "fix", False) or getattr(args, "diff", False)
    ):
        # One analysis in a short-lived process: many long-lived objects (facts,
        # diagnostics), little cyclic garbage; the cycle collector's passes cost more than
        # they free (sympy, cold: about 0.3 s of 3 s, the same peak memory). The fix loop,
        # which analyses again and again, keeps it.
        gc.disable()
    try:
        if args.command == "rule":
            return _rule(args)
        if args.command == "status":
            return _status(args)
        if args.command == "move":
            return _move(args)
        return _check(args)
    except (ConfigError, UsageError) as exc:
        print(f"importcanon: error: {exc}", file=sys.stderr)
        return 2


def _project(args: argparse.Namespace, overrides: dict[Path, bytes] | None = None) -> Project:
    config = load_project(Path.cwd(), Path(args.config) if args.config else None)
    contracts = load_contracts(config)
    cache_dir = None
    if not args.no_cache:
        cache_dir = (
            Path(args.cache_dir).resolve() if args.cache_dir else config.root / ".importcanon_cache"
        )
    return Project(config, contracts, overrides=overrides or {}, cache_dir=cache_dir)


def _check(args: argparse.Namespace) -> int:
    overrides: dict[Path, bytes] = {}
    paths = [p for p in args.paths if p != "-"]
    if args.stdin_filename:
        overrides[Path(args.stdin_filename).resolve()] = sys.stdin.buffer.read()
        paths = [args.stdin_filename]
    elif "-" in args.paths:
        raise UsageError("reading from standard input needs --stdin-filename PATH")
    for path in paths:
        if not Path(path).exists() and not args.stdin_filename:
            raise UsageError(f"path does not exist: {path}")
    project = _project(args, overrides)
    options = Options(
        selection=Selection(
            select=_codes(args.select),
            ignore=_codes(args.ignore),
            extend_select=_codes(args.extend_select),
        ),
        contract_ids=tuple(args.contract),
        paths=tuple(Path(p).resolve() for p in paths),
    )
    if args.fix or args.diff:
        return _fix(args, project, options)
    outcome = run(project, options)
    _print_check(args, project, outcome)
    if args.exit_zero:
        return 0
    return 1 if outcome.errors else 0


def _fix(args: argparse.Namespace, project: Project, options: Options) -> int:
    from importcanon.engine import fixing

    def factory(overrides: dict[Path, bytes]) -> Project:
        return Project(
            project.config,
            project.contracts,
            overrides={**project.overrides, **overrides},
            cache_dir=project.cache_dir,
        )

    result = fixing.fix(factory, options, unsafe=args.unsafe_fixes)
    if args.diff:
        diff = fixing.unified_diff(result, project.config.root)
        sys.stdout.write(diff)
        return 1 if diff else 0
    if args.stdin_filename:
        path = Path(args.stdin_filename).resolve()
        sys.stdout.buffer.write(result.fixed.get(path, project.overrides[path]))
        return 0
    fixing.write(result)
    outcome = result.outcome
    if result.skipped:
        outcome = run(factory({}), options)
    _print_check(args, project, outcome, fixed=result.applied)
    if args.exit_zero:
        return 0
    return 1 if outcome.errors else 0


def _print_check(
    args: argparse.Namespace, project: Project, outcome: Outcome, *, fixed: int = 0
) -> None:
    root = project.config.root
    diagnostics = outcome.diagnostics
    if args.statistics:
        sys.stdout.write(text.statistics(diagnostics))
        return
    fmt = args.output_format
    if fmt == "concise":  # the formats that show no fix load no fix code
        sys.stdout.write(text.concise(diagnostics, root))
        return
    if fmt == "github":
        from importcanon.report import github

        sys.stdout.write(github.render(diagnostics, root))
        return
    from importcanon.engine import fixing

    if fmt == "json":
        from importcanon.report import json_format

        sys.stdout.write(json_format.render(fixing.with_fixes(project, diagnostics)))
    elif fmt == "sarif":
        from importcanon.report import sarif
        from importcanon.rules.registry import RULES

        sys.stdout.write(sarif.render(fixing.with_fixes(project, diagnostics), root, RULES))
    else:
        fixable = sum(1 for d in diagnostics if fixing.applicable(d, unsafe=False))

        def lines(path: Path) -> list[str]:
            file = project.by_path.get(path)
            if file is not None:
                return project.lines(file)
            try:
                return split_lines(decode(path.read_bytes()))
            except (OSError, UnicodeDecodeError, SyntaxError):
                return []

        sys.stdout.write(text.full(diagnostics, root, lines, fixable=fixable, fixed=fixed))


def _status(args: argparse.Namespace) -> int:
    project = _project(args)
    outcome = run(project, Options())
    syntax = sum(1 for d in outcome.diagnostics if d.code == "IMC900")
    from importcanon.report import status

    render = status.render_json if args.output_format == "json" else status.render_text
    sys.stdout.write(render(outcome.contracts, outcome.counts, syntax))
    broken = any(
        sum(outcome.counts.get(c.id, {}).values()) and c.severity == "error"
        for c in outcome.contracts
    )
    return 1 if broken or syntax else 0


def _move(args: argparse.Namespace) -> int:
    config = load_project(Path.cwd(), Path(args.config) if args.config else None)
    project = Project(config, load_contracts(config))
    from importcanon.engine import move

    plan = move.make_plan(
        project, args.old, args.new, source_root=args.source_root, unsafe=args.unsafe_fixes
    )
    for line in plan.describe():
        print(_printable(line))
    verb = "would rewrite" if args.dry_run else "rewrote"
    if args.dry_run:
        sys.stdout.write(move.dry_run_diff(plan))
    else:
        move.apply(plan)
    print(f"{verb} {plan.references} references in {len(plan.edits)} files")
    for report in plan.reports:
        print(_printable(report))
    return 0


def _printable(line: str) -> str:
    """Control characters (a hostile file name, say) shown escaped, never sent raw."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def _rule(args: argparse.Namespace) -> int:
    from importcanon.rules.registry import RULES

    if args.all:
        codes = sorted(RULES)
    elif args.code:
        if args.code.upper() not in RULES:
            raise UsageError(f"unknown rule code: {args.code}")
        codes = [args.code.upper()]
    else:
        raise UsageError("give a rule CODE or --all")
    for index, code in enumerate(codes):
        rule = RULES[code]
        if index:
            sys.stdout.write("\n")
        fix = {"never": "no", "sometimes": "sometimes", "always": "yes"}[rule.fix]
        sys.stdout.write(
            f"# {rule.name} ({rule.code})\n\nContract kind: {rule.kind}\nFix available: {fix}\n\n"
            f"{rule.text}\n"
        )
    return 0
