"""Every service keeps the one shape of the README's "Where things live": a newcomer guesses where a use case lives.

The package root holds only the factory, settings, command line, consumers and worker; everything else sits in
domain/ (rules), adapters/ (the edges), service/ (use cases), api/ (views) or schemas/ (shapes at the boundary).
A domain module reaches no framework, not even through a shared module that does; a module over 400 lines says why.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.unit.test_boundaries import FRAMEWORKS, ROOT, SERVICES

ROOT_MODULES = {"__init__", "app", "config", "cli", "consumers", "worker"}
PLACES = {"domain", "adapters", "service", "api", "schemas"}
DATA_FOLDERS = {"migrations", "templates"}  # Alembic's revisions; the gateway's default DOCX form templates
LONG = 400
WHY_LONG = "Longer than 400 lines because"
SHARED = ROOT / "shared" / "src" / "pacesetter_shared"


def _package(folder: str) -> Path:
    return ROOT / folder / "src" / SERVICES[folder]


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(), str(path))) or ""


@pytest.mark.parametrize("folder", sorted(SERVICES))
def test_the_package_root_holds_only_the_agreed_modules_and_places(folder):
    root = _package(folder)
    misplaced = sorted(p.name for p in root.iterdir() if p.name != "__pycache__" and not (
        (p.is_file() and p.suffix == ".py" and p.stem in ROOT_MODULES)
        or (p.is_dir() and p.name in PLACES | DATA_FOLDERS)))
    assert misplaced == [], f"{root.relative_to(ROOT)}: {misplaced} outside the agreed places (README)"
    for place in PLACES:
        assert (root / place / "__init__.py").is_file(), f"{folder} has no {place}/"
        nested = [p.name for p in (root / place).iterdir() if p.is_dir() and p.name != "__pycache__"]
        assert nested == [], f"{folder}/{place}/ holds packages {nested}: one level of modules"


@pytest.mark.parametrize("folder", sorted(SERVICES))
def test_the_package_docstring_names_the_services_aggregates(folder):
    doc = _docstring(_package(folder) / "__init__.py")
    assert "aggregates" in doc.lower() and "Where things live" in doc, f"{folder}'s package docstring"


@pytest.mark.parametrize("folder", sorted(SERVICES))
def test_views_and_shapes_mirror_each_other(folder):
    """api/<resource>.py has its shapes in schemas/<resource>.py (a resource without a body of its own may share
    schemas/common.py)."""
    root = _package(folder)
    views = {p.stem for p in (root / "api").glob("*.py") if not p.stem.startswith("_")}
    shapes = {p.stem for p in (root / "schemas").glob("*.py") if not p.stem.startswith("_")}
    assert shapes - views <= {"common"}, f"{folder}: schemas without views {sorted(shapes - views - {'common'})}"


def _module_file(name: str) -> Path | None:
    """The file of a pacesetter_shared module (its package's __init__ for a package), None for anything else."""
    parts = name.split(".")
    if parts[0] != "pacesetter_shared":
        return None
    base = SHARED.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _reached(path: Path, package_root: Path, seen: set[Path]) -> set[str]:
    """The top-level packages a module imports, following its own package's modules and pacesetter_shared's."""
    if path in seen:
        return set()
    seen.add(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom):  # relative: within the same package
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
            targets = [base.joinpath(*node.module.split(".")) if node.module else base]
            targets += [t / alias.name for t in targets[:1] for alias in node.names]
            for target in targets:
                for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                    if candidate.is_file() and package_root in candidate.parents:
                        found |= _reached(candidate, package_root, seen)
            continue
        for name in names:
            found.add(name.split(".")[0])
            shared = _module_file(name)
            if shared is not None:
                found |= _reached(shared, SHARED, seen)
    return found


@pytest.mark.parametrize("folder", sorted(SERVICES))
def test_a_domain_module_reaches_no_framework_even_through_a_shared_module(folder):
    for path in sorted((_package(folder) / "domain").glob("*.py")):
        reached = _reached(path, _package(folder), set()) & FRAMEWORKS
        assert not reached, f"{path.relative_to(ROOT)} reaches {sorted(reached)}"


def _python_sources():
    for folder in [*SERVICES, "shared"]:
        for path in (ROOT / folder / "src").rglob("*.py"):
            if "versions" not in path.parts:
                yield path


def test_a_module_over_400_lines_says_why_at_its_top():
    unexplained = [f"{p.relative_to(ROOT)} ({n} lines)" for p in _python_sources()
                   if (n := len(p.read_text().splitlines())) > LONG and WHY_LONG not in _docstring(p)]
    assert unexplained == [], f"write '{WHY_LONG} …' in their docstring, or split them: {unexplained}"
