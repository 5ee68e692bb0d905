"""Every ``manage.py`` command the README shows works when typed into a shell (issue 23)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(settings.BASE_DIR)
README = ROOT / "README.md"
DEPLOY = ROOT / "docs" / "deploy.md"
# An environment in which the settings load in a plain shell (config/settings.py).
WORKING_ENV = ("DEBUG=1", "SECRET_KEY=")


def command_lines(path: Path) -> list[str]:
    """The ``manage.py`` command lines of a Markdown file: code blocks, then inline code spans
    (a span broken over two lines of the Markdown source is one command). A line whose command
    is itself a placeholder (``manage.py …``) names no command and is left out."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    spans = re.findall(r"`([^`]*manage\.py [^`]*)`", re.sub(r"```.*?```", "", text, flags=re.S))
    found = [line for line in [*lines, *(" ".join(span.split()) for span in spans)] if "manage.py " in line]
    return [line for line in found if arguments(line)[0] not in ("…", "...")]


def arguments(line: str) -> tuple[str, list[str]]:
    """The command name and its arguments, placeholders (``[PATH ...]``, ``...``, ``…``) dropped."""
    after = line.split("manage.py ", 1)[1]
    after = re.sub(r"\[[^\]]*\]", "", after)
    words = shlex.split(after)
    return words[0], [w for w in words[1:] if w not in ("...", "…")]


def test_the_readme_shows_manage_py_commands() -> None:
    assert len(command_lines(README)) >= 4


@pytest.mark.parametrize("path", [README, DEPLOY], ids=lambda p: p.name)
def test_each_command_exists_and_its_arguments_parse(path: Path) -> None:
    for line in command_lines(path):
        name, args = arguments(line)
        assert name in get_commands(), f"{path.name}: no manage.py command {name!r} ({line})"
        parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
        parser.parse_args(args)  # an unknown option or a missing argument exits here


def test_each_readme_command_names_the_environment_it_needs() -> None:
    for line in command_lines(README):
        before = line.split("manage.py", 1)[0]
        assert any(env in before for env in WORKING_ENV), f"typed as written this fails: {line}"


def test_debug_alone_is_enough_in_a_clean_shell() -> None:
    """As typed from the README: no SECRET_KEY, nothing else from make."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), "DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_seeds", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "--file-wins" in done.stdout
