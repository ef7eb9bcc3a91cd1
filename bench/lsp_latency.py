"""The language server's latency: a real LSP client (pygls) drives `importcanon server`
over stdio on sympy, and times each `didChange` that adds an import to
sympy/core/basic.py until the `publishDiagnostics` for that file arrives (the server's
debounce included).

    python bench/lsp_latency.py [--runs N] [--corpus sympy]

Prints a JSON object; `bench/run.py` calls ``measure`` and puts it in the report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.realworld.corpus import CYCLES_AND_RELATIVE, configure, install  # noqa: E402

BIN = Path(sys.executable).parent
EDITED = "sympy/core/basic.py"
GOAL = 0.3  # seconds, the median
CONTRACTS = (
    CYCLES_AND_RELATIVE
    + """
[[contract]]
id = "no-facades"
name = "Import names from where they are defined"
kind = "no-reexports"
public_modules = ["sympy"]
"""
)


async def _session(project: Path, runs: int) -> dict[str, Any]:
    client = BaseLanguageClient("importcanon-bench", "1")
    target = (project / EDITED).as_uri()
    arrivals: asyncio.Queue[tuple[int | None, float]] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        if params.uri == target:
            arrivals.put_nowait((params.version, time.perf_counter()))

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def shown(params: types.ShowMessageParams) -> None:
        print(f"server: {params.message}", file=sys.stderr)

    started = time.perf_counter()
    await client.start_io(str(BIN / "importcanon"), "server", cwd=str(project))
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=project.as_uri())
    )
    client.initialized(types.InitializedParams())
    original = (project / EDITED).read_text(encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(target, "python", 1, original))
    )
    await asyncio.wait_for(arrivals.get(), timeout=600)
    first = time.perf_counter() - started
    times = []
    version = 1

    async def change(text: str) -> float:
        nonlocal version
        version += 1
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=target),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        while True:  # the diagnostics of this very version of the buffer
            seen, arrived = await asyncio.wait_for(arrivals.get(), timeout=60)
            if seen == version:
                return arrived - sent

    for index in range(runs):
        # each measured edit adds an import (a new edge, basic -> sympy) to the file as
        # it is on disk; the buffer is set back (unmeasured) before the next one
        times.append(await change(f"import sympy as _bench_edit_{index}\n" + original))
        await change(original)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {
        "corpus": "sympy",
        "files": len(list((project / "sympy").rglob("*.py"))),
        "edited": EDITED,
        "first_analysis": first,
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "runs": runs,
        "goal": GOAL,
    }


def measure(runs: int) -> dict[str, Any]:
    project = configure(install("sympy"), "sympy", CONTRACTS)
    return asyncio.run(_session(project, runs))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(measure(args.runs), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
