"""The command line: the composition root that wires configuration, analysis and reports."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importcanon import __version__
from importcanon.analysis.cache import default_dir
from importcanon.analysis.project import Project
from importcanon.analysis.source import decode, split_lines
from importcanon.analysis.store import one_analysis
from importcanon.config.contracts import load_contracts
from importcanon.config.project import load_project
from importcanon.config.wall import read_regular
from importcanon.engine.run import Options, Outcome, keep_output, run
from importcanon.engine.selection import Selection
from importcanon.model.errors import ConfigError, UsageError
from importcanon.model.escape import printable
from importcanon.report import github, text
from importcanon.report.reporter import Report, Reporter
from importcanon.rules.base import Kind
from importcanon.rules.registry import Registry

if TYPE_CHECKING:  # (libcst and the fix makers load only when a fix is made)
    from importcanon.engine.move.plan import Plan
    from importcanon.fixes.materialize import Layouts
    from importcanon.model.diagnostic import Fix, FixPlan


def _plugins() -> Mapping[str, Kind[Any]]:
    """The installed plugin kinds (``rules.plugins``): the installed distributions' metadata
    is read only when a contract, a code or the docs need a kind that is not built in."""
    from importcanon.rules import plugins

    return plugins.discover()


def _kinds() -> Registry:
    """The kinds a run may use: the built-in ones and the installed plugins'."""
    return Registry(plugins=_plugins)


def _json() -> Reporter:
    from importcanon.report.json_format import Json  # loads json

    return Json()


def _sarif() -> Reporter:
    from importcanon.report.sarif import Sarif  # loads json and the rule registry

    return Sarif(_kinds())


# `check`'s output formats, by `--output-format` name, and what makes each one's reporter
# (json and sarif, which load json and the rule registry, are imported only when chosen).
REPORTERS: dict[str, Callable[[], Reporter]] = {
    "full": text.Full,
    "concise": text.Concise,
    "json": _json,
    "sarif": _sarif,
    "github": github.Github,
}
STATISTICS: Callable[[], Reporter] = text.Statistics  # --statistics, whatever the format
FORMATS = tuple(REPORTERS)


