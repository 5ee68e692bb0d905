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

from core.edits import edit
from core.services import Tally
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
        with edit(actor=self.actor, reason=IMPORT_REASON):
            for section in SECTIONS:  # in order: each refers only to sections written before it
                if section.write is not None:
                    getattr(self, section.write)()
            self.owner.save()
        self.stats.conflicts = self.owner.conflicts
        return self.stats


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
