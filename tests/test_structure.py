"""The package's shape, read with ast: module and function sizes, and imports that run one
way (spec -> layout -> render and read -> diff -> report -> cli) with no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sheetsync"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80

# Over the limits when the limits were set; each may shrink, none may grow, and an entry
# that is no longer needed must go (the test says so).
OVER_MODULES: dict[str, int] = {}
OVER_FUNCTIONS: dict[str, int] = {}

# Each module's layer, lowest first: a module imports only from its own layer or lower ones.
LAYERS = [
    ("messages", {"i18n"}),
    ("base", {"errors", "values", "numfmt", "safety"}),
    ("spec", {"spec", "specfile", "specrefs", "yamlfile", "catalog", "vocabulary"}),
    ("contract", {"formulas", "model", "result", "extras", "validate", "parts"}),
    ("layout", {"layout", "measure", "pages"}),
    ("render and read", {"rendering", "workbook", "reading", "batch"}),
    ("diff", {"diffing", "diff", "check", "rules", "export", "merging"}),
    ("report", {"report", "api", "conflicts", "grouping"}),
    ("cli", {"cli", "cliargs", "__main__", ""}),
]
RENDER = {"rendering", "workbook"}  # render and read share a layer but never import each other


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for i, (_, names) in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"sheetsync.{module} has no layer: add it to LAYERS in {Path(__file__).name}")


def _imports(module: str) -> set[str]:
    """The package's modules that ``module`` imports, at the top or inside a function."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] + ([node.module] if node.module else [])
            elif (node.module or "").split(".")[0] == "sheetsync":
                base = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                name = ".".join([*base, alias.name])
                found.add(name if name in MODULES else ".".join(base))
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".", 1)[1] for a in node.names if a.name.startswith("sheetsync.")}
    found.discard(module)
    return found


def test_no_module_is_too_long():
    sizes = {
        m.relative_to(PACKAGE).as_posix(): len(m.read_text(encoding="utf-8").splitlines()) for m in MODULES.values()
    }
    long = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES and n > OVER_MODULES.get(name, 0)}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"
    gone = [name for name in OVER_MODULES if sizes.get(name, 0) <= MAX_MODULE_LINES]
    assert not gone, f"within the limit now: remove {gone} from OVER_MODULES"


def test_no_function_is_too_long():
    sizes = {}
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key = f"{path.relative_to(PACKAGE).as_posix()}:{node.name}"
                sizes[key] = max(sizes.get(key, 0), node.end_lineno - node.lineno + 1)
    long = {k: n for k, n in sizes.items() if n > MAX_FUNCTION_LINES and n > OVER_FUNCTIONS.get(k, 0)}
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"
    gone = [k for k in OVER_FUNCTIONS if sizes.get(k, 0) <= MAX_FUNCTION_LINES]
    assert not gone, f"within the limit now: remove {gone} from OVER_FUNCTIONS"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    mine = _layer(module)
    for dep in sorted(_imports(module)):
        assert _layer(dep) <= mine, (
            f"sheetsync.{module} ({LAYERS[mine][0]}) imports sheetsync.{dep} ({LAYERS[_layer(dep)][0]})"
        )
        top, dep_top = module.split(".")[0], dep.split(".")[0]
        assert not (top in RENDER and dep_top == "reading"), f"render imports read: {module} -> {dep}"
        assert not (top == "reading" and dep_top in RENDER), f"read imports render: {module} -> {dep}"


def test_no_import_cycles():
    graph = {m: _imports(m) & set(MODULES) for m in MODULES}
    done: set[str] = set()

    def visit(m: str, path: list[str]) -> None:
        assert m not in path, "import cycle: " + " -> ".join([*path[path.index(m) :], m])
        if m in done:
            return
        for dep in sorted(graph[m]):
            visit(dep, [*path, m])
        done.add(m)

    for m in sorted(graph):
        visit(m, [])


def test_only_the_layout_and_the_spec_know_the_kinds_of_blocks():
    kinds = {"TitleBlock", "FieldsBlock", "AmountsBlock", "IndicatorsBlock", "TotalBlock"}
    offenders = []
    for module, path in MODULES.items():
        if module in ("spec", "specfile", "specrefs", "layout"):  # where blocks are defined, loaded and laid out
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
                names = (
                    {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)} if len(node.args) > 1 else set()
                )
                if names & kinds:
                    offenders.append(f"{module}:{node.lineno}")
    assert not offenders, f"isinstance on block kinds outside layout.py: {offenders}"


def test_the_checks_see_a_breach():
    """The import rules are not vacuous: an import upward is seen."""
    assert "layout" in _imports("rendering") and _layer("layout") < _layer("rendering")
    assert (
        _layer("cli") > _layer("report") > _layer("diffing") > _layer("rendering") > _layer("layout") > _layer("spec")
    )
