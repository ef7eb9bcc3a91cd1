"""What a project's build backend ships: the Python modules of the wheel that `pip install .`
would build, read from the build settings and the tree, without running the backend.

A move must leave the project shipping exactly what it shipped, renamed. `shipped` answers
for one state of the tree (its Python files and its settings' texts); the planner asks it
before and after the planned edits (`engine/move/build_edits.py` repairs the settings where
it can). A backend or a layout it cannot read is `Unknown`, with one line saying what to
write so that it can: a move whose result cannot be proven is not made.

Modelled: setuptools (pyproject `[tool.setuptools]`, setup.cfg `[options]`, literal
`setup()` keywords in setup.py, `find_packages`/`find_namespace_packages` with literal
arguments, `package-dir`, and the automatic discovery), flit, hatch, pdm, poetry, uv's
backend, maturin and scikit-build-core (the Python package they name).
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

BACKENDS = {
    "setuptools.build_meta": "setuptools",
    "setuptools.build_meta:__legacy__": "setuptools",
    "flit_core.buildapi": "flit",
    "flit.buildapi": "flit",
    "hatchling.build": "hatch",
    "pdm.backend": "pdm",
    "pdm.pep517.api": "pdm",
    "poetry.core.masonry.api": "poetry",
    "poetry.masonry.api": "poetry",
    "uv_build": "uv",
    "maturin": "maturin",
    "scikit_build_core.build": "scikit-build",
}
# setuptools' automatic discovery in a flat layout leaves these out (its FlatLayout lists)
FLAT_EXCLUDED_PACKAGES = frozenset(
    {
        "bin", "ci", "doc", "docs", "documentation", "manpages", "news", "newsfragments",
        "changelog", "test", "tests", "unit_test", "unit_tests", "example", "examples",
        "scripts", "tools", "util", "utils", "python", "build", "dist", "venv", "env",
        "requirements", "tasks", "fabfile", "site_scons", "benchmark", "benchmarks",
        "exercise", "exercises", "htmlcov", "debian", "contrib", "_build",
    }
)  # fmt: skip
FLAT_EXCLUDED_MODULES = frozenset(
    {"setup", "conftest", "test", "tests", "example", "examples", "build", "toxfile",
     "noxfile", "pavement", "dodo", "tasks", "fabfile", "manage"}
)  # fmt: skip
FIND_CALLS = {"find_packages": False, "find_namespace_packages": True}
TOOL_FOLDERS = frozenset({".git", ".venv", "venv", ".tox", ".nox", "build", "dist", "__pycache__"})


class Unknown(Exception):
    """What ships cannot be told from the settings; the message says what to write."""


@dataclass(frozen=True)
class Tree:
    """One state of the project: its Python files (relative POSIX paths of `.py` files, and
    of every folder holding one) and its build settings' texts (None: no such file)."""

    files: frozenset[str]
    pyproject: str | None
    setup_cfg: str | None
    setup_py: str | None

    @cached_property
    def folders(self) -> frozenset[str]:
        found: set[str] = set()
        for path in self.files:
            parts = path.split("/")[:-1]
            found.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        return frozenset(found)


@dataclass(frozen=True)
class Shipped:
    """The backend's name and the dotted modules its wheel holds."""

    backend: str
    modules: frozenset[str]


def pyproject_data(tree: Tree) -> dict[str, Any]:
    if tree.pyproject is None:
        return {}
    try:
        data: dict[str, Any] = tomllib.loads(tree.pyproject)
    except tomllib.TOMLDecodeError as exc:
        raise Unknown(f"pyproject.toml does not parse ({exc})") from exc
    return data


def backend_of(tree: Tree) -> str | None:
    """The backend's family; None when the project builds nothing (no build settings)."""
    data = pyproject_data(tree)
    system = data.get("build-system", {})
    name = system.get("build-backend") if isinstance(system, dict) else None
    if isinstance(name, str):
        if name not in BACKENDS:
            raise Unknown(
                f"the build backend `{name}` is not one importcanon can read, so it cannot prove"
                " the moved project ships the same modules; check its settings by hand and run"
                " again with --no-build-check"
            )
        return BACKENDS[name]
    if tree.setup_py is not None or tree.setup_cfg is not None:
        return "setuptools"  # pip's fallback: setuptools' legacy backend
    if (isinstance(system, dict) and system.get("requires")) or "project" in data:
        return "setuptools"
    return None


def shipped(tree: Tree) -> Shipped | None:
    """What the project's wheel ships, or None when it builds none."""
    backend = backend_of(tree)
    if backend is None:
        return None
    reader = READERS[backend]
    return Shipped(backend, frozenset(reader(tree, pyproject_data(tree))))


