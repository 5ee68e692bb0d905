"""The import writer's state and lookups: natural keys to ids, ownership merge, batches.

The sections that write each kind of record (``write_places``, ``write_people``,
``write_events``) build on this; ``seeds.importer.write.Writer`` puts them in order.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, reset_queries

from core.relations import relations_of
from core.services import Outcome, Record, Tally
from events.models import Citation
from places.models import Country, Region
from seeds.importer.ownership import Ownership
from seeds.importer.plan import Plan, Planned
from seeds.importer.problems import Msg, Problem
from seeds.importer.schema import CitationRecord

INSERTED, UPDATED, UNCHANGED, DELETED = (
    Outcome.INSERTED.value,
    Outcome.UPDATED.value,
    Outcome.UNCHANGED.value,
    Outcome.DELETED.value,
)
BATCH = 1000
IMPORT_REASON = "import_seeds"


T = TypeVar("T")


def _key(record: Any) -> str:
    """A planned record's natural key: its slug (a country's: its code)."""
    return getattr(record, "slug", None) or getattr(record, "code", "")


class Vanished(Exception):
    """A record the files refer to was in the database at validation and is gone at write time.

    Validation reads the database before the import's transaction; an editor may delete a
    person (say) in between. The lookup then misses (it was a KeyError; issue 19, item 7):
    this names what is missing and where the files refer to it.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def forget_debug_queries() -> None:
    """Empty the SQL log Django keeps under DEBUG (``make seed`` sets it), unless a test captures it.

    The log keeps the last 9,000 statements with their values written out: a batch insert's
    text is megabytes, and the import's batches grew the default run by ~200 MB (issue 25,
    item 3). ``CaptureQueriesContext`` sets ``force_debug_cursor``: its count stays whole.
    """
    if settings.DEBUG and not connection.force_debug_cursor:
        reset_queries()


def collect_batch() -> None:
    """Free the cycles the batches since the last call left, while ``core.edits.edit`` has the
    collector paused (core.gcpause): they are still young, and a collection of the young
    generations frees them without walking the rest of what the import holds (issue 25)."""
    if not gc.isenabled():
        gc.collect(1)


def drain(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    """Yield ``items`` in batches, emptying the list as it goes: a batch handed out is no longer
    held by the list, so it goes once its caller is done with it (issue 25, item 3)."""
    items.reverse()
    while items:
        chunk = items[-size:]
        del items[-size:]
        chunk.reverse()
        yield chunk


class WriterBase:
    """Resolve natural keys to ids and merge batches with editors' changes; the sections write."""

    def __init__(
        self,
        plan: Plan,
        progress: Callable[[str], None],
        actor: Any | None = None,
        file_wins: frozenset[str] = frozenset(),
        file_wins_reason: str = "",
        *,
        partial: bool = False,
    ) -> None:
        self.plan = plan
        # partial: a run of some datasets only, which adds and never removes (seeds.importer.ownership).
        self.owner = Ownership(file_wins=file_wins, partial=partial)
        self.file_wins_reason = file_wins_reason
        self.progress = progress
        self.actor = actor
        self.stats = Tally()
        self.countries = {c.code: c.pk for c in Country.objects.all()}
        self.regions: dict[str, Region] = {}
        for region in Region.objects.all():
            self._remember(region)
        self.sources: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.treaties: dict[str, int] = {}
        self.organizations: dict[str, int] = {}
        self.item: Planned | None = None  # the record being built, for a Vanished reference's message

    def _with_editors_changes(
        self, model: type[Any], records: list[Record[Any]], items: list[Any], **kw: Any
    ) -> list[Any]:
        """Merge a batch with what editors changed since the last import (seeds.importer.ownership)."""
        files = [i.doc.name if i.doc is not None else i.reason for i in items]
        for record in records:
            if str(record.key) in self.owner.file_wins:
                record.reason = f"{record.reason}; the file wins: {self.file_wins_reason}"
        merged = self.owner.merge(model, records, files, **kw)
        self._count_skipped(model)
        # This batch's baselines go in now, in the run's transaction like the records: a run
        # never holds every record's baseline at once (issue 25, item 3).
        self.owner.save()
        forget_debug_queries()
        collect_batch()
        return merged

    def _count_skipped(self, model: type[Any]) -> None:
        """Count the records the last merge left out of the write (they would change nothing) as
        unchanged, with their child rows and their rows' citations.

        Added up per model for the whole batch, then added once each: a no-op re-import skips
        every record, and one tally call per record and child list was a fifth of its time
        (issue 25, item 3). The counts and their order are the same as one call per record.
        """
        skipped = self.owner.skipped
        if not skipped:
            return
        below = {
            r.name: (r.child_model, any(b.name == "citations" for b in relations_of(r.child_model)))
            for r in relations_of(model)
        }
        counts: dict[type[Any], int] = {model: len(skipped)}  # in order of first count, as one by one
        for record in skipped.values():
            for name, rows in record.children.items():
                child, cited_below = below[name]
                if rows:
                    counts[child] = counts.get(child, 0) + len(rows)
                if cited_below and (
                    cited := sum(len(row.get("citations") or ()) for row in rows if isinstance(row, dict))
                ):
                    counts[Citation] = counts.get(Citation, 0) + cited
        for counted, count in counts.items():
            self.stats.add(counted, UNCHANGED, "", count)  # an unchanged count keeps no key

    def _skipped_ids(self, cache: dict[str, int]) -> None:
        """Remember the ids of the records the last merge left out of the write."""
        cache.update(self.owner.skipped_ids)

    # -- lookups by natural key (rows of this run first, then the database) -----------------------

    def _ids(self, model: type[Any], cache: dict[str, int], slugs: set[str | None]) -> None:
        missing = [s for s in slugs if s is not None and s not in cache]
        if missing:
            cache.update(model.objects.filter(slug__in=missing).values_list("slug", "pk"))

    def _need(self, found: dict[str, T], kind: str, key: str) -> T:
        """``found[key]``, or Vanished naming the reference and the record that makes it."""
        try:
            return found[key]
        except KeyError:
            item = self.item
            where, record = (item.where(), str(_key(item.record))) if item is not None else ("", "")
            message = Msg.VANISHED.format(kind=kind, value=key)
            raise Vanished(Problem(where, None, record, "", message)) from None

    def country(self, code: str | None) -> int | None:
        return self._need(self.countries, "country", code) if code is not None else None

    def region(self, ref: str | None) -> int | None:
        return self._need(self.regions, "region", ref).pk if ref is not None else None

    def _remember(self, region: Region) -> None:
        self.regions[region.slug] = region
        if region.iso_code:
            self.regions[region.iso_code] = region

    def _citations(self, citations: list[CitationRecord]) -> list[dict[str, Any]]:
        return [
            {
                "source_id": self._need(self.sources, "source", c.source),
                "quote": c.quote,
                "locator": c.locator,
            }
            for c in citations
        ]

    def organization(self, slug: str | None) -> int | None:
        return self._need(self.organizations, "organization", slug) if slug is not None else None

    def person(self, slug: str | None) -> int | None:
        return self._need(self.people, "person", slug) if slug is not None else None
