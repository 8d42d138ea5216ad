"""The shape of the package, read from its source with ast (nothing is imported):

- no import cycle among meetingday's modules (imports at module level and inside functions);
- views/ holds routes only: no view module imports another module of views/ (the package's
  ``__init__`` registers them all, and is the one exception);
- regions/ (what each screen region shows) never imports views/;
- services name topics, never a page element: no string in services/ starts with "#".
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "meetingday"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources(root: Path = PACKAGE) -> dict[str, tuple[Path, ast.Module]]:
    return {module_name(p, root): (p, ast.parse(p.read_text(encoding="utf-8"), str(p)))
            for p in sorted(root.rglob("*.py"))}


def imports_of(name: str, path: Path, tree: ast.Module, known: set[str]) -> set[str]:
    """The package's modules that `name` imports, wherever in the file the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from .services import checkin` imports the module services.checkin; `from .x import f`
            # imports the module x.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` names a.b.c, or a function's module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    parsed = sources(root)
    known = set(parsed)
    return {name: imports_of(name, path, tree, known) for name, (path, tree) in parsed.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def in_area(name: str, area: str, root: str = PACKAGE.name) -> bool:
    prefix = f"{root}.{area}"
    return name == prefix or name.startswith(prefix + ".")


def views_importing_views(graph: dict[str, set[str]], root: str = PACKAGE.name) -> list[tuple[str, str]]:
    registry = f"{root}.views"
    return sorted((name, target) for name, targets in graph.items() if in_area(name, "views", root)
                  and name != registry for target in targets if in_area(target, "views", root))


def regions_importing_views(graph: dict[str, set[str]], root: str = PACKAGE.name) -> list[tuple[str, str]]:
    return sorted((name, target) for name, targets in graph.items() if in_area(name, "regions", root)
                  for target in targets if in_area(target, "views", root))


def element_names(root: Path) -> list[str]:
    """Strings starting with "#" (a page element's id selector) in the .py files under `root`."""
    return sorted(f"{p.name}:{node.lineno}: {node.value!r}" for p in root.rglob("*.py")
                  for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("#"))


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_no_import_cycle(graph):
    assert cycles(graph) == []


def test_no_view_module_imports_another(graph):
    assert views_importing_views(graph) == []


def test_regions_never_import_views(graph):
    assert regions_importing_views(graph) == []


def test_services_never_name_a_page_element():
    assert element_names(PACKAGE / "services") == []


def test_every_region_module_is_loaded_with_the_regions(graph):
    """Registrations are import side effects: regions/__init__ imports every region module."""
    regions = {name for name in graph if in_area(name, "regions") and name != f"{PACKAGE.name}.regions"}
    assert regions and regions <= graph[f"{PACKAGE.name}.regions"]


# --------------------------------------------------------------------------- the checks can fail

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checks_find_what_they_look_for(tmp_path):
    root = _package(tmp_path, {
        "a.py": "from . import b\n",
        "b.py": "def f():\n    from .c import g\n",  # inside a function, and through a name of c
        "c.py": "import pkg.a\ng = 1\n",
        "services/__init__.py": "",
        "services/s.py": 'TARGET = "#pass-speak"\nNOT = "a #hash"\n',
        "views/__init__.py": "from . import one, two\n",
        "views/one.py": "from .two import bp\n",
        "views/two.py": "bp = None\n",
        "regions/__init__.py": "from . import r\n",
        "regions/r.py": "from ..views import one\n",
    })
    graph = import_graph(root)
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert views_importing_views(graph, "pkg") == [("pkg.views.one", "pkg.views.two")]
    assert regions_importing_views(graph, "pkg") == [("pkg.regions.r", "pkg.views.one")]
    assert element_names(root / "services") == ["s.py:1: '#pass-speak'"]
