"""Start-up notices for an operator (issue 23): an empty database or no account says what to run.

``make serve`` runs ``manage.py check --deploy --database default`` before gunicorn; these
checks are tagged ``database`` so only a check that names a database runs them (a plain
``manage.py`` command never queries for them). They are INFO, never a failure: an empty
database is a valid state to serve, only a surprising one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.checks import Info, Tags, register
from django.db import DatabaseError

from events.models import Event, Treaty
from people.models import Person

NO_DATA = "The database holds no events, treaties or people: the site will show empty pages."
NO_DATA_HINT = "Load the seeds and bundled datasets first: `make seed` (about a minute)."
NO_ACCOUNT = "No account can log in to /admin/ (no active staff account)."
NO_ACCOUNT_HINT = (
    "Create one with `DEBUG=1 .venv/bin/python manage.py ensure_editor` (same DATABASE_URL); "
    "it prints the password once."
)


@register(Tags.database)
def empty_database_check(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Info]:
    """Say when the database has no data or no account, and the command that fixes each."""
    if not databases:
        return []
    try:
        empty = not (Event.objects.exists() or Treaty.objects.exists() or Person.objects.exists())
        no_account = not get_user_model().objects.filter(is_active=True, is_staff=True).exists()
    except DatabaseError:
        return []  # not migrated: `migrate` says so itself, and make serve migrates first
    notices = []
    if empty:
        notices.append(Info(NO_DATA, hint=NO_DATA_HINT, id="seeds.I001"))
    if no_account:
        notices.append(Info(NO_ACCOUNT, hint=NO_ACCOUNT_HINT, id="seeds.I002"))
    return notices
