"""``importcanon server``: a Language Server Protocol server over standard input/output.

It finds the project from the workspace root, analyses it once and keeps the analysis
resident (engine.incremental): an edit (an unsaved buffer, debounced) re-analyses what the
edited file's facts change, and every file whose diagnostics changed is published again,
open or not, so that a cycle broken in one file disappears from the file it was reported
in. Configuration and contract files are watched; a broken one is reported as a
diagnostic in that file while the last good contracts go on being checked.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from importcanon import __version__
from importcanon.analysis.cache import default_dir
from importcanon.analysis.project import Project
from importcanon.analysis.source import decode
from importcanon.analysis.store import keep_resident
from importcanon.config.contracts import load_contracts
from importcanon.config.project import find_project_root, load_project
from importcanon.engine.incremental import Resident
from importcanon.fixes.materialize import Layouts
from importcanon.integrations.lsp import convert
from importcanon.model.contract import Contract, ProjectConfig
from importcanon.model.diagnostic import Diagnostic
from importcanon.model.errors import ConfigError
from importcanon.rules.base import Kind
from importcanon.rules.registry import Registry

DEBOUNCE = 0.05  # seconds of quiet after an edit before it is analysed
FIX_ALL = "source.fixAll.importcanon"
log = logging.getLogger(__name__)


@dataclass
class State:
    """What the server knows: the project, its resident analysis, the open buffers."""

    use_cache: bool = True
    debounce: float = DEBOUNCE
    root: Path | None = None
    config: ProjectConfig | None = None
    contracts: list[Contract] = field(default_factory=list)
    resident: Resident | None = None
    buffers: dict[Path, bytes] = field(default_factory=dict)
    pending: dict[Path, bytes | None] = field(default_factory=dict)
    published: set[Path] = field(default_factory=set)
    config_errors: set[Path] = field(default_factory=set)
    foreign: set[Path] = field(default_factory=set)  # new buffers the project does not check
    timer: asyncio.TimerHandle | None = None
    docs: dict[str, str | None] = field(default_factory=dict)  # code -> link
    kinds: Registry = field(default_factory=lambda: Registry(plugins=_plugins))


class ImportcanonServer(LanguageServer):
    def __init__(self, state: State) -> None:
        super().__init__("importcanon", __version__)
        self.state = state

    # -- the project ------------------------------------------------------------------

    def load(self) -> None:
        """(Re)load configuration and contracts and analyse the whole project. A broken
        file keeps the last good analysis and is reported where it is broken."""
        state = self.state
        if state.root is None:
            return
        try:
            config = load_project(state.root, codes=state.kinds.codes())
            contracts = load_contracts(config, kinds=state.kinds)
        except ConfigError as exc:
            self._config_error(exc)
            return
        self._clear_config_errors()
        state.config, state.contracts = config, contracts
        state.docs.clear()
        cache = default_dir(config.root) if state.use_cache else None
        project = Project(config, contracts, overrides=dict(state.buffers), cache_dir=cache)
        state.resident = Resident(project, kinds=state.kinds)
        state.pending.clear()
        paths = state.resident.analyse()
        keep_resident()  # the facts live as long as the server
        self.publish(paths | state.published)

    def _config_error(self, exc: ConfigError) -> None:
        state = self.state
        where = exc.path or (state.config.pyproject if state.config else None)
        if where is None:
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Error, f"importcanon: {exc}")
            )
            return
        self._clear_config_errors()
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=_uri(where), diagnostics=[convert.config_error(exc)])
        )
        state.config_errors.add(where)

    def _clear_config_errors(self) -> None:
        for path in self.state.config_errors:
            if path not in self.state.published:
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=_uri(path), diagnostics=[])
                )
        self.state.config_errors.clear()

    def find_root(self, path: Path) -> None:
        if self.state.root is not None:
            return
        try:
            self.state.root, _ = find_project_root(path)
        except ConfigError as exc:
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Warning, f"importcanon: {exc}")
            )
            return
        self.load()

    # -- edits --------------------------------------------------------------------------

    def edited(self, path: Path, data: bytes | None, *, now: bool = False) -> None:
        """Record a buffer's new content (None: closed) and analyse it after a pause."""
        if data is None:
            self.state.buffers.pop(path, None)
        else:
            self.state.buffers[path] = data
        self.state.pending[path] = data
        if self.state.timer is not None:
            self.state.timer.cancel()
            self.state.timer = None
        if now or self.state.debounce <= 0:
            self.flush()
        else:
            loop = asyncio.get_running_loop()
            self.state.timer = loop.call_later(self.state.debounce, self.flush)

    def flush(self) -> None:
        """Analyse the pending edits and publish what they changed. Should that fail (a
        defect: it is not expected), the project is analysed again whole, so that the
        editor is not left with diagnostics that no longer hold."""
        state = self.state
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
        try:
            self._flush()
        except Exception:  # the server outlives a defect in one analysis
            log.exception("incremental analysis failed; analysing the project again")
            self.load()

    def _flush(self) -> None:
        state = self.state
        resident = state.resident
        if resident is None or not state.pending:
            state.pending.clear()
            return
        pending, state.pending = state.pending, {}
        root = resident.project.config.root
        new = [p for p in _new_files(pending, root) if p not in resident.project.by_path]
        if any(p not in state.foreign for p in new):
            self.load()  # a new module changes the project's files: start again
            state.foreign.update(p for p in new if p not in self._project_files())
            return
        changed: list[Path] = []
        for path, data in pending.items():
            if path in resident.project.by_path:
                changed.extend(sorted(resident.update(path, data)))
        self.publish(dict.fromkeys([*pending, *changed]))

    def _project_files(self) -> set[Path]:
        resident = self.state.resident
        return set(resident.project.by_path) if resident is not None else set()

    def publish(self, paths: Any) -> None:
        """Publish the diagnostics of ``paths`` (the edited files first)."""
        resident = self.state.resident
        if resident is None:
            return
        for path in paths:
            if path in self.state.config_errors:
                continue
            found = resident.reported.get(path, [])
            if not found and path not in self.state.published:
                continue
            lines = resident.project.text_lines(path)
            uri = _uri(path)
            document = self.workspace.text_documents.get(uri)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    diagnostics=[convert.diagnostic(d, lines, self.docs(d.code)) for d in found],
                    version=document.version if document is not None else None,
                )
            )
            if found:
                self.state.published.add(path)
            else:
                self.state.published.discard(path)

    def docs(self, code: str) -> str | None:
        """A link to the rule's docs: a page in the project's cache folder (written
        once per code after each load)."""
        if code not in self.state.docs:
            self.state.docs[code] = self._docs(code)
        return self.state.docs[code]

    def _docs(self, code: str) -> str | None:
        resident = self.state.resident
        cache = resident.project.cache_dir if resident is not None else None
        if cache is None:  # no cache, or a cache folder refused as unsafe: no page
            return None
        folder = cache / "rules"
        if os.path.islink(folder):
            return None  # never written through a link
        page = convert.docs_page(folder, code, self.state.kinds)
        return _uri(page) if page is not None else None

    def diagnostics_at(self, uri: str) -> tuple[list[Diagnostic], list[str]]:
        self.flush()
        resident = self.state.resident
        path = _path(uri)
        if resident is None or path is None:
            return [], []
        return resident.reported.get(path, []), resident.project.text_lines(path)

    def watched(self, path: Path, kind: types.FileChangeType) -> None:
        config = self.state.config
        if path.suffix == ".toml":
            if config is None or _is_config(config, path):
                self.load()
        elif path.suffix == ".py" and self.state.resident is not None:
            project = self.state.resident.project
            if kind != types.FileChangeType.Changed or path not in project.by_path:
                self.load()  # a module appeared or went: the files and graph change
            elif path not in self.state.buffers:
                self.edited(path, None)


