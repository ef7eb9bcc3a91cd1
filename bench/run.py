"""`make bench`: importcanon against grimp, lint-imports and tach, side by side.

Every figure is a whole process (interpreter start included), the median of several runs,
measured in the same session on the same corpus, so the ratios are what to read. Writes
bench/results/results.json and bench/results/report.md; bench/plot.py draws the scale plot.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.realworld.corpus import (  # noqa: E402
    CACHE,
    CYCLES_AND_RELATIVE,
    NO_FACADES,
    configure,
    install,
)

BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
CORPORA = ["django", "sqlalchemy", "sympy", "homeassistant"]
FORMATS = ["concise", "json", "sarif"]


def contracts(package: str) -> str:
    moves = f"""
[[contract]]
id = "moves"
name = "Moved modules"
kind = "moved-modules"
[contract.moves]
"{package}._legacy_utils" = "{package}"
"""
    return CYCLES_AND_RELATIVE + NO_FACADES + moves


def run_once(
    cmd: list[str], cwd: Path, *, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> tuple[float, int]:
    """Seconds and peak memory (KiB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss


def series(
    runs: int,
    cmd: list[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    before: Callable[[int], bytes | None] | None = None,
) -> dict[str, Any]:
    times, memory = [], []
    for index in range(runs):
        stdin = before(index) if before else None
        seconds, rss = run_once(cmd, cwd, env=env, stdin=stdin)
        times.append(seconds)
        memory.append(rss)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "rss_mib": statistics.median(memory) / 1024,
        "runs": runs,
    }


def grimp_cmd(package: str, cache: str | None) -> list[str]:
    cache_arg = "None" if cache is None else repr(cache)
    code = (
        "import sys, grimp; sys.path.insert(0, '.'); "
        f"grimp.build_graph({package!r}, cache_dir={cache_arg})"
    )
    return [str(BIN / "python"), "-c", code]


def edited_file(project: Path, package: str) -> Path:
    """A module in the middle of the package, the one an edit touches."""
    files = sorted((project / package).rglob("*.py"))
    return files[len(files) // 2]


def reduced_parse(project: Path, package: str) -> dict[str, Any]:
    """The reduced parse on every file (docs/performance.md): how many files it handed to
    the full parse, and the parse CPU time of both parsers (this process, one core)."""
    from importcanon.analysis.parse import extract
    from importcanon.analysis.reducedparse import extract_reduced

    files = []
    for path in sorted((project / package).rglob("*.py")):
        rel = path.relative_to(project).with_suffix("")
        is_init = rel.name == "__init__"
        files.append(
            (path.read_bytes(), ".".join(rel.parts[:-1] if is_init else rel.parts), is_init)
        )
    # As the workers do: the collector off, and no parser's facts kept while the other
    # runs (kept, they would make the second parser's allocations dearer).
    gc.disable()
    start = time.process_time()
    reasons = [
        extract_reduced(data, module=module, is_init=init)[1] for data, module, init in files
    ]
    reduced = time.process_time() - start
    start = time.process_time()
    for data, module, init in files:
        extract(data, module=module, is_init=init)
    full = time.process_time() - start
    start = time.process_time()
    for data, _, _ in files:
        with contextlib.suppress(SyntaxError, ValueError):
            ast.parse(data)
    ast_cpu = time.process_time() - start
    return {
        "fallbacks": sum(1 for reason in reasons if reason is not None),
        "full_cpu": full,
        "reduced_cpu": reduced,
        "ast_cpu": ast_cpu,
        "cores": os.cpu_count() or 1,
    }


# CPython's parser proper (tokenizer and PEG parser, before the tree becomes Python
# objects): the smallest share of `ast.parse`'s instructions it took on the four corpora,
# counted with callgrind on CPython 3.11 (docs/performance.md, "A lower bound").
PARSER_SHARE = 0.67


def parse_bound(c: dict[str, Any]) -> float | None:
    """The least wall time of any run that has CPython's parser read every file: the
    parser's share of `ast.parse`'s CPU, spread over every core, nothing else counted."""
    r = c.get("reduced_parse") or {}
    if "ast_cpu" not in r:
        return None
    return float(r["ast_cpu"]) * PARSER_SHARE / int(r["cores"])


def reduced_parse_apart(project: Path, package: str) -> dict[str, Any]:
    """``reduced_parse`` in a process of its own: parsing a corpus here would grow this
    process, and a child's peak memory counts its parent's size when it was forked."""
    found = subprocess.run(
        [sys.executable, __file__, "--reduced-parse", str(project), package],
        capture_output=True,
        check=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(found.stdout)
    return result


def bench_corpus(package: str, runs: int, tach: Path | None) -> dict[str, Any]:
    project = configure(install(package), package, contracts(package))
    scratch = project / ".bench_cache"
    shutil.rmtree(scratch, ignore_errors=True)
    ic = str(BIN / "importcanon")
    check = [ic, "check", "--exit-zero", "--output-format", "concise"]
    warm = [*check, "--cache-dir", str(scratch / "ic")]
    out: dict[str, Any] = {
        "package": package,
        "files": len(list((project / package).rglob("*.py"))),
    }
    out["reduced_parse"] = reduced_parse_apart(project, package)
    out["grimp_cold"] = series(runs, grimp_cmd(package, None), project)
    run_once(grimp_cmd(package, str(scratch / "grimp")), project)
    out["grimp_warm"] = series(runs, grimp_cmd(package, str(scratch / "grimp")), project)
    (project / ".importlinter").write_text(
        f"[importlinter]\nroot_package = {package}\n\n[importlinter:contract:siblings]\n"
        f"name = Siblings\ntype = acyclic_siblings\nancestors = {package}\n"
    )
    out["lint_imports_cold"] = series(
        runs, [str(BIN / "lint-imports"), "--no-cache"], project, env={"PYTHONPATH": str(project)}
    )
    if tach is not None:
        (project / "tach.toml").write_text(
            f'source_roots = ["."]\nexclude = ["bin", "share"]\n\n'
            f'[[modules]]\npath = "{package}"\ndepends_on = []\n'
        )
        shutil.rmtree(project / ".tach", ignore_errors=True)
        out["tach_cold"] = series(runs, [str(tach), "check"], project)
    for fmt in FORMATS:  # each output format cold, then warm (the cache made by its cold-ish run)
        as_format = [*check[:-1], fmt]
        suffix = "" if fmt == "concise" else f"_{fmt}"
        out[f"importcanon_cold{suffix}"] = series(runs, [*as_format, "--no-cache"], project)
        warm_format = [*as_format, "--cache-dir", str(scratch / "ic")]
        run_once(warm_format, project)
        out[f"importcanon_warm{suffix}"] = series(runs, warm_format, project)
    target = edited_file(project, package)
    original = target.read_bytes()

    def edit(index: int) -> None:
        target.write_bytes(original + f"\n# bench edit {index} {time.time_ns()}\n".encode())
        return None

    def edit_imports(index: int) -> None:  # an edit that changes the file's facts
        line = f"import {package} as _bench_edit_{index}_{time.time_ns()}\n"
        target.write_bytes(line.encode() + original)  # new facts every time
        return None

    try:
        out["importcanon_edited"] = series(runs, warm, project, before=edit)
        run_once(warm, project)
        out["importcanon_edited_imports"] = series(runs, warm, project, before=edit_imports)
    finally:
        target.write_bytes(original)
    run_once(warm, project)
    rel = target.relative_to(project).as_posix()

    def buffer(index: int) -> bytes:
        return original + f"\n# unsaved {index} {time.time_ns()}\n".encode()

    out["importcanon_on_save"] = series(
        runs, [*warm, "--output-format", "json", "--stdin-filename", rel, "-"], project,
        before=buffer,
    )  # fmt: skip
    for name in (".importlinter", "tach.toml"):
        (project / name).unlink(missing_ok=True)
    shutil.rmtree(scratch, ignore_errors=True)
    return out


def generate(size: int, folder: Path) -> Path:
    """A project of ``size`` modules in packages of 100, each importing three others."""
    rng = random.Random(size)
    shutil.rmtree(folder, ignore_errors=True)
    src = folder / "gen"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    packages = max(1, size // 100)
    for p in range(packages):
        (src / f"p{p}").mkdir()
        (src / f"p{p}" / "__init__.py").write_text("")
    for m in range(size):
        lines = []
        for _ in range(3):
            other = rng.randrange(size)
            lines.append(f"from gen.p{other % packages} import m{other}")
        lines += ["", f"def f{m}() -> int:", f"    return {m}", ""]
        (src / f"p{m % packages}" / f"m{m}.py").write_text("\n".join(lines))
    (folder / "pyproject.toml").write_text(
        '[tool.importcanon]\nroot_packages = ["gen"]\nsource_roots = ["."]\n'
    )
    (folder / "contracts").mkdir()
    (folder / "contracts" / "c.toml").write_text(contracts("gen"))
    return folder


def bench_scale(sizes: list[int], runs: int) -> list[dict[str, Any]]:
    found = []
    for size in sizes:
        project = generate(size, CACHE.parent / "scale" / str(size))
        repeat = runs if size <= 10_000 else max(1, runs // 3)
        ic = [
            str(BIN / "importcanon"),
            "check",
            "--exit-zero",
            "--output-format",
            "concise",
            "--no-cache",
        ]
        found.append(
            {
                "modules": size,
                "importcanon_cold": series(repeat, ic, project),
                "grimp_cold": series(repeat, grimp_cmd("gen", None), project),
            }
        )
        print(f"scale {size}: {found[-1]['importcanon_cold']['median']:.2f}s", flush=True)
    return found


def ratio(a: dict[str, Any], b: dict[str, Any], key: str = "median") -> float:
    return float(a[key] / b[key])


TARGETS = [  # (label, importcanon series, peer series, bound, field)
    ("cold concise / grimp cold", "importcanon_cold", "grimp_cold", 2.0, "median"),
    ("cold json / grimp cold", "importcanon_cold_json", "grimp_cold", 2.0, "median"),
    ("cold sarif / grimp cold", "importcanon_cold_sarif", "grimp_cold", 2.0, "median"),
    ("cold json / cold concise", "importcanon_cold_json", "importcanon_cold", 1.3, "median"),
    ("cold concise / lint-imports", "importcanon_cold", "lint_imports_cold", 1.0, "median"),
    ("warm concise / grimp warm", "importcanon_warm", "grimp_warm", 1.2, "median"),
    ("warm json / grimp warm", "importcanon_warm_json", "grimp_warm", 1.2, "median"),
    ("warm sarif / grimp warm", "importcanon_warm_sarif", "grimp_warm", 1.2, "median"),
    ("edited / grimp warm", "importcanon_edited", "grimp_warm", 1.3, "median"),
    ("on-save / grimp warm", "importcanon_on_save", "grimp_warm", 1.0, "median"),
    ("memory, cold concise / grimp", "importcanon_cold", "grimp_cold", 2.0, "rss_mib"),
    ("memory, cold json / grimp", "importcanon_cold_json", "grimp_cold", 2.0, "rss_mib"),
    ("memory, cold sarif / grimp", "importcanon_cold_sarif", "grimp_cold", 2.0, "rss_mib"),
]

# Why a target is missed and what would close it, for the report (docs/performance.md has more).
WHY = {
    "cold": "every file is parsed with CPython's `ast` (the name-level rules need each "
    "file's imported names and module-level bindings, which grimp's Rust scanner does not "
    "give); `ast.parse` alone costs several times grimp's whole Rust build on the same "
    "files, and a reduced parse that skips function bodies must still have CPython check "
    "their syntax, which costs most of that (the reduced-parse table below); `ast.parse` "
    "alone, spread over every core with nothing else counted, already takes about twice "
    "grimp's build or more (the lower bound below)",
    "lint-imports": "the same parse: lint-imports builds its graph with grimp's Rust scanner "
    "and needs no names",
    "warm": "a fixed cost of the interpreter loading importcanon and of checking that no "
    "directory and no file changed; in JSON and SARIF, writing every diagnostic with its fix",
    "edited": "the warm cost plus reading, hashing and parsing the edited file",
    "on-save": "on a small package both are mostly a process's fixed cost: importcanon's "
    "imports, checking that no directory and no file changed, parsing the buffer",
    "memory, fixes": "the fixes shown: on a corpus where some import statements have a "
    "layout the text path does not rewrite (a backslash inside `from x import`, a "
    "semicolon, ...), libcst is loaded to make their fixes",
    "memory": "the per-file facts of every module are kept for the name-level rules, beside "
    "the graph and the re-export index",
}


def lower_bound(data: dict[str, Any]) -> list[str]:
    """The cold target against what CPython's parser costs (docs/performance.md)."""
    rows = []
    for c in data["corpora"]:
        bound, grimp = parse_bound(c), c.get("grimp_cold")
        if bound is None or grimp is None:
            continue
        r = c["reduced_parse"]
        whole = float(r["ast_cpu"]) / int(r["cores"])
        rows.append(
            f"| {c['package']} | {r['ast_cpu']:.2f}s | {whole:.2f}s "
            f"| {whole / grimp['median']:.2f}x | {bound:.2f}s "
            f"| {bound / grimp['median']:.2f}x | {grimp['median']:.2f}s |"
        )
    if not rows:
        return []
    return [
        "",
        "## A lower bound for a cold run",
        "",
        "What CPython's parser costs on each corpus, spread over every core, with nothing "
        "else counted (no interpreter start, no walk, no rules, no output), against grimp's "
        "whole uncached build. *`ast.parse`*: every file's syntax tree, the least any run "
        "pays that takes the facts from CPython's `ast`. *The parser alone*: the "
        f"parser's share of that work ({PARSER_SHARE:.0%}; the rest turns the tree into "
        "Python objects), the least any run pays that keeps CPython's verdict on every "
        "file's syntax (IMC900), wherever its facts come from. Over 2x, the cold target "
        "cannot be met that way.",
        "",
        "| corpus | `ast.parse`, one core | `ast.parse`, all cores | / grimp cold "
        "| the parser alone, all cores | / grimp cold | grimp cold |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ]


def why(label: str) -> str:
    if label.startswith("memory") and ("json" in label or "sarif" in label):
        return WHY["memory, fixes"]
    for key in ("lint-imports", "memory", "edited", "on-save", "warm", "cold"):
        if key in label:
            return WHY[key]
    return "see docs/performance.md"


def target_value(c: dict[str, Any], ours: str, peer: str, key: str) -> float | None:
    if c.get(ours) is None or c.get(peer) is None:
        return None
    return ratio(c[ours], c[peer], key)


def cell(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "n/a"
    low, high = entry["min"], entry["max"]
    return f"{entry['median']:.2f}s ({low:.2f}-{high:.2f}), {entry['rss_mib']:.0f} MiB"


def figures(data: dict[str, Any]) -> list[str]:
    corpora = data["corpora"]
    lines = [
        "| corpus | files | grimp cold | grimp warm | lint-imports cold | tach |",
        "|---|---|---|---|---|---|",
    ]
    for c in corpora:
        lines.append(
            f"| {c['package']} | {c['files']} | {cell(c['grimp_cold'])} "
            f"| {cell(c['grimp_warm'])} | {cell(c['lint_imports_cold'])} "
            f"| {cell(c.get('tach_cold'))} |"
        )
    lines += ["", "importcanon, per output format:", "",
              "| corpus | format | cold | warm |", "|---|---|---|---|"]  # fmt: skip
    for c in corpora:
        for fmt in FORMATS:
            suffix = "" if fmt == "concise" else f"_{fmt}"
            lines.append(
                f"| {c['package']} | {fmt} | {cell(c.get('importcanon_cold' + suffix))} "
                f"| {cell(c.get('importcanon_warm' + suffix))} |"
            )
    lines += ["", "importcanon after an edit (concise; on-save: JSON with fixes):", "",
              "| corpus | edited | imports edited | on-save |", "|---|---|---|---|"]  # fmt: skip
    for c in corpora:
        lines.append(
            f"| {c['package']} | {cell(c.get('importcanon_edited'))} "
            f"| {cell(c.get('importcanon_edited_imports'))} "
            f"| {cell(c.get('importcanon_on_save'))} |"
        )
    return lines


def targets(data: dict[str, Any]) -> list[str]:
    corpora = data["corpora"]
    names = " | ".join(c["package"] for c in corpora)
    lines = [
        "A ratio over its bound reads *NOT met* with the factor by which it is over.",
        "",
        f"| target | bound | {names} |",
        "|---|---|" + "---|" * len(corpora),
    ]
    unmet: dict[str, list[str]] = {}
    for label, ours, peer, bound, key in TARGETS:
        cells = []
        for c in corpora:
            value = target_value(c, ours, peer, key)
            if value is None:
                cells.append("n/a")
            elif value <= bound:
                cells.append(f"{value:.2f}x met")
            else:
                cells.append(f"{value:.2f}x NOT met ({value / bound:.2f}x the bound)")
                unmet.setdefault(label, []).append(c["package"])
        lines.append(f"| {label} | <= {bound:g} | " + " | ".join(cells) + " |")
    edited = [
        target_value(c, "importcanon_edited_imports", "grimp_warm", "median") for c in corpora
    ]
    lines.append(
        "| imports edited / grimp warm | no target | "
        + " | ".join("n/a" if v is None else f"{v:.2f}x" for v in edited)
        + " |"
    )
    if unmet:
        lines += ["", "Why the unmet ones are unmet (what would close them: "
                  "docs/performance.md):", ""]  # fmt: skip
        reasons: dict[str, list[str]] = {}
        for label, missed in unmet.items():
            reasons.setdefault(why(label), []).append(f"{label} ({', '.join(missed)})")
        for reason, labels in reasons.items():
            lines.append(f"- **{'; '.join(labels)}**: {reason}.")
    return lines


def report(data: dict[str, Any]) -> str:
    lines = [
        "# Benchmark report",
        "",
        f"Generated by `make bench` ({data['runs']} runs per figure; medians, min-max in "
        "brackets; whole processes, interpreter start included). Machine: "
        f"{data['machine']}. Ratios are importcanon / peer: lower is better.",
        "",
        "Contracts: acyclic + no-relative-imports + no-reexports + a moved-modules contract. "
        "*cold*: `--no-cache`; *warm*: a cache from an earlier run, nothing changed. "
        "*edited*: a comment appended to one module (its facts do not change); *imports "
        "edited*: a new import added at the top of it before each run (its facts change: "
        "the rules run again); *on-save*: the edited module's unsaved text on standard input "
        "(`--stdin-filename`, JSON output with fixes). Memory is the peak resident size of "
        "the whole process tree (workers included). The reduced-parse table counts the files "
        "the reduced parse hands to the full parse, and times both parsers on one core.",
        "",
        *figures(data),
        "",
        "## Targets",
        "",
        *targets(data),
    ]
    if any("reduced_parse" in c for c in data["corpora"]):
        lines += [
            "",
            "## Reduced parse (not used by runs: docs/performance.md)",
            "",
            "| corpus | files | fallbacks to the full parse | full parse CPU | reduced CPU |",
            "|---|---|---|---|---|",
        ]
        for c in data["corpora"]:
            r = c.get("reduced_parse")
            if r:
                lines.append(
                    f"| {c['package']} | {c['files']} | {r['fallbacks']} "
                    f"| {r['full_cpu']:.2f}s | {r['reduced_cpu']:.2f}s |"
                )
        lines += lower_bound(data)
    lsp = data.get("lsp")
    if lsp:
        verdict = "met" if lsp["median"] <= lsp["goal"] else "NOT met"
        lines += [
            "",
            "## Language server (`importcanon server`)",
            "",
            f"A real LSP client over stdio; {lsp['runs']} `didChange` edits, each adding an "
            f"import to `{lsp['edited']}` ({lsp['corpus']}, {lsp['files']} files; contracts "
            "acyclic + no-relative-imports + no-reexports with `public_modules = "
            '["sympy"]`), timed until that file\'s `publishDiagnostics` (debounce included).',
            "",
            "| first analysis | median | min-max | goal (median) |",
            "|---|---|---|---|",
            f"| {lsp['first_analysis']:.2f}s | {lsp['median']:.3f}s "
            f"| {lsp['min']:.3f}-{lsp['max']:.3f}s | <= {lsp['goal']:g}s: {verdict} |",
        ]
    if data.get("scale"):
        lines += ["", "## Scale (generated projects, cold)", "",
                  "| modules | importcanon | grimp | importcanon per 1k modules | memory |",
                  "|---|---|---|---|---|"]  # fmt: skip
        for s in data["scale"]:
            ic = s["importcanon_cold"]
            lines.append(
                f"| {s['modules']} | {ic['median']:.2f}s | {s['grimp_cold']['median']:.2f}s "
                f"| {ic['median'] / s['modules'] * 1000:.3f}s | {ic['rss_mib']:.0f} MiB |"
            )
        lines += ["", "![scale](scale.png)"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--corpora", nargs="*", default=CORPORA)
    parser.add_argument("--scale", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--tach")
    parser.add_argument("--lsp-runs", type=int, default=20, help="0: no language server figure")
    parser.add_argument("--report-only", action="store_true", help="rewrite report.md only")
    parser.add_argument("--reduced-parse", nargs=2, metavar=("PROJECT", "PACKAGE"))
    args = parser.parse_args()
    if args.reduced_parse:  # (a child of the bench: see reduced_parse_apart)
        print(json.dumps(reduced_parse(Path(args.reduced_parse[0]), args.reduced_parse[1])))
        return 0
    if args.report_only:
        data = json.loads((RESULTS / "results.json").read_text())
        (RESULTS / "report.md").write_text(report(data))
        return 0
    tach = Path(args.tach).resolve() if args.tach and Path(args.tach).exists() else None
    data: dict[str, Any] = {
        "runs": args.runs,
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "corpora": [],
    }
    for package in args.corpora:
        data["corpora"].append(bench_corpus(package, args.runs, tach))
        print(f"{package}: done", flush=True)
    data["scale"] = bench_scale(args.scale, args.runs)
    if args.lsp_runs:
        from bench.lsp_latency import measure

        data["lsp"] = measure(args.lsp_runs)
        print(f"language server: {data['lsp']['median']:.3f}s", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "report.md").write_text(report(data))
    print((RESULTS / "report.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
