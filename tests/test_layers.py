"""The layout shows the architecture: imports point down the layers, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "bot.config",
    "bot.domain",
    "bot.infra",
    "bot.engines",
    "bot.queue",
    "bot.distributed",
    "cogs",
]
"""Bottom first: a module may import its own layer and those before it (``bot/__main__.py``, the
composition root, imports them all)."""
MAX_LINES = 420


def layer_of(module: str) -> int | None:
    return next(
        (i for i, name in enumerate(LAYERS) if module == name or module.startswith(name + ".")),
        None,
    )


def modules() -> dict[str, Path]:
    found = {}
    for package in ("bot", "cogs"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imports_of(path: Path, *, ours: bool = True) -> set[str]:
    """Every module ``path`` imports (function-level ones and those under ``if TYPE_CHECKING:``
    included); with ``ours``, only the project's."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if not ours or name.split(".")[0] in ("bot", "cogs")}


def test_imports_point_down_the_layers():
    upward = []
    for name, path in modules().items():
        own = layer_of(name)
        if own is None:  # the composition root and package markers
            continue
        for imported in imports_of(path):
            target = layer_of(imported)
            if target is not None and target > own:
                upward.append(f"{name} imports {imported}")
    assert not upward


def test_no_import_cycles_between_modules():
    """Imports for type annotations count too: a module that needs another's type for its
    annotations depends on it as much as one that calls it (a protocol breaks such a circle)."""
    graph = {
        name: {i for i in imports_of(path) if i in modules()} for name, path in modules().items()
    }
    state: dict[str, str] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in graph[node]:
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [node])
    assert not cycles


def test_bot_package_has_no_discord_imports():
    offenders = [
        name
        for name, path in modules().items()
        if name.startswith("bot")
        and any(i.split(".")[0] == "discord" for i in imports_of(path, ours=False))
    ]
    assert not offenders


def test_no_module_is_too_long():
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long
