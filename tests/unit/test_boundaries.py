"""The architecture's lines, checked: services never import each other, domains stay plain Python."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"gateway": "gateway", "pledge-service": "pledge_service", "evaluation-service": "evaluation_service",
            "grading-service": "grading_service", "notification-service": "notification_service"}
FRAMEWORKS = {"flask", "flask_smorest", "sqlalchemy", "kombu", "alembic", "marshmallow", "werkzeug", "psycopg"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("folder, package", sorted(SERVICES.items()))
def test_a_service_imports_no_other_service(folder, package):
    others = set(SERVICES.values()) - {package}
    for path in (ROOT / folder / "src").rglob("*.py"):
        assert not (_imports(path) & others), f"{path.relative_to(ROOT)} imports {_imports(path) & others}"


@pytest.mark.parametrize("folder, package", sorted(SERVICES.items()))
def test_the_domain_uses_no_framework(folder, package):
    for path in (ROOT / folder / "src" / package / "domain").rglob("*.py"):
        assert not (_imports(path) & FRAMEWORKS), f"{path.relative_to(ROOT)} imports {_imports(path) & FRAMEWORKS}"


def test_the_shared_package_imports_no_service():
    for path in (ROOT / "shared" / "src").rglob("*.py"):
        assert not (_imports(path) & set(SERVICES.values())), path
