"""The catalogue of `DomainError` codes, read from the source: docs/errors.md.

    .venv/bin/python -m meetingday.error_catalogue > docs/errors.md

Every `DomainError(code, message, status)` written in the package is found by parsing its
modules, not importing them. A code or message that is a parameter of the function
around it (`text.reason(..., code, message)`, `_check_shown(item, seen, message)`) is taken
from each call of that function instead, and listed where that call is (through as many
functions as pass it on, up to a few). The message is the
Vietnamese msgid of `_l(...)`, as in the source; `%(name)s` is filled in when it is raised.
"""
from __future__ import annotations

import ast
import itertools
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DomainError

PACKAGE = Path(__file__).resolve().parent
GETTEXT = {"_l", "_", "lazy_gettext", "gettext"}
REGENERATE = ".venv/bin/python -m meetingday.error_catalogue > docs/errors.md"


@dataclass(frozen=True)
class Entry:
    code: str | None  # None: built at run time from something this scan cannot follow
    status: int | None
    message: str | None  # the msgid; None when it is not a literal the scan can follow
    module: str  # where the code and message are written, e.g. "services/agenda.py"
    via: str = ""  # the function that builds the error there, when it is written elsewhere
    source: str = ""  # the DomainError(...) call as written, for what could not be followed


@dataclass
class Module:
    name: str  # dotted: meetingday.services.agenda
    short: str  # its file inside the package: services/agenda.py
    tree: ast.Module
    functions: dict[str, ast.FunctionDef]  # top-level functions by name
    imports: dict[str, str]  # local name -> dotted name of what it stands for
    parents: dict[ast.AST, ast.AST]


@dataclass
class Scope:
    """Where an expression is evaluated: its module, the functions around it (outermost first),
    the values one call of a function binds to its parameters, and the parameters it met unbound."""
    module: Module
    functions: list
    bound: dict = field(default_factory=dict)
    unbound: set = field(default_factory=set)


def _modules(package: Path) -> dict[str, Module]:
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        modules[name] = Module(name, path.relative_to(package).as_posix(), tree, functions,
                               _imports(tree, name, is_package), parents)
    return modules


def _imports(tree: ast.Module, name: str, is_package: bool) -> dict[str, str]:
    found = {}
    here = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else []
            origin = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                found[alias.asname or alias.name] = f"{origin}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:  # `import a.b` binds a; `import a.b as c` binds c to a.b
                local = alias.asname or alias.name.split(".")[0]
                found[local] = alias.name if alias.asname else local
    return found


def _callee(call: ast.Call, module: Module) -> str | None:
    """The dotted name of the function a call names: a function of its own module, an imported
    one (`reason`, `text_reason`) or one of an imported module (`minutes.not_before_meeting`)."""
    func = call.func
    if isinstance(func, ast.Name):
        if func.id in module.functions:
            return f"{module.name}.{func.id}"
        return module.imports.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        origin = module.imports.get(func.value.id)
        return f"{origin}.{func.attr}" if origin else None
    return None


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _functions_around(node: ast.AST, module: Module) -> list:
    around = []
    while node in module.parents:
        node = module.parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            around.append(node)
    return around[::-1]


def _params(function) -> list[str]:
    args = function.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def _assigned(name: str, scope: Scope) -> list[ast.expr]:
    """What the functions around (innermost first), or else the module, assign to `name`: every
    assignment in the first that assigns it, as any of them may hold."""
    def assignments(nodes) -> list[ast.expr]:
        return [n.value for n in nodes
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]

    for function in scope.functions[::-1]:
        if name in _params(function):
            return []
        if values := assignments(ast.walk(function)):
            return values
    return assignments(scope.module.tree.body)


def _values(expr: ast.expr | None, scope: Scope) -> list:
    """Every value `expr` may have, as far as literals in the source say; None where they do not
    (and the parameters that would have said it are noted in `scope.unbound`)."""
    if isinstance(expr, ast.Constant):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        return _values(expr.body, scope) + _values(expr.orelse, scope)
    if isinstance(expr, ast.Call) and _name(expr) in GETTEXT and expr.args and isinstance(expr.args[0], ast.Constant):
        return [expr.args[0].value]
    if isinstance(expr, ast.JoinedStr):
        parts = [_values(v.value, scope) if isinstance(v, ast.FormattedValue) else [v.value] for v in expr.values]
        return ["".join(p) if None not in p else None for p in itertools.product(*parts)]
    if isinstance(expr, ast.Name):
        if expr.id in scope.bound:
            value, where = scope.bound[expr.id]
            return _values(value, where)
        assigned = _assigned(expr.id, scope)
        if assigned:
            return [v for a in assigned for v in _values(a, scope)]
        if any(expr.id in _params(f) for f in scope.functions):
            scope.unbound.add(expr.id)
    return [None]


def _arguments(call: ast.Call) -> tuple:
    """code, message, status as the DomainError call passes them (status None: not given)."""
    args = [*call.args, None, None, None]
    keywords = {k.arg: k.value for k in call.keywords}
    return keywords.get("code", args[0]), keywords.get("message", args[1]), keywords.get("status", args[2])


