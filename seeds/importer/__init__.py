"""Seed importer: parse → validate the whole set → write in one transaction → report.

Override points, following openstates-core's importers: the file format is
``schema`` (pydantic, strict); ``loader`` parses YAML with line numbers;
``validate`` checks the set and builds a ``Plan``; ``gazetteer`` contributes
ISO countries and regions; ``write`` matches natural keys and saves only what
changed. Adding an article is adding files, not code.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from core import limits
from core.errors import SeedError
from core.services import Tally
from core.validators import text_problem
from places.models import Country
from seeds.importer import runs
from seeds.importer.loader import find_files, load
from seeds.importer.locking import ImportLocked, busy_message, take_import_lock
from seeds.importer.preview import Preview, preview
from seeds.importer.problems import Msg, Problem
from seeds.importer.sections import SECTIONS
from seeds.importer.validate import build_plan
from seeds.importer.write import Vanished, Writer
from seeds.paths import CURATED

DEFAULT_PATH = CURATED  # the curated seed files, and only them (seeds.paths)
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


SEEDS = "seeds"  # what --only calls the curated YAML files of seeds/curated/
NO_GAZETTEER = (
    "--only {only}: the database has no countries yet, and the datasets refer to them. Load the "
    "curated seeds with them (`import_seeds --only seeds {only}`) or everything (`import_seeds`). "
    "Nothing was written."
)


@dataclass
class Report:
    """A run's outcome: rows per model, the datasets' unusable values, and time spent per step."""

    stats: Tally
    data_problems: list[Any] = field(default_factory=list)  # seeds.datasets.base.DataProblem
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: Any | None = None  # seeds.models.ImportRun: the last run, when this one had nothing to do
    preview: list[Preview] | None = (
        None  # a dry run's planned records, new and stored (seeds.importer.preview)
    )


def gazetteer_loaded() -> bool:
    """Whether the countries a dataset refers to are in the database (the curated seeds hold them)."""
    return Country.objects.exists()


def seeds_import(**options: Any) -> Tally:
    """Import as ``run_import`` does, with its keyword arguments, and return only the rows' tally.

    On any problem raise SeedError, writing nothing. Editors' changes since the last import
    are kept and reported as conflicts (``seeds.importer.ownership``); the records named in
    ``file_wins`` take the file's values, with ``file_wins_reason`` in their history.
    """
    return run_import(**options).stats


def run_import(
    *,
    paths: Sequence[Path] = (),
    dry_run: bool = False,
    actor: Any | None = None,
    progress: Callable[[str], None] = lambda message: None,
    file_wins: Sequence[str] = (),
    file_wins_reason: str = "",
    only: Sequence[str] = (),
    datasets: bool | None = None,
    full: bool = False,
) -> Report:
    """Import the curated seeds and the bundled datasets in one transaction, or what is named.

    By default (no ``paths``, no ``only``): every YAML file in seeds/curated/ and every
    registered dataset (``seeds.datasets.base.register``). ``only`` names what to
    load instead: dataset names and/or ``"seeds"``. ``paths`` are YAML files or
    folders; given alone they load no dataset unless ``datasets=True``.

    A default run whose files and data are as the last default run left them returns at
    once with ``up_to_date`` set (``seeds.importer.runs``); ``full`` compares every record
    anyway. A run of some of the datasets only is partial: it adds, never removes
    (``seeds.importer.ownership``).
    """
    from seeds.datasets.base import DatasetError, by_name, problem_counts, registered

    if file_wins and not file_wins_reason.strip():
        raise SeedError(["--file-wins overwrites editors' changes: say why with --reason."])
    if problem := text_problem(file_wins_reason, limit=limits.REASON):
        raise SeedError([f"--reason: {problem}"])
    timings: dict[str, float] = {}
    started = time.perf_counter()
    default = not paths and not only and not file_wins and datasets is None
    fingerprint = runs.fingerprint(a.folder for a in registered()) if default and not dry_run else None
    if fingerprint is not None and not full and (last := runs.up_to_date(fingerprint)) is not None:
        return Report(Tally(), timings={"check": time.perf_counter() - started}, up_to_date=last)
    unknown = [n for n in only if n != SEEDS and by_name(n) is None]
    if unknown:
        names = ", ".join([SEEDS, *(a.name for a in registered())])
        raise SeedError([f"--only: no dataset {n!r}; known: {names}" for n in unknown])
    load_yaml = bool(paths) or not only or SEEDS in only
    if not load_yaml and not gazetteer_loaded():
        # The datasets name countries and regions; the curated seeds (the gazetteer) hold them.
        raise SeedError([NO_GAZETTEER.format(only=" ".join(only))])
    if only:
        adapters = [a for a in registered() if a.name in only]
    else:
        adapters = registered() if (datasets if datasets is not None else not paths) else []
    files, problems = find_files(list(paths) or [DEFAULT_PATH]) if load_yaml else ([], [])
    docs: list[Any] = []
    for path in files:
        doc, found = load(path)
        docs.append(doc)
        problems.extend(found)
    if load_yaml:
        progress(f"Read {len(docs)} seed file(s).")
    partial = bool(adapters) and len(adapters) < len(registered())
    data_problems: list[Any] = []
    timings["read seeds"] = time.perf_counter() - started
    for adapter in adapters:
        begun = time.perf_counter()
        try:
            parsed = adapter.parse()
        except DatasetError as error:
            raise SeedError([str(error)]) from None
        docs.extend(parsed.documents)
        problems.extend(parsed.errors)
        data_problems.extend(parsed.problems)
        timings[f"read {adapter.name}"] = took = time.perf_counter() - begun
        progress(
            f"{adapter.name}: read {parsed.records} records from {len(parsed.documents)} file(s) "
            f"in {took:.1f} s; {len(parsed.problems)} unusable value(s) recorded as unknown."
        )
    resolution = None
    if adapters:
        from seeds.datasets.resolve import resolve

        begun = time.perf_counter()
        resolution = resolve(docs)
        data_problems.extend(resolution.problems)
        timings["resolve"] = time.perf_counter() - begun
        progress(
            f"Resolved people and places: {resolution.joined} joined to people already known, "
            f"{resolution.merged} merged across datasets, {resolution.new_regions} new places."
        )
    begun = time.perf_counter()
    plan, found = build_plan(docs)
    problems.extend(found)
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0))
        raise SeedError([str(p) for p in problems])
    timings["validate"] = time.perf_counter() - begun
    for doc in docs:
        doc.release()  # the plan holds the records now, and the writer lets each go once written
    counted = [s for s in SECTIONS if s.model is not None]
    progress("Validated " + ", ".join(f"{len(getattr(plan, s.name))} {s.label}" for s in counted) + ".")
    if dry_run:
        # Validated and planned: the rest only reads, and takes no lock (seeds.importer.preview).
        begun = time.perf_counter()
        planned = preview(plan)
        timings["preview"] = time.perf_counter() - begun
        return Report(Tally(), data_problems, timings, preview=planned)
    begun = time.perf_counter()
    try:
        with transaction.atomic(durable=True):
            take_import_lock()
            writer = Writer(
                plan,
                progress,
                actor or import_user(),
                frozenset(file_wins),
                file_wins_reason.strip(),
                partial=partial,
            )
            stats = writer.run()
            _store_conflicts(stats.conflicts, writer.actor)
            if resolution is not None:
                _propose_candidates(resolution.candidates, writer.actor)
            if fingerprint is not None:
                counts = problem_counts(data_problems)
                runs.record(fingerprint, {f"{d}: {k}": n for (d, k), n in sorted(counts.items())})
    except ImportLocked as error:
        raise SeedError([str(error)]) from error
    except Vanished as error:
        raise SeedError([str(error.problem)]) from error
    except (DatabaseError, ValidationError) as error:
        if (busy := busy_message(error)) is not None:
            raise SeedError([busy]) from error
        if isinstance(error, ValidationError):
            raise
        problem = Problem(
            ", ".join(d.name for d in docs), None, "", "", Msg.DATABASE_REFUSED.format(problem=error)
        )
        raise SeedError([str(problem)]) from error
    timings["write"] = time.perf_counter() - begun
    return Report(stats, data_problems, timings)


def _store_conflicts(conflicts: list[Any], actor: Any) -> None:
    """List the editors' values this run kept over the files' for editors (admin: Import conflicts)."""
    from seeds.services import conflicts_record

    if conflicts:
        conflicts_record(actor=actor, conflicts=conflicts)


def _propose_candidates(candidates: list[Any], actor: Any) -> None:
    """Store the pairs the identity rules could not decide, for editors (admin: Possible duplicates).

    A pair an editor already decided is left as they decided it (people.identity_imports).
    """
    from people.identity_imports import Proposal, person_candidates_record
    from people.models import Person

    slugs = {slug for c in candidates for slug in (c.slug_a, c.slug_b)}
    known = set(Person.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    proposals = [
        Proposal(c.slug_a, c.slug_b, score=c.score, rule=c.rule, evidence={"why": c.evidence})
        for c in candidates
        if c.slug_a in known and c.slug_b in known and c.slug_a != c.slug_b
    ]
    reason = "Proposed by the import's identity rules"
    person_candidates_record(actor=actor, reason=reason, proposals=proposals)


__all__ = [
    "DEFAULT_PATH",
    "IMPORT_USERNAME",
    "SEEDS",
    "Report",
    "SeedError",
    "import_user",
    "run_import",
    "seeds_import",
]
