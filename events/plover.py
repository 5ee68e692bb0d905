"""Chancery's events as PLOVER records: the one mapping of kinds, roles and statuses (issue 24).

PLOVER (Political Language Ontology for Verifiable Event Records, the Open Event Data
Alliance's successor of CAMEO, https://github.com/openeventdata/PLOVER) codes an event as
``event`` (what), ``mode`` (how) and ``context`` (why), between ``actor`` and ``recipient``
entity lists keyed by ISO 3166-1 alpha-3 codes. The GraphQL ``Event.plover`` field and the
``/export/plover.jsonl`` export both call :func:`plover_of`; docs/plover.md explains each
choice. A kind PLOVER has no type for is left out with its reason (:class:`LeftOut`), never
forced into the nearest-sounding type.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from core.fuzzydates import DateKind, FuzzyDate
from events.models import Citation, Event, EventKind, EventStatus, ParticipantRole, Participation

# PLOVER's "quad" categories (manual, each type's "Quad category").
VERBAL_COOPERATION, MATERIAL_COOPERATION, VERBAL_CONFLICT, MATERIAL_CONFLICT = 1, 2, 3, 4

CONSULT, AGREE, SUPPORT, SANCTION, MOBILIZE, ASSAULT = (
    "CONSULT",
    "AGREE",
    "SUPPORT",
    "SANCTION",
    "MOBILIZE",
    "ASSAULT",
)
QUAD = {
    CONSULT: VERBAL_COOPERATION,
    AGREE: VERBAL_COOPERATION,
    SUPPORT: VERBAL_COOPERATION,
    SANCTION: MATERIAL_CONFLICT,
    MOBILIZE: MATERIAL_CONFLICT,
    ASSAULT: MATERIAL_CONFLICT,
}


@dataclass(frozen=True)
class Rule:
    """What a kind becomes: a PLOVER type, its modes and contexts, and why."""

    event: str
    reason: str
    mode: tuple[str, ...] = ()
    context: tuple[str, ...] = ("diplomatic",)


# The kinds PLOVER has a type for. VISIT, MEETING and MILITARY refine theirs from the
# participants (see plover_of); every reason quotes the manual's definition relied on.
RULES: dict[str, Rule] = {
    EventKind.VISIT: Rule(
        CONSULT,
        "CONSULT covers 'visiting and hosting visits'; mode visit: 'actor is visiting, recipient "
        "is hosting'.",
        mode=("visit",),
    ),
    EventKind.MEETING: Rule(CONSULT, "CONSULT covers 'all consultations and meetings'."),
    EventKind.TREATY: Rule(
        AGREE,
        "A step in a treaty's life (signing, ratification): AGREE is 'indicate willingness or "
        "commitment to cooperate, including promises to sign or ratify agreements'.",
    ),
    EventKind.MILITARY: Rule(
        MOBILIZE,
        "MOBILIZE: 'military or police moves that fall short of the actual use of force'; no one "
        "is on the receiving end.",
        context=("military",),
    ),
    EventKind.RECOGNITION: Rule(
        SUPPORT, "SUPPORT includes 'recognition of newly independent states, new governments'."
    ),
    EventKind.RELATIONS_ESTABLISHED: Rule(
        SUPPORT, "SUPPORT includes 'initiation of diplomatic ties with an entity for the first time'."
    ),
    EventKind.RELATIONS_RESUMED: Rule(
        SUPPORT, "SUPPORT: 'initiate, resume, improve, or expand diplomatic, non-material cooperation'."
    ),
    EventKind.EMBASSY_ELEVATION: Rule(
        SUPPORT,
        "A legation raised to an embassy improves relations: SUPPORT 'improve, or expand diplomatic"
        " ... cooperation'.",
    ),
    EventKind.RELATIONS_SEVERED: Rule(
        SANCTION,
        "SANCTION is 'all reductions in existing, routine, or cooperative relations'; mode discontinue: "
        "'break, or terminate diplomatic ... exchanges'.",
        mode=("discontinue",),
    ),
}

# Kinds with no PLOVER type, and why: these are left out of PLOVER output and counted.
NO_PLOVER_TYPE: dict[str, str] = {
    EventKind.STATEMENT: "PLOVER dropped CAMEO's 'make public statement' (01); a statement's content "
    "would need coding from its text.",
    EventKind.TERRITORIAL_CONTROL: "who holds a territory is a state of affairs, not an act between "
    "parties; how it changed hands is not in the kind.",
    EventKind.HUMANITARIAN: "aid given (AID) or harm suffered (ASSAULT): the kind does not say which.",
    EventKind.CULTURAL: "PLOVER has no type for cultural events.",
    EventKind.CONSULAR_RELATIONS: "consular relations opened, closed or changed: the kind does not say "
    "which way (SUPPORT or SANCTION).",
    EventKind.DIPLOMATIC_MISSION: "a mission opened, closed or raised: the kind does not say which way "
    "(SUPPORT or SANCTION).",
    EventKind.ADMINISTRATIVE: "the Department of State's internal administration is no act between "
    "political entities.",
    EventKind.MILESTONE: "a narrative article spanning years, not one event.",
    EventKind.OTHER: "no kind to map.",
}

NO_ACTOR = "no participant to act: PLOVER requires an actor."

# How far Chancery vouches for an event, as a PLOVER-side confidence. PLOVER has no
# confidence field; providers may add named fields (manual, "Data Fields").
CONFIDENCE: dict[str, str] = {
    EventStatus.CONFIRMED: "high",
    EventStatus.REPORTED: "medium",
    EventStatus.CLAIMED: "low",
    EventStatus.DISPUTED: "low",
    EventStatus.DENIED: "low",
}
# A denied or retracted event is PLOVER's auxiliary mode "negation", carried in context
# ("negated events can be excluded from the final event dataset").
STATUS_CONTEXT: dict[str, tuple[str, ...]] = {EventStatus.DENIED: ("negation",)}

# Roles on the receiving end of an act; every other role acts.
RECEIVING = {ParticipantRole.HOST, ParticipantRole.SUBJECT}

# What plover_of reads of an event, fetched under attribute names of their own so a GraphQL
# query that also selects ``participants`` or ``citations`` keeps its own prefetches.
PREFETCH = [
    Prefetch(
        "participants",
        Participation.objects.select_related("person", "country").order_by("pk"),
        to_attr="plover_participants",
    ),
    Prefetch(
        "citations", Citation.objects.select_related("source").order_by("pk"), to_attr="plover_citations"
    ),
    Prefetch("countries", to_attr="plover_countries"),
]
SELECT = ["visit__host_country"]
ONLY = ["slug", "kind", "status", "date", "date_earliest", "date_latest"]


@dataclass(frozen=True)
class Entity:
    """A PLOVER entity: ``code`` is ISO 3166-1 alpha-3 (a former state's ISO 3166-3 alpha-3, SUN)."""

    code: str | None
    entity_text: str
    country: str | None = None  # Chancery's own country code (PL, SUHH, XAHU)
    person: str | None = None  # Chancery's person slug

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "entity_text": self.entity_text}
        if self.country:
            data["chancery_country"] = self.country
        if self.person:
            data["chancery_person"] = self.person
        return data


