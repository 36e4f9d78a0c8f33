"""The house's shape, checked: no import circle, no import from a lower stage to a higher one, small modules and
functions (DESIGN.md: "no import circle, no import from a lower stage to a higher one")."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

#: The stages in the order data flows; a module may import its own stage and the ones before it, never a later one.
STAGES = ["config", "files", "errors", "gazetteer", "corpus", "segment", "terms", "themes", "metrics", "evaluation",
          "plots", "explore", "pipeline", "cli", "__main__"]


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Package modules imported by ``name`` (relative and absolute imports, at any depth of the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("analysis"):
                target = node.module[len("analysis."):] if node.module != "analysis" else ""
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("analysis."):
                    found.add(alias.name[len("analysis."):])
    return {m for m in found if m in modules and m != name}


def _stage(module: str) -> int:
    top = module.split(".")[0] if module else "__init__"
    return STAGES.index(top) if top in STAGES else -1


def test_no_import_circle():
    modules = _modules()
    graph = {m: _imports(m, p, modules) for m, p in modules.items() if m}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if "." not in node and nxt.startswith(node + "."):
                continue  # a package's __init__ re-exporting its own modules is not a circle
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif state.get(nxt) is None:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for m in graph:
        if state.get(m) is None:
            visit(m, [m])
    assert not cycles, cycles


def test_no_import_from_a_lower_stage_to_a_higher_one():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        if not name or _stage(name) < 0:
            continue
        for target in _imports(name, path, modules):
            if _stage(target) > _stage(name):
                wrong.append(f"{name} -> {target}")
    assert not wrong, wrong


def test_modules_are_small_enough_to_read_in_one_sitting():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_functions_are_short():
    long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.name} ({n} lines)")
    assert not long, long


@pytest.mark.parametrize("module", ["files", "gazetteer", "corpus.manifest", "evaluation.scores"])
def test_shared_helpers_are_used(module):
    """Each shared helper has at least one importer besides itself (written once, used where needed)."""
    modules = _modules()
    users = [m for m, p in modules.items() if m != module and module in _imports(m, p, modules)]
    assert users, module
