"""Fixtures shared by every test package."""

from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Give every test the seeded database: the gazetteer and the seed article (issue 3)."""
    with django_db_blocker.unblock():
        # The curated seeds only: the bundled datasets have tests of their own on small excerpts.
        call_command("import_seeds", only=["seeds"], verbosity=0)
