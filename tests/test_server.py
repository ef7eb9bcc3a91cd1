"""`importcanon server` driven by a real LSP client (pytest-lsp) over stdio, on projects
written to disk."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from importcanon.analysis.cache import default_dir
from tests.helpers import write_tree

pytestmark = pytest.mark.asyncio(loop_scope="function")

LEGACY = "from app.old_home import X\n\n\nprint(X)\n"
PROJECT = {
    "pyproject.toml": '[tool.importcanon]\nroot_packages = ["app"]\n',
    "contracts/moves.toml": (
        '[[contract]]\nid = "moves"\nname = "Moves"\nkind = "moved-modules"\n'
        '[contract.moves]\n"app.old_home" = "app.new_home"\n'
    ),
    "contracts/cycles.toml": '[[contract]]\nid = "acyclic"\nname = "No cycles"\nkind = "acyclic"\n',
    "src/app/__init__.py": "",
    "src/app/new_home.py": "X = 1\n",
    "src/app/user.py": LEGACY,
    "src/app/a.py": "import app.b\n",
    "src/app/b.py": "import app.a\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", PROJECT)


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "importcanon", "server"])
)
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    registered: list[types.RegistrationParams] = []
    lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)(
        lambda params: registered.append(params)  # as an editor does: accept
    )
    capabilities = pytest_lsp.client_capabilities("visual-studio-code")
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=project.as_uri(),
            initialization_options={"debounce": 0.05},
        )
    )
    yield
    await lsp_client.shutdown_session()


def uri(project: Path, rel: str) -> str:
    return (project / rel).as_uri()


async def published(
    client: LanguageClient,
    target: str,
    wanted: Callable[[Sequence[types.Diagnostic]], bool],
    timeout: float = 30.0,
) -> Sequence[types.Diagnostic]:
    """The diagnostics published for ``target`` once they satisfy ``wanted``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found = client.diagnostics.get(target)
        if found is not None and wanted(found):
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"not published for {target}: {client.diagnostics.get(target)}")


def codes(found: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in found)


def open_file(client: LanguageClient, project: Path, rel: str) -> str:
    target = uri(project, rel)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=target,
                language_id="python",
                version=1,
                text=(project / rel).read_text(encoding="utf-8"),
            )
        )
    )
    return target


def change(client: LanguageClient, target: str, text: str, version: int = 2) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=target, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def test_diagnostics_on_open(client: LanguageClient, project: Path) -> None:
    target = open_file(client, project, "src/app/user.py")
    found = await published(client, target, lambda f: "IMC001" in codes(f))
    (legacy,) = [d for d in found if d.code == "IMC001"]
    assert legacy.source == "importcanon"
    assert legacy.severity == types.DiagnosticSeverity.Error
    assert legacy.range == types.Range(types.Position(0, 0), types.Position(0, 26))
    assert legacy.code_description is not None
    page = Path(legacy.code_description.href.removeprefix("file://"))
    assert "## What it does" in page.read_text(encoding="utf-8")
    # the whole workspace: the cycle is published for a file never opened
    cycle = await published(client, uri(project, "src/app/a.py"), lambda f: bool(f))
    assert codes(cycle) == ["IMC301"]


async def test_hover_shows_the_rule_docs(client: LanguageClient, project: Path) -> None:
    target = open_file(client, project, "src/app/user.py")
    await published(client, target, lambda f: "IMC001" in codes(f))
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(target), types.Position(0, 8))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    text = hover.contents.value
    assert "IMC001 legacy-import" in text
    assert "## What it does" in text and "## Why is this bad?" in text and "## Example" in text


async def test_quickfix_rewrites_the_legacy_import(client: LanguageClient, project: Path) -> None:
    target = open_file(client, project, "src/app/user.py")
    found = await published(client, target, lambda f: "IMC001" in codes(f))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(target),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=list(found)),
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    (fix,) = [a for t, a in by_title.items() if "app.new_home" in t]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.edit is not None and fix.edit.changes is not None
    (edit,) = fix.edit.changes[target]
    assert _apply(LEGACY, edit) == LEGACY.replace("app.old_home", "app.new_home")
    assert any(a.kind == "source.fixAll.importcanon" for a in by_title.values())
    only = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(target),
            range=found[0].range,
            context=types.CodeActionContext(
                diagnostics=list(found), only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    assert only is not None
    assert {a.title for a in only} == {t for t, a in by_title.items() if a.kind == "quickfix"}
    noqa = by_title["Disable IMC001 for this line"]
    assert noqa.edit is not None and noqa.edit.changes is not None
    (edit,) = noqa.edit.changes[target]
    assert _apply(LEGACY, edit).splitlines()[0] == "from app.old_home import X  # noqa: IMC001"


async def test_fix_all_source_action(client: LanguageClient, project: Path) -> None:
    target = open_file(client, project, "src/app/user.py")
    await published(client, target, lambda f: "IMC001" in codes(f))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(target),
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.importcanon"]),
        )
    )
    assert actions is not None
    (action,) = actions
    assert isinstance(action, types.CodeAction)
    assert action.kind == "source.fixAll.importcanon"
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[target]
    assert _apply(LEGACY, edit) == LEGACY.replace("app.old_home", "app.new_home")
    assert (project / "src/app/user.py").read_text() == LEGACY  # an edit, not a write


