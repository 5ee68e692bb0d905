"""Write a validated plan through the apps' services, in batches, as one edit.

This step only resolves natural keys (slugs, ISO codes) to ids and hands
``core.services.Record`` batches to ``places.services``, ``events.services``
and ``people.services`` — the same services the admin and the API call, so
the same invariants hold (visit mirror, quote rule, region paths, child-row
identity, history with user and reason). Each record's history reason names
its seed file; the whole run is one edit id. An unchanged record is not
written at all, so a second run of the same files writes nothing, history
included.

For importers of other datasets (issues 9 and 10): build ``Record`` batches the
same way (see ``_events``) and call the batch services inside the importer's
own transaction; ``BATCH`` records per call keeps memory flat and each call a
few dozen statements.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from core.edits import edit
from core.services import Tally
from core.services.pipeline import overlapped
from core.services.statements import default_connection
from seeds.importer.sections import SECTIONS
from seeds.importer.write_base import (
    BATCH,
    DELETED,
    IMPORT_REASON,
    INSERTED,
    UNCHANGED,
    UPDATED,
    Vanished,
    batches,
)
from seeds.importer.write_events import EventSections, treaty_levels
from seeds.importer.write_people import PeopleSections
from seeds.importer.write_places import PlaceSections


class Writer(PlaceSections, PeopleSections, EventSections):
    """Resolve natural keys to ids and write the plan through the services; call inside one transaction.

    Each section is its own module by role (places, people, events); the state and the
    lookups they share are ``seeds.importer.write_base.WriterBase``.
    """

    def run(self) -> Tally:
        # overlapped: on PostgreSQL the COPYs go by a writer thread while the next rows are built
        # (core.services.pipeline), inside this atomic block so that nothing commits under it.
        db = default_connection()
        with (
            older_objects_set_aside(),
            transaction.atomic(),
            overlapped(db),
            edit(actor=self.actor, reason=IMPORT_REASON),
        ):
            for section in SECTIONS:  # in order: each refers only to sections written before it
                if section.write is not None:
                    getattr(self, section.write)()
            self.owner.save()
        self.stats.conflicts = self.owner.conflicts
        return self.stats


@contextmanager
def older_objects_set_aside() -> Iterator[None]:
    """Keep what exists before the write (the plan, Django's own) out of the write's collections.

    The read and the validation make the plan with the collector paused (core.gcpause), so at
    the write's start all of it is young: the first batch's collection (``collect_batch``) walked
    every planned record, and the full collection the collector runs once the edit lets it work
    again walked them a second time (0.2-0.5 s of the 20,000-event write; issue 25, item 3).
    Frozen (``gc.freeze``), they are not walked; a cycle among them stays until the next full
    collection after the write, which ``gc.unfreeze`` makes them part of again. Done only where
    nothing else froze objects (a server that freezes what it preloads keeps its own).
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


__all__ = [
    "BATCH",
    "DELETED",
    "IMPORT_REASON",
    "INSERTED",
    "UNCHANGED",
    "UPDATED",
    "Vanished",
    "Writer",
    "batches",
    "treaty_levels",
]
