"""docs/architecture.md names real things: every module, attribute, file and command it cites exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = ("audit", "bench", "config", "core", "events", "people", "places", "seeds")

CITED = re.findall(r"`([^`]+)`", DOC.read_text())
# Dotted names under the project's packages (plain words such as `save` are not checked).
DOTTED = sorted({c for c in CITED if re.fullmatch(rf"(?:{'|'.join(PACKAGES)})(?:\.\w+)+", c)})
PATHS = sorted({c for c in CITED if "/" in c and " " not in c and "<" not in c})
COMMANDS = sorted({c.split()[1] for c in CITED if c.startswith("manage.py ")})


def resolve(dotted: str) -> object:
    """Import the longest module prefix of ``dotted`` and read the rest as attributes."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:end]))
        except ModuleNotFoundError as error:
            if error.name is not None and ".".join(parts[:end]).startswith(error.name) and end > 1:
                continue
            raise
        for name in parts[end:]:
            found = getattr(found, name)  # AttributeError names what is gone
        return found
    raise ModuleNotFoundError(dotted)


def test_the_doc_cites_enough_to_check() -> None:
    assert len(DOTTED) > 40
    assert len(PATHS) > 10
    assert "export_schema" in COMMANDS


@pytest.mark.parametrize("dotted", DOTTED)
def test_named_module_or_attribute_exists(dotted: str) -> None:
    resolve(dotted)


@pytest.mark.parametrize("path", PATHS)
def test_named_file_exists(path: str) -> None:
    target = ROOT / path
    assert target.exists(), f"docs/architecture.md names {path}, which is gone"
    if target.suffix == ".py" and not path.startswith("tests/"):
        module = ".".join(target.relative_to(ROOT).with_suffix("").parts)
        importlib.import_module(module.removesuffix(".__init__"))


@pytest.mark.parametrize("command", COMMANDS)
def test_named_command_exists(command: str) -> None:
    assert command in get_commands()


def test_a_missing_name_fails() -> None:
    """The check itself: a module or attribute that is not there raises."""
    with pytest.raises(AttributeError, match="no_such_module"):
        resolve("core.no_such_module")
    with pytest.raises(AttributeError):
        resolve("core.fuzzydates.NoSuchThing")
