"""The floor plan: the layers are the top-level folders and their imports go one way.

    schemas/       the contract (events, topic names, deadlines, vocabularies, hash chain,
                   redaction rule): imports nothing of ours
    streams/       the Faust app and its pure decisions: imports only schemas
    sinks/         the store, its SQL, quality checks and audit: imports only schemas
    dashboards/    what leaders look at: imports only sinks and schemas
    managers/      the unit managers' desk; scenario/ the synthetic data (only kokemusvirta and
                   scenario itself may import it); kokemusvirta/ the face (CLI, composition root)

Every import counts, also one inside a function or under TYPE_CHECKING: a lazy import is still
an arrow between layers. Static (ast), so it needs no import of the code it checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("schemas", "streams", "sinks", "dashboards", "managers", "scenario", "kokemusvirta")

# package -> the packages of ours it may import (besides itself)
MAY_IMPORT: dict[str, set[str]] = {
    "schemas": set(),
    "streams": {"schemas"},
    "sinks": {"schemas"},
    "dashboards": {"sinks", "schemas"},
    "managers": {"schemas", "sinks", "streams"},
    "scenario": set(PACKAGES),
    "kokemusvirta": set(PACKAGES),
}


def _module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imports_in(source: str, package: list[str]) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the source, relative ones resolved against
    `package` (the dotted package the source lives in)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                found.append((node.lineno, ".".join([*base, *filter(None, [node.module])])))
            else:
                found.append((node.lineno, node.module or ""))
    return found


def imports_of(path: Path) -> list[tuple[int, str]]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module[:-1]
    return imports_in(path.read_text(encoding="utf-8"), package)


def offending_imports() -> list[str]:
    problems = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, module in imports_of(path):
                top = module.split(".")[0]
                if top in PACKAGES and top != package and top not in MAY_IMPORT[package]:
                    rel = path.relative_to(ROOT)
                    problems.append(f"{rel}:{line} imports {module} ({package} may import "
                                    f"{', '.join(sorted(MAY_IMPORT[package])) or 'nothing'})")
    return problems


def test_layers_import_one_way() -> None:
    problems = offending_imports()
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def test_only_the_face_and_the_scenario_import_the_scenario() -> None:
    # Covered by MAY_IMPORT above; stated on its own because the rule is easy to break from a
    # test helper's convenience import in production code.
    for package in PACKAGES:
        if package in {"scenario", "kokemusvirta"}:
            continue
        assert "scenario" not in MAY_IMPORT[package]


def test_the_face_holds_no_domain_module() -> None:
    """kokemusvirta/ is the CLI, settings, composition root, local broker, demo and bench only.
    Its subcommands (kokemusvirta/commands/) are named after what they call, and are thin."""
    face = ROOT / "kokemusvirta"
    forbidden = {"scenario", "audit", "quality", "inbox", "digest", "managers", "signals",
                 "activity", "workdays", "unit_store", "lifecycle_client", "evaluation"}
    found = sorted(str(p.relative_to(ROOT)) for p in face.rglob("*")
                   if p.stem in forbidden and p.suffix in {"", ".py"}
                   and not {"__pycache__", "commands"} & set(p.relative_to(face).parts))
    assert not found, f"domain modules in the face package: {found}"


@pytest.mark.parametrize("source, package, expected", [
    ("import streams.app\n", ["schemas"], "streams.app"),
    ("from sinks.store import Store\n", ["streams"], "sinks.store"),
    ("def f():\n    from scenario import generate\n", ["dashboards"], "scenario"),
    ("from ..streams import app\n", ["sinks", "audit"], "sinks.streams"),
    ("from . import queries\n", ["dashboards"], "dashboards"),
])
def test_the_checker_sees_every_kind_of_import(
    source: str, package: list[str], expected: str
) -> None:
    assert expected in [module for _, module in imports_in(source, package)]
