"""Every write of events, visits, treaties, sources and citations: typed, keyword-only, one edit each.

Two shapes of the same path:

- per record, for the admin and the API: ``event_create(actor=…, reason=…,
  fields=…, participants=…)``, ``event_update(…, event=…)``, ``event_delete``,
  and the same for visits, treaties, sources and citations. Every model check
  runs (``full=True``); problems come back as one ``ValidationError`` keyed by
  field (``participants.1.person``).
- in batches, for importers: ``events_write(actor=…, reason=…, records=[Record(…)],
  visits={slug: Record(…) | None}, tally=…)``, ``treaties_write``,
  ``sources_write``. A ``core.services.Record`` names the record by natural key
  (slug), the fields to set (values or ids, e.g. ``treaty_id``) and the child
  lists to replace (``{"participants": [{"role": …, "person_id": …}]}``); a list
  left out stays as stored. Field rules and ``clean()`` run on every row;
  uniqueness is left to the database constraints, since an importer checks a
  whole set first (``seeds.importer.validate``). Each record's ``reason`` goes
  into its rows' history; the whole call is one edit id. The ``Tally`` counts
  rows inserted, updated, unchanged and deleted per model, as import reports do.

Lists are given whole and diffed by identity (``events.relations``): rows that
stay the same are not written, so history shows only what changed.
"""

from core.services.record_services import RecordServices
from events.services.citations import citation_create, citation_delete, citation_update
from events.services.events import (
    EVENT_FIELDS,
    VISIT_FIELDS,
    event_create,
    event_delete,
    event_update,
    events_write,
    visit_create,
    visit_delete,
    visit_update,
)
from events.services.sources import SOURCE_FIELDS, source_create, source_delete, source_update, sources_write
from events.services.treaties import (
    TREATY_FIELDS,
    treaties_write,
    treaty_create,
    treaty_delete,
    treaty_update,
)

__all__ = [
    "CITATION_SERVICES",
    "EVENT_FIELDS",
    "EVENT_SERVICES",
    "SOURCE_FIELDS",
    "SOURCE_SERVICES",
    "TREATY_FIELDS",
    "TREATY_SERVICES",
    "VISIT_FIELDS",
    "VISIT_SERVICES",
    "citation_create",
    "citation_delete",
    "citation_update",
    "event_create",
    "event_delete",
    "event_update",
    "events_write",
    "source_create",
    "source_delete",
    "source_update",
    "sources_write",
    "treaties_write",
    "treaty_create",
    "treaty_delete",
    "treaty_update",
    "visit_create",
    "visit_delete",
    "visit_update",
]


# Each record's create, update and delete, as the admin and the GraphQL mutations call them.
SOURCE_SERVICES = RecordServices(
    create=source_create, update=source_update, delete=source_delete, record="source"
)
EVENT_SERVICES = RecordServices(create=event_create, update=event_update, delete=event_delete, record="event")
VISIT_SERVICES = RecordServices(create=visit_create, update=visit_update, delete=visit_delete, record="visit")
TREATY_SERVICES = RecordServices(
    create=treaty_create, update=treaty_update, delete=treaty_delete, record="treaty"
)
CITATION_SERVICES = RecordServices(
    create=citation_create, update=citation_update, delete=citation_delete, record="citation"
)
