"""What an operator meets (issue 23): the curated folder imports alone, an empty database says so."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from seeds.checks import NO_ACCOUNT, NO_ACCOUNT_HINT, NO_DATA, NO_DATA_HINT
from seeds.paths import CURATED
from tests.seeds.conftest import run

pytestmark = pytest.mark.django_db


def test_the_curated_folder_given_as_a_path_imports_exactly_what_the_default_run_reads() -> None:
    read = re.compile(r"^Read (\d+) seed file\(s\)\.$", re.M)
    by_path = run(CURATED)
    by_default = run()  # --only seeds: the default run's curated files
    assert read.findall(by_path) == read.findall(by_default) == [str(len(list(CURATED.glob("*.yaml"))))]
    assert "Nothing changed." in by_path  # the session database holds them already
    # Only seed-format files and the texts they cite live there: no table of a dataset's.
    assert {p.suffix for p in CURATED.iterdir()} == {".yaml", ".txt"}
    assert not (Path(settings.BASE_DIR) / "seeds" / "aliases").exists()


def check_output() -> str:
    out = io.StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=out)
    return out.getvalue()


def test_an_empty_database_and_no_account_are_named_with_the_commands_that_fix_them(
    empty_database: None,
) -> None:
    output = check_output()
    for text in (NO_DATA, NO_DATA_HINT, NO_ACCOUNT, NO_ACCOUNT_HINT):
        assert text in output
    assert "`make seed`" in output and "manage.py ensure_editor" in output


def test_a_seeded_database_with_a_staff_account_starts_without_a_notice() -> None:
    get_user_model().objects.create_user("editor-on-duty", password="x", is_staff=True)
    output = check_output()
    assert "seeds.I001" not in output and "seeds.I002" not in output


def test_make_serve_runs_the_check_that_says_so() -> None:
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    serve = makefile[makefile.index("\nserve:") :].split("\n\n")[0]
    assert "manage.py check --deploy --database default" in serve
