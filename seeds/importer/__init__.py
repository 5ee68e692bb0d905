"""Seed importer: parse → validate the whole set → write in one transaction → report.

Override points, following openstates-core's importers: the file format is
``schema`` (pydantic, strict); ``loader`` parses YAML with line numbers;
``validate`` checks the set and builds a ``Plan``; ``gazetteer`` contributes
ISO countries and regions; ``write`` matches natural keys and saves only what
changed. Adding an article is adding files, not code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from core import limits
from core.errors import SeedError
from core.validators import text_problem
from seeds.importer.loader import find_files, load
from seeds.importer.locking import ImportLocked, busy_message, take_import_lock
from seeds.importer.problems import Msg, Problem
from seeds.importer.validate import build_plan
from seeds.importer.write import Stats, Writer

DEFAULT_PATH = Path(settings.BASE_DIR) / "seeds"
# Revisions name "the editor, or the import that made the change" (api/contract.graphql).
IMPORT_USERNAME = "import_seeds"


def import_user() -> Any:
    """Return the account imports are recorded under; it cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORT_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seeds_import(
    *,
    paths: Sequence[Path] = (),
    dry_run: bool = False,
    actor: Any | None = None,
    progress: Callable[[str], None] = lambda message: None,
    file_wins: Sequence[str] = (),
    file_wins_reason: str = "",
) -> Stats:
    """Import seed files or folders in one transaction; on any problem raise SeedError, writing nothing.

    Editors' changes since the last import are kept and reported as conflicts
    (``seeds.importer.ownership``); the records named in ``file_wins`` take the
    file's values, with ``file_wins_reason`` in their history.
    """
    if file_wins and not file_wins_reason.strip():
        raise SeedError(["--file-wins overwrites editors' changes: say why with --reason."])
    if problem := text_problem(file_wins_reason, limit=limits.REASON):
        raise SeedError([f"--reason: {problem}"])
    files, problems = find_files(list(paths) or [DEFAULT_PATH])
    docs = []
    for path in files:
        doc, found = load(path)
        docs.append(doc)
        problems.extend(found)
    progress(f"Read {len(docs)} seed file(s).")
    plan, found = build_plan(docs)
    problems.extend(found)
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0))
        raise SeedError([str(p) for p in problems])
    progress(
        f"Validated {len(plan.sources)} sources, {len(plan.countries)} countries, "
        f"{len(plan.regions)} regions, {len(plan.people)} people, {len(plan.treaties)} treaties, "
        f"{len(plan.events)} events."
    )
    try:
        with transaction.atomic(durable=True):
            take_import_lock()
            writer = Writer(
                plan, progress, actor or import_user(), frozenset(file_wins), file_wins_reason.strip()
            )
            stats = writer.run()
            if dry_run:
                # A dry run is a real run rolled back on purpose: its counts are exact.
                transaction.set_rollback(True)
    except ImportLocked as error:
        raise SeedError([str(error)]) from error
    except (DatabaseError, ValidationError) as error:
        if (busy := busy_message(error)) is not None:
            raise SeedError([busy]) from error
        if isinstance(error, ValidationError):
            raise
        problem = Problem(
            ", ".join(d.name for d in docs), None, "", "", Msg.DATABASE_REFUSED.format(problem=error)
        )
        raise SeedError([str(problem)]) from error
    return stats


__all__ = ["DEFAULT_PATH", "IMPORT_USERNAME", "SeedError", "Stats", "import_user", "seeds_import"]