@dataclass(frozen=True)
class Cite:
    """A PLOVER citeInfo object for one citation of the event."""

    title: str
    url: str | None
    citation: str | None
    corpus: str | None

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "citation": self.citation, "corpus": self.corpus}


@dataclass(frozen=True)
class Record:
    """One event as a PLOVER record, with Chancery's own date bounds kept beside ``date``."""

    id: str
    date: str
    enddate: str | None
    event: str
    mode: list[str]
    context: list[str]
    quad_code: int
    actor: list[Entity]
    recipient: list[Entity]
    event_text: list[str]
    cite_info: list[Cite]
    confidence: str
    status: str
    comment: str
    date_bounds: FuzzyDate


@dataclass(frozen=True)
class LeftOut:
    """An event with no PLOVER record, and why."""

    kind: str
    reason: str


@dataclass
class Tally:
    """How many events became records, and how many of each kind were left out."""

    records: int = 0
    left_out: Counter[str] = field(default_factory=Counter)

    def add(self, result: Record | LeftOut) -> None:
        if isinstance(result, Record):
            self.records += 1
        else:
            self.left_out[result.kind] += 1


def _related(event: Event, attr: str, name: str) -> list[Any]:
    """The rows prefetched under ``attr`` (GraphQL), else the relation (itself prefetched by exports)."""
    rows = getattr(event, attr, None)
    return list(rows) if rows is not None else list(getattr(event, name).all())