def _codes(values: list[str] | None, option: str) -> tuple[str, ...]:
    """The codes or prefixes of a repeatable, comma-separated option; an unknown one is a
    usage error (exit 2)."""
    codes = _kinds().codes()
    found: list[str] = []
    for value in values or []:
        for code in (c.strip() for c in value.split(",") if c.strip()):
            if not codes.is_selector(code.upper()):
                raise UsageError(codes.unknown_selector_message(code, option))
            found.append(code.upper())
    return tuple(found)


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, told the terminal's width: argparse makes a formatter for
    every argument it adds, and one not told the width imports ``shutil`` (and with it
    three compression modules) to ask, which costs a cached run a tenth of its time."""

    def __init__(self, prog: str, **options: int | None) -> None:
        if options.get("width") is None:
            options["width"] = _columns() - 2
        super().__init__(prog, **options)  # type: ignore[arg-type]


class _Parser(argparse.ArgumentParser):
    """An argument parser (and, as its class, each subcommand's) with ``_Formatter``."""

    def __init__(self, *args: Any, **options: Any) -> None:
        options.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **options)


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it (80 when unknown)."""
    with contextlib.suppress(ValueError):
        if int(os.environ.get("COLUMNS", "0")) > 0:
            return int(os.environ["COLUMNS"])
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="importcanon", description="Import-graph compliance checker.")
    top.add_argument("--version", action="version", version=f"importcanon {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check the project")
    check.add_argument("paths", nargs="*", help="report only diagnostics in these files or folders")
    check.add_argument(
        "--output-format", choices=FORMATS, default="full", help="how to print (default: full)"
    )
    check.add_argument("--fix", action="store_true", help="apply the safe fixes")
    check.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff; change no file"
    )
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix/--diff: apply unsafe fixes too"
    )
    codes = "(comma-separated codes or prefixes, IMC1 or IMC301; or ALL)"
    check.add_argument(
        "--select", action="append", metavar="CODES", help=f"report only these {codes}"
    )
    check.add_argument(
        "--ignore", action="append", metavar="CODES", help=f"never report these {codes}"
    )
    check.add_argument(
        "--extend-select", action="append", metavar="CODES", help=f"report these too {codes}"
    )
    check.add_argument(
        "--contract",
        action="append",
        default=[],
        metavar="ID",
        help="run only this contract ID (repeatable)",
    )
    check.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="read this file's content from standard input (`-`)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with errors")
    check.add_argument("--statistics", action="store_true", help="print a count per code instead")
    check.add_argument(
        "--no-baseline", action="store_true", help="report what the baseline records too"
    )
    check.add_argument(
        "--add-noqa",
        action="store_true",
        help="add `# noqa: CODE` comments to suppress what is reported",
    )
    _common(check)

    state = sub.add_parser("status", help="every contract with KEPT / BROKEN")
    state.add_argument(
        "--output-format", choices=("text", "json"), default="text", help="default: text"
    )
    state.add_argument(
        "--no-baseline", action="store_true", help="show no progress against the baseline"
    )
    _common(state)

    mover = sub.add_parser("move", help="move a module or package and rewrite its imports")
    mover.add_argument("old", nargs="?", help="the dotted path that moves")
    mover.add_argument("new", nargs="?", help="its new dotted path")
    mover.add_argument(
        "--recover",
        action="store_true",
        help="only finish or undo an interrupted move (no OLD and NEW)",
    )
    mover.add_argument(
        "--source-root",
        metavar="DIR",
        help="the source root NEW lands in (default: the one holding OLD); a new one is added",
    )
    mover.add_argument(
        "--dry-run", action="store_true", help="print the plan and the full diff; change nothing"
    )
    mover.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also rewrite references that may not be module paths (bare package names)",
    )
    mover.add_argument(
        "--no-build-check",
        action="store_true",
        help="move even where importcanon cannot prove what the build backend ships afterwards",
    )
    mover.add_argument(
        "--config", metavar="PATH", help="the pyproject.toml to use (default: found from here)"
    )

    base = sub.add_parser("baseline", help="record the current diagnostics in the baseline file")
    _common(base)

    init = sub.add_parser(
        "init", help="draft [tool.importcanon] and contracts/ for the project in this folder"
    )
    init.add_argument("--baseline", action="store_true", help="also configure and write a baseline")

    serve = sub.add_parser("server", help="a language server (LSP) over stdin/stdout")
    serve.add_argument("--stdio", action="store_true", help="accepted; stdio is the default")
    serve.add_argument("--no-cache", action="store_true")

    explain = sub.add_parser("rule", help="explain a rule")
    explain.add_argument("code", nargs="?", help="a rule code (IMC001) or name (legacy-import)")
    explain.add_argument(
        "--all", action="store_true", help="every rule, and the reference of every field"
    )
    return top


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    command.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="the cache folder (default: importcanon/<project>-<hash> in the user's cache folder)",
    )
    command.add_argument(
        "--config", metavar="PATH", help="the pyproject.toml to use (default: found from here)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command in ("check", "status") and not (
        getattr(args, "fix", False) or getattr(args, "diff", False)
    ):
        one_analysis()  # (the fix loop, which analyses again and again, does not)
    try:
        if args.command in RECOVERING:
            interrupted = _recover_first(args)
            if interrupted is not None:
                return interrupted
        if args.command == "rule":
            return _rule(args)
        if args.command == "status":
            return _status(args)
        if args.command == "move":
            return _move(args)
        if args.command == "server":
            from importcanon.integrations.lsp.server import serve

            return serve(use_cache=not args.no_cache)
        if args.command == "baseline":
            return _baseline(args)
        if args.command == "init":
            return _init(args)
        return _check(args)
    except (ConfigError, UsageError) as exc:
        print(f"importcanon: error: {printable(str(exc))}", file=sys.stderr)
        return 2


RECOVERING = ("check", "status", "baseline", "move", "server")


def _recover_first(args: argparse.Namespace) -> int | None:
    """Finish or undo a move interrupted in this project (a kill leaves its journal) before
    anything reads the tree; one line on stderr says so. The exit code if a signal came."""
    from importcanon.engine.move import recover  # (only a run that finds a journal loads it)

    config = getattr(args, "config", None)
    root = recover.pending(Path(config).resolve().parent if config else Path.cwd().resolve())
    if root is None:
        return None
    from importcanon.engine.move.signals import Interrupted

    try:
        note = recover.recover(root)
    except Interrupted as exc:
        print(f"importcanon: {exc}: the interrupted move was recovered first", file=sys.stderr)
        return exc.exit_code
    if note is not None:
        print(f"importcanon: {printable(note)}", file=sys.stderr)
        args.recovered = True
    return None


def _project(args: argparse.Namespace, overrides: dict[Path, bytes] | None = None) -> Project:
    config = load_project(
        Path.cwd(), Path(args.config) if args.config else None, codes=_kinds().codes()
    )
    contracts = load_contracts(config, kinds=_kinds())
    cache_dir = None
    if not args.no_cache:  # (symlinks not resolved: Project refuses a symlinked folder)
        cache_dir = (
            Path(os.path.abspath(args.cache_dir)) if args.cache_dir else default_dir(config.root)
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
    reporter = STATISTICS() if args.statistics else REPORTERS[args.output_format]()
    options = Options(
        selection=Selection(
            select=_codes(args.select, "--select"),
            ignore=_codes(args.ignore, "--ignore"),
            extend_select=_codes(args.extend_select, "--extend-select"),
        ),
        contract_ids=tuple(args.contract),
        paths=tuple(Path(p).resolve() for p in paths),
        baseline=None if args.no_baseline else _apply_baseline,
        kinds=_kinds(),
        plans=bool(args.fix or args.diff or args.add_noqa or reporter.fixes != "none"),
        shown=_shown(args),
    )
    if args.fix or args.diff:
        return _fix(args, project, options, reporter)
    outcome = run(project, options)
    if args.add_noqa:
        return _add_noqa(project, outcome)
    _report(reporter, project, outcome, unsafe=args.unsafe_fixes)
    _notes(project, outcome)
    if args.exit_zero:
        return 0
    return 1 if outcome.errors else 0


def _fix(args: argparse.Namespace, project: Project, options: Options, reporter: Reporter) -> int:
    from importcanon.engine import fixed, fixing

    def factory(overrides: dict[Path, bytes]) -> Project:
        return Project(
            project.config,
            project.contracts,
            overrides={**project.overrides, **overrides},
            cache_dir=project.cache_dir,
        )

    if args.stdin_filename:
        return _fix_buffer(args, project, options, factory, reporter)
    result = fixing.fix(factory, options, unsafe=args.unsafe_fixes, make=_make_fix)
    if args.diff:
        diff = fixed.unified_diff(result, project.config.root)
        sys.stdout.write(diff)
        return 1 if diff else 0
    root = project.config.root
    fixed.write(result, root=root, folders={f.path.parent for f in project.files})
    outcome = result.outcome
    if result.skipped:
        outcome = run(factory({}), options)
    _report(reporter, project, outcome, unsafe=args.unsafe_fixes, fixed=result.applied)
    if args.exit_zero:
        return 0
    return 1 if outcome.errors else 0


def _fix_buffer(
    args: argparse.Namespace,
    project: Project,
    options: Options,
    factory: Callable[[dict[Path, bytes]], Project],
    reporter: Reporter,
) -> int:
    """Editor semantics (as ruff's): only the buffer is fixed, the fixed buffer (or its
    diff) goes to standard output, what is left to standard error; nothing is written."""
    from importcanon.engine import fixed, fixing

    path = Path(args.stdin_filename).resolve()
    result = fixing.fix(
        factory,
        options,
        unsafe=args.unsafe_fixes,
        make=_make_fix,
        only=lambda d: d.path == path,
    )
    if args.diff:
        diff = fixed.unified_diff(result, project.config.root)
        sys.stdout.write(diff)
        return 1 if diff else 0
    sys.stdout.flush()
    sys.stdout.buffer.write(result.fixed.get(path, project.overrides[path]))
    sys.stdout.buffer.flush()
    for message in result.skipped:
        print(f"importcanon: warning: {message}", file=sys.stderr)
    with contextlib.redirect_stdout(sys.stderr):
        _report(reporter, project, result.outcome, unsafe=args.unsafe_fixes, fixed=result.applied)
    if args.exit_zero:
        return 0
    return 1 if result.outcome.errors else 0


def _shown(args: argparse.Namespace) -> str | None:
    """``Options.shown``: the text of every format (costly for the JSON formats' fix
    edits, and for the others the diagnostics decoded from the cache) is kept in the cache
    and copied while the project is unchanged; not when fixing, nor for an editor's
    buffer. (Each format's text is made from the diagnostics, the root and the files'
    text only, which the kept text's key covers.)"""
    if args.fix or args.diff or args.add_noqa or args.statistics or args.stdin_filename:
        return None
    return f"{args.output_format} unsafe={args.unsafe_fixes}"


def _report(
    reporter: Reporter, project: Project, outcome: Outcome, *, unsafe: bool, fixed: int = 0
) -> None:
    """Write the outcome in the reporter's format, with the fix edits it shows made first
    (or the text kept of an unchanged project's: see ``Options.shown``)."""
    if outcome.rendered is not None:
        sys.stdout.write(outcome.rendered[0])
        return
    diagnostics = outcome.diagnostics
    if reporter.fixes == "edits":
        from importcanon.engine import fixing  # (the fix makers: see _make_fix)

        edited: set[Path] = set()
        diagnostics = fixing.with_fixes(project, diagnostics, make=_make_fix, edited=edited)
        if edited:  # fixes made from a text newer than the run's: the output is not kept
            outcome.output_key = None
    report = Report(
        diagnostics, project.config.root, _source(project), unsafe_fixes=unsafe, fixed=fixed
    )
    sys.stdout.writelines(keep_output(project, outcome, reporter.render(report)))


def _make_fix(plan: FixPlan, lines: list[str]) -> Fix | None:
    """``engine.fixing.MakeFix``: the fix makers load on the first plan whose fix is not in
    the fix cache (an editor's save whose fixes all are loads none of them)."""
    from importcanon.fixes.materialize import materialize

    return materialize(plan, lines, fallback=_layouts)


def _layouts() -> Layouts:
    """The fixes' libcst path (``fixes.materialize.Fallback``): loaded on the first fix
    whose statement's layout needs it (most fixes are made from the statement's text)."""
    from importcanon.fixes import cst_edits

    return cst_edits


def _source(project: Project) -> Callable[[Path], list[str]]:
    """A file's lines for source excerpts: a project file's from the project, another's
    (a contract's TOML, say) read once, and none when it cannot be read."""
    root = project.config.root
    read: dict[Path, list[str]] = {}

    def lines(path: Path) -> list[str]:
        file = project.by_path.get(path)
        if file is not None:
            return project.lines(file)
        if path not in read:
            try:
                read[path] = split_lines(decode(read_regular(path, root=root)))
            except (OSError, UnicodeDecodeError, SyntaxError):
                read[path] = []
        return read[path]

    return lines


def _notes(project: Project, outcome: Outcome) -> None:
    """Warnings that are not diagnostics, and the baseline entries that are fixed."""
    for note in outcome.notes:
        print(f"importcanon: warning: {note}", file=sys.stderr)
    comparison = outcome.comparison
    if comparison is None or not comparison.fixed:
        return
    fixed = sum(comparison.fixed.values())
    print(
        f"importcanon: {fixed} violation(s) of the baseline no longer occur (fixed); "
        f"`importcanon baseline` drops them from {project.config.baseline}:",
        file=sys.stderr,
    )
    for key, n in comparison.fixed.items():
        times = f" (x{n})" if n > 1 else ""
        print(f"  fixed: {key.file}: {key.code} {key.identity}{times}", file=sys.stderr)


def _add_noqa(project: Project, outcome: Outcome) -> int:
    from importcanon.engine.adopt import add_noqa

    result = add_noqa(project, outcome.diagnostics)
    for line in result.missed:
        print(f"importcanon: warning: {line}", file=sys.stderr)
    print(f"Added {result.added} noqa directive(s) in {len(result.files)} file(s).")
    return 0


def _baseline(args: argparse.Namespace) -> int:
    from importcanon.engine.adopt import record_baseline

    project = _project(args)
    recorded = record_baseline(project, kinds=_kinds())
    rel = recorded.path.relative_to(project.config.root).as_posix()
    print(
        f"wrote {rel}: {recorded.violations} violation(s) in {recorded.entries} entries "
        f"({recorded.added} added, {recorded.dropped} fixed and dropped)"
    )
    return 0


def _init(args: argparse.Namespace) -> int:
    from importcanon.engine.init import draft

    root = Path.cwd().resolve()
    drafted = draft(root, baseline=args.baseline, kinds=_kinds())
    for rel in drafted.written:
        print(f"wrote {rel}")
    for line in drafted.kept:
        print(f"kept {line}")
    if args.baseline:
        from importcanon.engine.adopt import record_baseline

        config = load_project(root, root / "pyproject.toml", codes=_kinds().codes())
        project = Project(
            config, load_contracts(config, kinds=_kinds()), cache_dir=default_dir(config.root)
        )
        recorded = record_baseline(project, kinds=_kinds())
        rel = recorded.path.relative_to(root).as_posix()
        print(f"wrote {rel}: {recorded.violations} violation(s) recorded")
    print("next: `importcanon check`, then `importcanon status`")
    return 0


def _apply_baseline(project: Project, outcome: Outcome, options: Options) -> None:
    """``engine.run.Baseline``: loaded only for a project that configures a baseline."""
    from importcanon.engine.adopt import apply_baseline

    apply_baseline(project, outcome, options)


def _status(args: argparse.Namespace) -> int:
    from importcanon.report import status

    project = _project(args)
    outcome = run(project, Options(kinds=_kinds()))
    syntax = sum(1 for d in outcome.diagnostics if d.code == "IMC900")
    empty = {
        d.contract
        for d in outcome.diagnostics
        if d.code == "IMC903" and d.details.get("checks_nothing")
    }
    new: dict[str, Counter[str]] = {}
    if project.config.baseline and not args.no_baseline:
        _apply_baseline(project, outcome, Options(kinds=_kinds()))
        for d in outcome.diagnostics:
            new.setdefault(d.contract, Counter())[d.code] += 1
    state = status.Status(outcome.contracts, outcome.counts, syntax, empty, outcome.comparison, new)
    render = status.render_json if args.output_format == "json" else status.render_text
    sys.stdout.write(render(state))
    if outcome.comparison is not None:
        return 1 if outcome.errors else 0
    broken = any(
        status.verdict(outcome.counts.get(c.id, Counter())) == "BROKEN" and c.severity == "error"
        for c in outcome.contracts
    )
    return 1 if broken or syntax else 0


def _move(args: argparse.Namespace) -> int:
    if args.recover:
        if args.old or args.new or args.dry_run or args.source_root:
            raise UsageError("--recover takes no OLD, NEW, --dry-run or --source-root")
        if not getattr(args, "recovered", False):  # (_recover_first said what it did)
            print("importcanon: no interrupted move to recover", file=sys.stderr)
        return 0
    if not (args.old and args.new):
        raise UsageError("give OLD and NEW (or --recover)")
    from importcanon.engine.move.signals import Interrupted

    done: list[bool] = []
    try:
        return _move_now(args, done)
    except KeyboardInterrupt:  # (before or after the writes, which note signals instead)
        outcome = "the move was finished" if done else "nothing was changed"
        print(f"importcanon: interrupted by SIGINT: {outcome}", file=sys.stderr)
        return 130
    except Interrupted as exc:
        print(f"importcanon: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code


def _move_now(args: argparse.Namespace, done: list[bool]) -> int:
    config = load_project(
        Path.cwd(), Path(args.config) if args.config else None, codes=_kinds().codes()
    )
    project = Project(config, load_contracts(config, kinds=_kinds()))
    from importcanon.engine.move import diff, journal, planner
    from importcanon.engine.move.signals import Interrupted, deferred

    plan = planner.make_plan(
        project,
        args.old,
        args.new,
        source_root=args.source_root,
        unsafe=args.unsafe_fixes,
        build_check=not args.no_build_check,
    )
    for line in plan.describe():
        print(_printable(line))
    summary = _move_summary(plan, dry_run=args.dry_run)
    if args.dry_run:
        sys.stdout.write(diff.dry_run_diff(plan))
        print(summary)
        for report in [*plan.reports, *_unsafe_hint(plan)]:
            print(_printable(report))
        return 0
    import signal

    with deferred(then=signal.SIG_IGN) as caught:  # (once moved, a signal ends nothing)
        journal.apply(plan, kinds=_kinds(), caught=caught)
        done.append(True)
    print(summary)
    for report in [*plan.reports, *_unsafe_hint(plan)]:
        print(_printable(report))
    if caught.signum is not None:  # (came while the journal was being removed)
        raise Interrupted(caught.signum, ": the move was finished first")
    return 0


def _move_summary(plan: Plan, *, dry_run: bool) -> str:
    """`rewrote 12 references in 6 files; moved 3 files; created 1 file`: references are
    the rewritten occurrences (configuration values included), files the files rewritten."""

    def files(n: int) -> str:
        return f"{n} file" if n == 1 else f"{n} files"

    refs = "reference" if plan.references == 1 else "references"
    parts = [
        f"{'would rewrite' if dry_run else 'rewrote'} {plan.references} {refs}"
        f" in {files(len(plan.edits))}"
    ]
    moved = _moved_files(plan)
    if moved:
        verb = "remove" if plan.retire else "move"
        parts.append(f"{'would ' + verb if dry_run else verb + 'd'} {files(moved)}")
    created = len(plan.init_files) + len(plan.creates)
    if created:
        parts.append(f"{'would create' if dry_run else 'created'} {files(created)}")
    return "; ".join(parts)


def _unsafe_hint(plan: Plan) -> list[str]:
    """What to do about strings in code left as they are because they may be words."""
    left = sum("may name the package or be a word" in r for r in plan.reports)
    if not left:
        return []
    what = "string that equals" if left == 1 else "strings that equal"
    return [
        f"note: {left} {what} `{plan.old}` in code left as they are (listed above);"
        " where they name the package, `importcanon move --unsafe-fixes` rewrites them too"
    ]


def _moved_files(plan: Plan) -> int:
    """The files the move moves (or removes, for a retired shim): read before it runs."""
    if not plan.is_package:
        return 1 + (plan.stub is not None)
    from importcanon.engine.move.tree import entries

    return sum(
        1
        for path, folder in entries(plan.source, skip=lambda name: name == "__pycache__")
        if not folder
    )


def _printable(line: str) -> str:
    """Control characters (a hostile file name, say) shown escaped, never sent raw; a line
    never starts with a GitHub workflow command (a file named ``::error ...`` is shown
    ``./::error ...``)."""
    text = printable(line)
    return f"./{text}" if text.lstrip().startswith("::") else text


def _rule(args: argparse.Namespace) -> int:
    from importcanon.config.reference import options_table, reference

    registry = _kinds()
    known = registry.rules()
    by_name = {rule.name: code for code, rule in known.items()}
    if args.all:
        codes = sorted(known)
    elif args.code:
        code = args.code.upper() if args.code.upper() in known else by_name.get(args.code.lower())
        if code is None:
            hint = registry.codes().closest(args.code)
            more = f" (did you mean `{hint}`?)" if hint else ""
            raise UsageError(f"unknown rule code or name: {args.code}{more}")
        codes = [code]
    else:
        raise UsageError("give a rule CODE or NAME, or --all")
    for index, code in enumerate(codes):
        rule = known[code]
        if index:
            sys.stdout.write("\n")
        fix = {"never": "no", "sometimes": "sometimes", "always": "yes"}[rule.fix]
        sys.stdout.write(
            f"# {rule.name} ({rule.code})\n\nContract kind: {rule.kind}\nFix available: {fix}\n\n"
            f"{rule.text}\n"
        )
        kind = None if args.all else registry.kinds().get(rule.kind)
        if kind is not None:  # (with --all, the reference below has every kind's)
            table = "\n".join(options_table(kind.options))
            sys.stdout.write(f'\n## Options (kind = "{kind.name}")\n\n{table}\n')
    if args.all:
        every = registry.kinds().values()
        sys.stdout.write("\n" + reference({k.name: k.options for k in every}))
    return 0
