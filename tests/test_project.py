"""The project as a newcomer meets it: one command, pinned dependencies, pure engines."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_dependency_is_pinned_with_a_hash():
    lock = (ROOT / "requirements.lock").read_text()
    requirements = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)(==[^\s\\]+)?", lock, re.MULTILINE)
    assert requirements, "requirements.lock lists no package"
    assert all(version for _name, version in requirements), "every package is pinned with =="
    assert lock.count("--hash=sha256:") >= len(requirements)
    for package in ("django==5.2", "django-ninja==", "argon2-cffi==", "psycopg=="):
        assert package in lock


def test_the_homeward_command_runs_django_commands():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "homeward"), "help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in (
        "import-registrations",
        "generate",
        "load-gazetteer",
        "demo-setup",
        "create-api-token",
    ):
        assert command in result.stdout


def test_engines_import_nothing_from_django_or_the_apps():
    offenders = []
    for path in (ROOT / "src" / "homeward" / "engines").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("django") or (
                    name.startswith("homeward.") and ".engines" not in name
                ):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_the_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.count("make test") >= 2 and "DATABASE_URL=postgres" in ci