# -- the tree ------------------------------------------------------------------------------


def _join(base: str, name: str) -> str:
    base = base.strip("/")
    return name if base in ("", ".") else f"{base}/{name}"


def _clean(path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise Unknown(f"the build path `{path}` leaves the project")
    return "/".join(parts)


def _is_package(tree: Tree, folder: str) -> bool:
    return _join(folder, "__init__.py") in tree.files


def _modules_in(tree: Tree, folder: str, dotted: str) -> set[str]:
    """The modules directly in ``folder`` (the package ``dotted``), itself included."""
    prefix = _join(folder, "")
    found = {dotted} if _is_package(tree, folder) else set()
    for path in tree.files:
        rest = path[len(prefix) :] if prefix else path
        if (not prefix or path.startswith(prefix)) and "/" not in rest and rest != "__init__.py":
            found.add(f"{dotted}.{rest[:-3]}")
    return found


def _modules_under(tree: Tree, folder: str, dotted: str) -> set[str]:
    """Every module in ``folder`` and the folders below it (a backend that ships a whole
    folder: flit, hatch, poetry)."""
    prefix = _join(folder, "")
    found = set()
    for path in tree.files:
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) : -3].split("/")
        if any(p in TOOL_FOLDERS for p in parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.add(".".join([dotted, *parts]))
    return found


def top_modules(tree: Tree, base: str) -> list[str]:
    """The modules directly in folder ``base`` (not in a package)."""
    prefix = _join(_clean(base), "")
    return sorted(
        rest[:-3]
        for path in tree.files
        if path.startswith(prefix) and "/" not in (rest := path[len(prefix) :])
        and rest[:-3].isidentifier()
    )  # fmt: skip


def _module_file(tree: Tree, base: str, name: str) -> set[str]:
    """A top-level module or package called ``name`` in ``base`` (a package: everything in
    it)."""
    folder = _join(base, name)
    if folder in tree.folders:
        return _modules_under(tree, folder, name)
    if _join(base, f"{name}.py") in tree.files:
        return {name}
    return set()


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _project_name(data: Mapping[str, Any], *tables: tuple[str, ...]) -> str | None:
    for keys in (("project",), *tables):
        table: Any = data
        for key in keys:
            table = table.get(key, {}) if isinstance(table, dict) else {}
        name = table.get("name") if isinstance(table, dict) else None
        if isinstance(name, str):
            return name
    return None


def _table(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    table: Any = data
    for key in keys:
        table = table.get(key, {}) if isinstance(table, dict) else {}
    return table if isinstance(table, dict) else {}


def _strings(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise Unknown(f"{what} is not a list of strings")


# -- setuptools ----------------------------------------------------------------------------


@dataclass
class SetuptoolsSettings:
    """The keywords that decide what setuptools ships, wherever they were written."""

    packages: list[str] | None = None
    find: dict[str, Any] | None = None  # where, include, exclude, namespaces
    py_modules: list[str] | None = None
    package_dir: dict[str, str] | None = None


def setuptools_settings(tree: Tree, data: Mapping[str, Any]) -> SetuptoolsSettings:
    """setup.py's literal keywords first, then pyproject's [tool.setuptools], then
    setup.cfg's [options] (the precedence setuptools gives them)."""
    found = SetuptoolsSettings()
    for source in (_from_setup_py(tree), _from_pyproject(data), _from_setup_cfg(tree)):
        for name in ("packages", "find", "py_modules", "package_dir"):
            if getattr(found, name) is None and getattr(source, name) is not None:
                if name in ("packages", "find") and (found.packages or found.find):
                    continue
                setattr(found, name, getattr(source, name))
    return found


def _from_pyproject(data: Mapping[str, Any]) -> SetuptoolsSettings:
    tool = _table(data, "tool", "setuptools")
    found = SetuptoolsSettings()
    packages = tool.get("packages")
    if isinstance(packages, dict):
        find = packages.get("find", {})
        if not isinstance(find, dict):
            raise Unknown("[tool.setuptools.packages] is neither a list nor `find`")
        found.find = {
            "where": _strings(find.get("where", ["."]), "packages.find.where"),
            "include": _strings(find.get("include", ["*"]), "packages.find.include"),
            "exclude": _strings(find.get("exclude", []), "packages.find.exclude"),
            "namespaces": bool(find.get("namespaces", True)),
        }
    elif packages is not None:
        found.packages = _strings(packages, "[tool.setuptools] packages")
    if "py-modules" in tool:
        found.py_modules = _strings(tool["py-modules"], "[tool.setuptools] py-modules")
    package_dir = tool.get("package-dir")
    if package_dir is not None:
        if not isinstance(package_dir, dict) or not all(
            isinstance(v, str) for v in package_dir.values()
        ):
            raise Unknown("[tool.setuptools] package-dir is not a table of strings")
        found.package_dir = dict(package_dir)
    return found


def read_setup_cfg(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise Unknown(f"setup.cfg does not parse ({exc.message.splitlines()[0]})") from exc
    return parser


def _cfg_list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[\n,]", value) if v.strip()]


def _from_setup_cfg(tree: Tree) -> SetuptoolsSettings:
    found = SetuptoolsSettings()
    if tree.setup_cfg is None:
        return found
    parser = read_setup_cfg(tree.setup_cfg)
    if not parser.has_section("options"):
        return found
    options = parser["options"]
    packages = options.get("packages")
    if packages is not None:
        if packages.strip() in ("find:", "find_namespace:"):
            section = "options.packages.find"
            find = parser[section] if parser.has_section(section) else {}
            found.find = {
                "where": _cfg_list(find.get("where", ".")),
                "include": _cfg_list(find.get("include", "*")),
                "exclude": _cfg_list(find.get("exclude", "")),
                "namespaces": packages.strip() == "find_namespace:",
                "sets_dir": False,  # setup.cfg's `where` needs its own package_dir
            }
        else:
            found.packages = _cfg_list(packages)
    if "py_modules" in options:
        found.py_modules = _cfg_list(options["py_modules"])
    if "package_dir" in options:
        found.package_dir = {}
        for item in _cfg_list(options["package_dir"]):
            key, _, value = item.partition("=")
            found.package_dir[key.strip()] = value.strip()
    return found


def setup_call(text: str) -> ast.Call | None:
    """The `setup(...)` call of a setup.py (None: none)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise Unknown(f"setup.py does not parse ({exc})") from exc
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "setup")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "setup")
        )
    ]
    if len(calls) > 1:
        raise Unknown("setup.py calls setup() more than once; importcanon reads one call")
    return calls[0] if calls else None


SETUP_KEYWORDS = ("packages", "py_modules", "package_dir")


def _from_setup_py(tree: Tree) -> SetuptoolsSettings:
    found = SetuptoolsSettings()
    if tree.setup_py is None:
        return found
    call = setup_call(tree.setup_py)
    if call is None:
        return found
    keywords = {k.arg: k.value for k in call.keywords}
    if None in keywords and not all(k in keywords for k in ("packages", "package_dir")):
        raise Unknown(
            "setup.py passes setup() a **mapping, so what it ships cannot be read; write"
            " `packages=[...]` (or find_packages(...) with literal arguments) in the call"
        )
    for name in SETUP_KEYWORDS:
        node = keywords.get(name)
        if node is None:
            continue
        if name == "packages" and isinstance(node, ast.Call):
            found.find = _find_call(node)
            continue
        try:
            value = ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError) as exc:
            raise Unknown(
                f"setup.py computes `{name}`; write it as a literal"
                + (" (or find_packages() with literal arguments)" if name == "packages" else "")
                + " so that the move can prove what ships"
            ) from exc
        if name == "package_dir":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise Unknown("setup.py's `package_dir` is not a dict of strings")
            found.package_dir = value
        else:
            setattr(found, name, _strings(list(value), f"setup.py's `{name}`"))
    return found


def _find_call(node: ast.Call) -> dict[str, Any]:
    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
    if name not in FIND_CALLS:
        raise Unknown(
            "setup.py computes `packages`; write a literal list or find_packages() with"
            " literal arguments so that the move can prove what ships"
        )
    try:
        args = [ast.literal_eval(a) for a in node.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError) as exc:
        raise Unknown(f"setup.py calls {name}() with computed arguments; write literals") from exc
    names = ["where", "exclude", "include"]
    for index, value in enumerate(args[:3]):
        kwargs.setdefault(names[index], value)
    return {
        "where": [kwargs.get("where", ".")],
        "include": _strings(list(kwargs.get("include", ("*",))), f"{name}'s include"),
        "exclude": _strings(list(kwargs.get("exclude", ())), f"{name}'s exclude"),
        "namespaces": FIND_CALLS[name],
        "sets_dir": False,
    }


def find_packages(
    tree: Tree, where: str, *, include: Iterable[str], exclude: Iterable[str], namespaces: bool
) -> list[str]:
    """setuptools' find_packages (or find_namespace_packages) on the tree."""
    base = _clean(where)
    include, exclude = list(include), list(exclude)
    found = []
    prefix = _join(base, "")
    for folder in sorted(tree.folders):
        if prefix and not folder.startswith(prefix):
            continue
        rel = folder[len(prefix) :]
        parts = rel.split("/")
        if any(not p.isidentifier() for p in parts):
            continue
        if not namespaces and not all(
            _is_package(tree, _join(base, "/".join(parts[: i + 1]))) for i in range(len(parts))
        ):
            continue
        dotted = ".".join(parts)
        if any(fnmatchcase(dotted, p) for p in include) and not any(
            fnmatchcase(dotted, p) for p in exclude
        ):
            found.append(dotted)
    return found


def _locate(dotted: str, package_dir: Mapping[str, str]) -> str:
    """The folder setuptools reads a package (or the file of a module) from."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        key = ".".join(parts[:cut])
        if key in package_dir:
            return _join(_clean(package_dir[key]), "/".join(parts[cut:]))
    return _join(_clean(package_dir.get("", "")), "/".join(parts))


def _setuptools(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    settings = setuptools_settings(tree, data)
    package_dir = dict(settings.package_dir or {})
    packages = settings.packages
    modules = list(settings.py_modules or [])
    if settings.find is not None:
        packages = []
        wheres = settings.find["where"]
        for where in wheres:
            found = find_packages(
                tree,
                where,
                include=settings.find["include"],
                exclude=settings.find["exclude"],
                namespaces=settings.find["namespaces"],
            )
            packages += found
            if not settings.find.get("sets_dir", True):
                continue
            if _clean(where) and len(wheres) == 1:
                package_dir.setdefault("", where)
            elif _clean(where):
                for package in found:
                    package_dir.setdefault(package, _join(_clean(where), package.replace(".", "/")))
    elif packages is None and settings.py_modules is None:
        packages, modules = _discover(tree, package_dir)
    shipped: set[str] = set()
    for package in packages or []:
        shipped |= _modules_in(tree, _locate(package, package_dir), package)
    for module in modules:
        path = _locate(module, package_dir) + ".py"
        if path in tree.files:
            shipped.add(module)
    return shipped


def _discover(tree: Tree, package_dir: dict[str, str]) -> tuple[list[str], list[str]]:
    """setuptools' automatic discovery: a src layout (`src/` or package_dir's ""), else a
    flat one without the folders and modules that are never packages."""
    base = package_dir.get("")
    if base is None and "src" in tree.folders:
        base = "src"
        package_dir[""] = "src"
    if base is not None:
        packages = find_packages(tree, base, include=["*"], exclude=[], namespaces=True)
        packages = [p for p in packages if _modules_in(tree, _locate(p, package_dir), p)]
        return packages, top_modules(tree, base)
    packages = [
        p
        for p in find_packages(tree, ".", include=["*"], exclude=[], namespaces=False)
        if p.split(".")[0] not in FLAT_EXCLUDED_PACKAGES and not p.startswith(("_", "."))
    ]
    modules = [
        p[:-3]
        for p in tree.files
        if "/" not in p and p[:-3].isidentifier() and p[:-3] not in FLAT_EXCLUDED_MODULES
        and not p.startswith(("_", "test"))
    ]  # fmt: skip
    return packages, modules


# -- the other backends --------------------------------------------------------------------


def flit_module(data: Mapping[str, Any]) -> str:
    name = _table(data, "tool", "flit", "module").get("name")
    if isinstance(name, str):
        return name
    project = _project_name(data, ("tool", "flit", "metadata"))
    module = _table(data, "tool", "flit", "metadata").get("module")
    if isinstance(module, str):
        return module
    if project is None:
        raise Unknown("flit: no [project] name nor [tool.flit.module] name")
    return project.replace("-", "_")


def _flit(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    module = flit_module(data)
    path = module.replace(".", "/")
    found = set()
    for base in ("", "src"):
        folder = _join(base, path)
        if folder in tree.folders:
            found |= _modules_under(tree, folder, module)
        elif _join(base, f"{path}.py") in tree.files:
            found.add(module)
    return found


def default_name(data: Mapping[str, Any], *tables: tuple[str, ...]) -> str:
    name = _project_name(data, *tables)
    if name is None:
        raise Unknown("no [project] name to find the package by")
    return normalized(name)


def _implicit(tree: Tree, name: str, bases: Iterable[str]) -> set[str]:
    for base in bases:
        found = _module_file(tree, base, name)
        if found:
            return found
    return set()


def _paths(tree: Tree, paths: Iterable[str], *, strip: str = "") -> set[str]:
    """What a list of shipped paths (folders or `.py` files) ships; each lands in the wheel
    at its path relative to ``strip`` (or at its last component when ``strip`` is None)."""
    found: set[str] = set()
    for raw in paths:
        if any(c in raw for c in "*?["):
            raise Unknown(f"the build includes the glob `{raw}`; list its packages' paths instead")
        path = _clean(raw)
        rel = path[len(strip) + 1 :] if strip and path.startswith(strip + "/") else path
        if path in tree.folders:
            found |= _modules_under(tree, path, rel.replace("/", "."))
        elif path in tree.files:
            found.add(rel[:-3].replace("/", "."))
    return found


def _hatch(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    wheel = _table(data, "tool", "hatch", "build", "targets", "wheel")
    common = _table(data, "tool", "hatch", "build")
    for key in ("include", "force-include", "sources", "only-packages"):
        if key in wheel or key in common:
            raise Unknown(
                f"hatch's `{key}` setting is not read by importcanon; list the shipped packages"
                " in [tool.hatch.build.targets.wheel] packages"
            )
    for table in (wheel, common):
        for key in ("packages", "only-include"):
            if key in table:
                paths = _strings(table[key], f"hatch's {key}")
                found = set()
                for raw in paths:
                    path = _clean(raw)
                    head = path.rpartition("/")[0] if key == "packages" else ""
                    found |= _paths(tree, [path], strip=head)
                return found
    name = default_name(data)
    return _implicit(tree, name, ("", "src"))


def _pdm(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    build = _table(data, "tool", "pdm", "build")
    package_dir = build.get("package-dir")
    if package_dir is None:
        package_dir = "src" if "src" in tree.folders else ""
    base = _clean(str(package_dir))
    if "includes" in build:
        return _paths(tree, _strings(build["includes"], "pdm's includes"), strip=base)
    found: set[str] = set()
    for package in find_packages(tree, base, include=["*"], exclude=[], namespaces=False):
        if "." not in package and package not in ("tests", "test"):
            found |= _modules_under(tree, _join(base, package), package)
    if not found:
        found = set(top_modules(tree, base)) - FLAT_EXCLUDED_MODULES
    return found


def _poetry(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    poetry = _table(data, "tool", "poetry")
    packages = poetry.get("packages")
    if packages is None:
        name = default_name(data, ("tool", "poetry"))
        return _implicit(tree, name, ("", "src"))
    if not isinstance(packages, list):
        raise Unknown("[tool.poetry] packages is not a list")
    found: set[str] = set()
    for item in packages:
        if not isinstance(item, dict) or not isinstance(item.get("include"), str):
            raise Unknown("[tool.poetry] packages holds an entry without `include`")
        if "to" in item:
            raise Unknown("poetry's `to` in packages is not read by importcanon")
        formats = item.get("format", ["sdist", "wheel"])
        if "wheel" not in (formats if isinstance(formats, list) else [formats]):
            continue
        base = _clean(str(item.get("from", "")))
        found |= _paths(tree, [_join(base, item["include"])], strip=base)
    return found


def _uv(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    settings = _table(data, "tool", "uv", "build-backend")
    root = _clean(str(settings.get("module-root", "src")))
    names = settings.get("module-name") or default_name(data)
    found: set[str] = set()
    for name in _strings(names, "uv's module-name"):
        found |= _paths(tree, [_join(root, name.replace(".", "/"))], strip=root)
        found |= _paths(tree, [_join(root, name.replace(".", "/") + ".py")], strip=root)
    return found


def _maturin(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    settings = _table(data, "tool", "maturin")
    source = _clean(str(settings.get("python-source", "")))
    module = settings.get("module-name") or default_name(data)
    if not isinstance(module, str):
        raise Unknown("[tool.maturin] module-name is not a string")
    top = module.split(".")[0]
    found = _paths(tree, [_join(source, top)], strip=source)
    for extra in _strings(settings.get("python-packages", []), "maturin's python-packages"):
        found |= _paths(tree, [_join(source, extra)], strip=source)
    return found


def _scikit_build(tree: Tree, data: Mapping[str, Any]) -> set[str]:
    wheel = _table(data, "tool", "scikit-build", "wheel")
    if "packages" in wheel:
        found: set[str] = set()
        for raw in _strings(wheel["packages"], "scikit-build's wheel.packages"):
            path = _clean(raw)
            found |= _paths(tree, [path], strip=path.rpartition("/")[0])
        return found
    return _implicit(tree, default_name(data), ("src", "python", ""))


READERS = {
    "setuptools": _setuptools,
    "flit": _flit,
    "hatch": _hatch,
    "pdm": _pdm,
    "poetry": _poetry,
    "uv": _uv,
    "maturin": _maturin,
    "scikit-build": _scikit_build,
}