def _bindings(function, call: ast.Call, scope: Scope) -> dict:
    """The parameters of `function` as `call`, read in `scope`, sets them (defaults included)."""
    args = function.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    bound = {p: (d, scope) for p, d in zip(positional[::-1], args.defaults[::-1], strict=False)}
    bound.update({a.arg: (d, scope) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d})
    bound.update({p: (a, scope) for p, a in zip(positional, call.args, strict=False)})
    bound.update({k.arg: (k.value, scope) for k in call.keywords if k.arg})
    return bound


def _calls_of(target: str, modules: dict[str, Module]):
    for module in modules.values():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and _callee(node, module) == target:
                yield node, module


def _evaluate(call: ast.Call, scope: Scope, place: str, via: str) -> list[Entry]:
    code, message, status = _arguments(call)
    codes, messages = _values(code, scope), _values(message, scope)
    statuses = [DomainError.status] if status is None else _values(status, scope)
    return [Entry(c if isinstance(c, str) else None, s if isinstance(s, int) else None,
                  m if isinstance(m, str) else None, place, via, "" if isinstance(c, str) else ast.unparse(call))
            for c, m, s in itertools.product(codes, messages, statuses)]


def _top(scope: Scope):
    """The top-level function the scope is in, if it is in one (not a method, not a lambda)."""
    top = scope.functions[0] if scope.functions else None
    return top if top is not None and scope.module.functions.get(getattr(top, "name", None)) is top else None


def _pending(scope: Scope) -> Scope | None:
    """The scope, of `scope` and those its bound values are read in, that met parameters of its
    top-level function unbound: its function's calls would say what they are."""
    for _expr, inner in scope.bound.values():
        if (found := _pending(inner)) is not None:
            return found
    top = _top(scope)
    return scope if top is not None and scope.unbound & set(_params(top)) else None


def _rebound(scope: Scope, target: Scope, extra: dict) -> Scope:
    """A fresh copy of `scope` and of the scopes its bound values are read in, with `extra` bound
    in the copy of `target`."""
    bound = {name: (expr, _rebound(inner, target, extra)) for name, (expr, inner) in scope.bound.items()}
    if scope is target:
        bound.update(extra)
    return Scope(scope.module, scope.functions, bound)


def _entries(call: ast.Call, scope: Scope, modules: dict[str, Module], place: str, via: str,
             depth: int = 0) -> list[Entry]:
    """What one DomainError(...) call raises. When its code, message or status is a parameter of
    the top-level function around it, once per call of that function, listed where that call
    is; and so on while that call passes a parameter of its own function (a few levels)."""
    found = _evaluate(call, scope, place, via)
    target = _pending(scope)
    sites = list(_calls_of(f"{target.module.name}.{_top(target).name}", modules)) if target and depth < 4 else []
    if not sites:
        return found
    helper = _top(target)
    entries = []
    for site, where in sites:
        caller = Scope(where, _functions_around(site, where))
        name = helper.name if where is target.module else f"{target.module.name.rsplit('.', 1)[-1]}.{helper.name}"
        entries += _entries(call, _rebound(scope, target, _bindings(helper, site, caller)), modules, where.short,
                            name, depth + 1)
    return entries


def scan(package: Path = PACKAGE) -> list[Entry]:
    """Every code, status and message the package's `DomainError(...)` calls can raise."""
    modules = _modules(package)
    found = set()
    for module in modules.values():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and _name(node) == "DomainError":
                found.update(_entries(node, Scope(module, _functions_around(node, module)), modules, module.short, ""))
    return sorted(found, key=lambda e: (e.code or "", e.status or 0, e.message or "", e.module, e.via, e.source))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(entries: list[Entry]) -> str:
    """docs/errors.md: one row per code, status and message, with the modules that raise it."""
    rows: dict[tuple, list[str]] = {}
    for e in entries:
        where = f"`{e.module}`" + (f" (through `{e.via}`)" if e.via else "")
        key = (e.code, e.status, e.message, e.source)
        if where not in rows.setdefault(key, []):
            rows[key].append(where)
    lines = [
        "# Error codes",
        "",
        "<!-- Generated from the source by meetingday/error_catalogue.py; do not edit by hand. -->",
        "",
        "A refused change raises `DomainError(code, message, status)` (`meetingday/errors.py`). The",
        "code is stable: tests and the screens' scripts match on it. The message is the Vietnamese",
        "msgid, as written in the source (English in `translations/en`); `%(name)s` is filled in",
        "when it is raised. The status is HTTP's; 400 when the call gives none.",
        "",
        "This file is generated; `tests/test_error_catalogue.py` fails when it is out of date.",
        "Regenerate it with:",
        "",
        f"    {REGENERATE}",
        "",
        "| code | status | message | raised in |",
        "|---|---|---|---|",
    ]
    for (code, status, message, source), places in rows.items():
        shown_code = f"`{code}`" if code else f"built at run time: `{_cell(source)}`"
        lines.append(f"| {shown_code} | {status if status is not None else 'set at run time'} | "
                     f"{_cell(message) if message is not None else '(set at run time)'} | {', '.join(places)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    sys.stdout.buffer.write(render(scan()).encode("utf-8"))  # UTF-8 whatever the locale


if __name__ == "__main__":
    main()
