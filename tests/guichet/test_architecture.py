"""The house's layout, guarded (docs/architecture.md): apps depend one way
(associations ← services ← referrals ← upkeep), the project package's shared modules import no
app, Python imports no template-tag library, and no name is borrowed from a module that
merely imported it (``timezone.timedelta``)."""

import ast
import importlib
import inspect
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each app may import the apps before it, never those after it.
APPS = ["associations", "services", "referrals", "upkeep"]
PROJECT = ("guichet", *APPS)


def python_files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(path: Path) -> set[str]:
    """The modules ``path`` imports, and the apps it names to the app registry
    (``apps.get_model("services", …)`` is written ``registry:services``)."""
    found = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add("registry:" + str(node.args[0].value).split(".")[0])
    return found


def top(module: str) -> str:
    return module.removeprefix("registry:").split(".")[0]


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_no_app_after_it(app):
    later = set(APPS[APPS.index(app) + 1 :])
    wrong = {
        f"{relative(path)}: {module}"
        for path in python_files(app)
        for module in imports(path)
        if not module.startswith("registry:") and top(module) in later
    }
    assert wrong == set()


@pytest.mark.parametrize("app", APPS)
def test_an_app_names_no_app_after_it_to_the_registry(app):
    """associations reaches services' models through the registry (its reverse
    relations need no import); nothing below referrals reaches referrals at all."""
    allowed = {"associations": {"services"}}.get(app, set())
    later = set(APPS[APPS.index(app) + 1 :]) - allowed
    wrong = {
        f"{relative(path)}: {module}"
        for path in python_files(app)
        for module in imports(path)
        if module.startswith("registry:") and top(module) in later
    }
    assert wrong == set()


def test_the_project_package_imports_apps_only_in_the_root_urls():
    """guichet's shared modules (roles, i18n, pagination…) sit below every app."""
    wrong = {
        f"{relative(path)}: {module}"
        for path in python_files("guichet")
        if relative(path) != "guichet/urls.py"
        for module in imports(path)
        if not module.startswith("registry:") and top(module) in APPS
    }
    assert wrong == set()


def test_python_imports_no_template_tag_library():
    wrong = {
        f"{relative(path)}: {module}"
        for path in python_files(*PROJECT)
        if "templatetags" not in path.parts
        for module in imports(path)
        if ".templatetags" in module
    }
    assert wrong == set()


def _defined(module) -> set[str]:
    """The names a module of ours defines itself (not those it imports)."""
    names = set()
    for node in parsed(Path(module.__file__)).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                names.update(e.id for e in elements if isinstance(e, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _borrowed(path: Path) -> set[str]:
    """Names ``path`` takes from a module that did not define them: from one of ours,
    a name it only imported; from one of Django's, something of another library that
    it happens to import (``timezone.timedelta`` is the standard library's)."""
    found, aliases = set(), {}
    tree = parsed(path)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        module = importlib.import_module(node.module)
        for alias in node.names:
            is_package = hasattr(module, "__path__")
            if is_package and find_spec(f"{node.module}.{alias.name}"):
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                continue
            ours = top(node.module) in PROJECT and not hasattr(module, "__path__")
            if ours and alias.name not in _defined(module):
                found.add(f"from {node.module} import {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name = aliases.get(node.value.id)
            if name and name.startswith("django."):
                value = getattr(importlib.import_module(name), node.attr, None)
                # Classes, functions and modules say where they come from; constants do not.
                origin = value.__name__ if inspect.ismodule(value) else inspect.getmodule(value)
                origin = getattr(origin, "__name__", origin)
                if isinstance(origin, str) and not origin.startswith("django"):
                    found.add(f"{node.value.id}.{node.attr}")
    return {f"{relative(path)}: {use}" for use in found}


def test_no_name_is_borrowed_from_a_module_that_only_imported_it():
    borrowed = set().union(*(_borrowed(path) for path in python_files(*PROJECT, "tests")))
    assert borrowed == set()