def _entity(p: Participation) -> Entity:
    country = p.country
    return Entity(
        code=country.alpha3 if country else None,
        entity_text=p.person.name if p.person else country.name,  # type: ignore[union-attr]
        country=country.code if country else None,
        person=p.person.slug if p.person else None,
    )


def _distinct_sides(entities: list[Entity]) -> int:
    """How many parties: a country counts once however many of its people take part."""
    return len({e.country or e.person for e in entities})


def _dates(fd: FuzzyDate) -> tuple[str | None, str | None]:
    """PLOVER's single ``date`` (the first day the event may be on), and ``enddate`` for a span."""
    first = fd.earliest or fd.latest
    if first is None:
        return None, None
    end = fd.latest if fd.kind is DateKind.SPAN and fd.latest and fd.latest != first else None
    return first.isoformat(), end.isoformat() if end else None


def plover_of(event: Event) -> Record | LeftOut:
    """Return ``event`` as a PLOVER record, or why it has none."""
    rule = RULES.get(event.kind)
    if rule is None:
        return LeftOut(event.kind, NO_PLOVER_TYPE.get(event.kind, NO_PLOVER_TYPE[EventKind.OTHER]))
    participants = _related(event, "plover_participants", "participants")
    actors = [_entity(p) for p in participants if p.role not in RECEIVING]
    recipients = [_entity(p) for p in participants if p.role in RECEIVING]
    kind_type, mode, context, reason = rule.event, list(rule.mode), list(rule.context), rule.reason
    if event.kind == EventKind.VISIT and not recipients and (visit := getattr(event, "visit", None)):
        host = visit.host_country
        recipients = [Entity(host.alpha3, host.name, country=host.code)]
    elif event.kind == EventKind.MEETING:
        roles = {p.role for p in participants}
        if ParticipantRole.VISITOR in roles and ParticipantRole.HOST in roles:
            mode, reason = ["visit"], RULES[EventKind.VISIT].reason
        elif _distinct_sides(actors + recipients) >= 3:
            # PLOVER codes reciprocal meetings with every party as actor and no recipient.
            actors, recipients = actors + recipients, []
            mode, reason = ["multilateral"], reason + " Three or more parties: mode multilateral."
    elif event.kind == EventKind.MILITARY:
        acting = {e.country for e in actors if e.country}
        # Force on another: a second side, a subject, or a country of the event none of the
        # actors is (Russia's offensive in Ukraine). Otherwise posture: MOBILIZE.
        elsewhere = [
            Entity(c.alpha3, c.name, country=c.code)
            for c in _related(event, "plover_countries", "countries")
            if acting and c.code not in acting
        ]
        if recipients or len(acting) >= 2 or elsewhere:
            recipients = recipients or elsewhere
            kind_type = ASSAULT
            reason = (
                "ASSAULT: 'deliberate actions which can potentially result in substantial physical "
                "harm'; another party is on the receiving end (PLOVER's FIGHT of earlier drafts)."
            )
    if not actors:
        return LeftOut(event.kind, NO_ACTOR)
    fd = FuzzyDate.of(event, "date")
    assert fd is not None  # an event's date is required
    date, enddate = _dates(fd)
    citations = _related(event, "plover_citations", "citations")
    return Record(
        id=event.slug,
        date=date or "",
        enddate=enddate,
        event=kind_type,
        mode=mode,
        context=context + list(STATUS_CONTEXT.get(event.status, ())),
        quad_code=QUAD[kind_type],
        actor=actors,
        recipient=recipients,
        event_text=[c.quote for c in citations if c.quote],
        cite_info=[
            Cite(
                title=c.source.title,
                url=c.source.url or None,
                citation=c.locator or None,
                corpus=c.source.publisher or None,
            )
            for c in citations
        ],
        confidence=CONFIDENCE[event.status],
        status=event.status,
        comment=f"{event.kind} → {kind_type}: {reason}",
        date_bounds=fd,
    )