async def test_unsaved_change_clears_the_diagnostic(client: LanguageClient, project: Path) -> None:
    target = open_file(client, project, "src/app/user.py")
    await published(client, target, lambda f: "IMC001" in codes(f))
    change(client, target, "from app.new_home import X\n\n\nprint(X)\n")
    await published(client, target, lambda f: "IMC001" not in codes(f))
    assert (project / "src/app/user.py").read_text() == LEGACY
    change(client, target, LEGACY, version=3)  # and back
    await published(client, target, lambda f: "IMC001" in codes(f))


async def test_breaking_a_cycle_clears_it_in_the_other_file(
    client: LanguageClient, project: Path
) -> None:
    reported = uri(project, "src/app/a.py")
    await published(client, reported, lambda f: codes(f) == ["IMC301"])
    target = open_file(client, project, "src/app/b.py")
    change(client, target, "X = 2\n")  # b no longer imports a: no cycle
    await published(client, reported, lambda f: not f)
    change(client, target, "import app.a\n", version=3)  # the cycle comes back
    await published(client, reported, lambda f: codes(f) == ["IMC301"])


async def test_a_broken_contract_is_a_diagnostic(client: LanguageClient, project: Path) -> None:
    target = open_file(client, project, "src/app/user.py")
    await published(client, target, lambda f: "IMC001" in codes(f))
    contract = project / "contracts/cycles.toml"
    good = contract.read_text()
    contract.write_text(good + 'granularity = "sideways"\n')
    watched = types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=contract.as_uri(), type=types.FileChangeType.Changed)]
    )
    client.workspace_did_change_watched_files(watched)
    (error,) = await published(client, contract.as_uri(), lambda f: bool(f))
    assert error.source == "importcanon" and "granularity" in error.message
    assert error.range.start.line == 4  # the line of the field
    # the server is still running: an edit is still analysed
    change(client, target, "from app.new_home import X\n")
    await published(client, target, lambda f: not f)
    contract.write_text(good)
    client.workspace_did_change_watched_files(watched)
    await published(client, contract.as_uri(), lambda f: not f)


async def test_shutdown_and_exit_are_clean(client: LanguageClient, project: Path) -> None:
    open_file(client, project, "src/app/user.py")
    await client.shutdown_async(None)
    client.exit(None)
    server = client._server
    assert server is not None
    assert await asyncio.wait_for(server.wait(), timeout=30) == 0
    client.capabilities = None  # the session is over: the fixture sends nothing more


def _apply(text: str, edit: types.TextEdit) -> str:
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: edit.range.start.line]) + edit.range.start.character
    end = sum(len(line) for line in lines[: edit.range.end.line]) + edit.range.end.character
    return text[:start] + edit.new_text + text[end:]


async def test_an_unsaved_new_module_is_checked(client: LanguageClient, project: Path) -> None:
    await published(client, uri(project, "src/app/a.py"), lambda f: codes(f) == ["IMC301"])
    target = uri(project, "src/app/fresh.py")  # not on disk
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=target, language_id="python", version=1, text=LEGACY)
        )
    )
    assert codes(await published(client, target, lambda f: bool(f))) == ["IMC001"]
    assert not (project / "src/app/fresh.py").exists()


@pytest.fixture
def outside(tmp_path: Path, project: Path) -> Path:
    """The rule-docs folder of the project's cache is a link that leads out of it."""
    target = tmp_path / "outside"
    target.mkdir()
    cache = default_dir(project.resolve())
    assert cache is not None
    cache.mkdir(parents=True)
    (cache / "rules").symlink_to(target)
    return target


async def test_no_docs_page_is_written_through_a_link_out_of_the_project(
    outside: Path, client: LanguageClient, project: Path
) -> None:
    target = open_file(client, project, "src/app/user.py")
    (legacy,) = await published(client, target, lambda f: "IMC001" in codes(f))
    assert legacy.code_description is None
    assert list(outside.iterdir()) == []