def _is_config(config: ProjectConfig, path: Path) -> bool:
    if path == config.pyproject or path == config.root / "pyproject.toml":
        return True
    folder = (config.root / config.contracts_dir).resolve()
    return path.parent.resolve() == folder


def _new_files(pending: dict[Path, bytes | None], root: Path) -> list[Path]:
    """Buffers of Python files in the project that do not exist on disk yet (an unsaved
    new module)."""
    return [
        p
        for p, d in pending.items()
        if d is not None and p.suffix == ".py" and p.is_relative_to(root) and not p.exists()
    ]


def _uri(path: Path) -> str:
    found = from_fs_path(str(path))
    return found if found is not None else path.as_uri()


def _path(uri: str) -> Path | None:
    found = to_fs_path(uri)
    return Path(found).resolve() if found else None


def build(state: State) -> ImportcanonServer:
    server = ImportcanonServer(state)

    @server.feature(types.INITIALIZE)
    def initialize(ls: ImportcanonServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            ls.state.debounce = max(0.0, float(options["debounce"]))

    @server.feature(types.INITIALIZED)
    async def initialized(ls: ImportcanonServer, params: types.InitializedParams) -> None:
        root = ls.workspace.root_path
        if root:
            ls.find_root(Path(root))
        await _watch(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ImportcanonServer, params: types.DidOpenTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is None:
            return
        ls.find_root(path.parent)
        if path.suffix == ".py":
            ls.edited(path, params.text_document.text.encode("utf-8", errors="replace"), now=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ImportcanonServer, params: types.DidChangeTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None and path.suffix == ".py":
            document = ls.workspace.get_text_document(params.text_document.uri)
            ls.edited(path, document.source.encode("utf-8", errors="replace"))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ImportcanonServer, params: types.DidSaveTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is None:
            return
        if path.suffix == ".toml":
            ls.watched(path, types.FileChangeType.Changed)
        elif path.suffix == ".py":
            document = ls.workspace.get_text_document(params.text_document.uri)
            ls.edited(path, document.source.encode("utf-8", errors="replace"), now=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ImportcanonServer, params: types.DidCloseTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None and path in ls.state.buffers:
            ls.edited(path, None)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(
        ls: ImportcanonServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        for change in params.changes:
            path = _path(change.uri)
            if path is not None:
                ls.watched(path, change.type)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                FIX_ALL,
            ]
        ),
    )
    def code_action(
        ls: ImportcanonServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        return _code_actions(ls, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ImportcanonServer, params: types.HoverParams) -> types.Hover | None:
        found, lines = ls.diagnostics_at(params.text_document.uri)
        docs = [
            convert.rule_docs(d.code, ls.state.kinds)
            for d in found
            if convert.covers(lines, d, params.position)
        ]
        text = "\n---\n\n".join(dict.fromkeys(d for d in docs if d))
        if not text:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    return server


def _wanted(only: list[str] | None, kind: str) -> bool:
    return not only or any(kind == o or kind.startswith(f"{o}.") for o in only)


def _code_actions(ls: ImportcanonServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    found, lines = ls.diagnostics_at(uri)
    only = [
        k.value if isinstance(k, types.CodeActionKind) else k for k in params.context.only or []
    ]
    actions: list[types.CodeAction] = []
    if _wanted(only, types.CodeActionKind.QuickFix.value):
        for d in found:
            if convert.overlaps(lines, d, params.range):
                for action in (
                    convert.quickfix(d, lines, uri, fallback=_layouts),
                    convert.disable(d, lines, uri),
                ):
                    if action is not None:
                        actions.append(action)
    if _wanted(only, FIX_ALL) and (only or any(d.plan for d in found)):
        fix_all = _fix_all(ls, uri, found, lines)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _fix_all(
    ls: ImportcanonServer, uri: str, found: list[Diagnostic], lines: list[str]
) -> types.CodeAction | None:
    resident, path = ls.state.resident, _path(uri)
    if resident is None or path is None or path not in resident.project.by_path:
        return None
    try:
        text = decode(resident.project.read(resident.project.by_path[path]))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None
    new = convert.fixed_text(text, found, lines, fallback=_layouts)
    if new is None:
        return None
    return types.CodeAction(
        title="importcanon: fix all safely fixable diagnostics",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: [convert.whole_document(text, new)]}),
    )


async def _watch(ls: ImportcanonServer) -> None:
    """Ask the client to report changes to configuration, contracts and modules."""
    capabilities = ls.client_capabilities.workspace
    watched = capabilities.did_change_watched_files if capabilities else None
    if watched is None or not watched.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[
            types.FileSystemWatcher(glob_pattern="**/pyproject.toml"),
            types.FileSystemWatcher(glob_pattern="**/*.toml"),
            types.FileSystemWatcher(glob_pattern="**/*.py"),
        ]
    )
    registration = types.Registration(
        id="importcanon-watch",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception as exc:  # a client may refuse; the server works without
        log.warning("file watching not registered: %s", exc)


def serve(*, use_cache: bool = True) -> int:
    """Run the server on standard input/output until the client says exit."""
    logging.basicConfig(level=logging.WARNING)
    build(State(use_cache=use_cache)).start_io()
    return 0


def _plugins() -> Mapping[str, Kind[Any]]:
    """The installed plugin kinds (``rules.plugins``): the installed distributions' metadata
    is read only when a contract or a code names a kind that is not built in."""
    from importcanon.rules import plugins

    return plugins.discover()


def _layouts() -> Layouts:
    """The fixes' libcst path (``fixes.materialize.Fallback``): loaded on the first fix
    whose statement's layout needs it."""
    from importcanon.fixes import cst_edits

    return cst_edits
