"""GraphQL types for events, visits, treaties, sources and the rows that join them."""

from __future__ import annotations

from typing import Any

import strawberry_django
from django.db.models import Prefetch, QuerySet
from strawberry import relay
from strawberry.types import Info

from core.fuzzydates import FuzzyDate
from core.graphql.types import (
    EDITORS_NOTE,
    FuzzyDateType,
    fuzzy_date_field,
    fuzzy_date_only,
    history_field,
    text_or_null,
)
from events import models
from events.types.enums import (
    EventKind,
    EventStatus,
    ParticipantRole,
    ProvisionKind,
    TreatyTypeEnum,
    VisitKind,
)
from events.types.plover import plover_field
from people.types import OrganizationType, PersonType
from places.types import CountryType, RegionType


@strawberry_django.type(models.Source, name="Source")
class SourceType(relay.Node):
    """A document facts are taken from: an article, a communiqué, a treaty text."""

    slug: str = strawberry_django.field(description="Its key, as citation inputs name it.")
    title: str

    publisher = text_or_null("publisher")
    url = text_or_null("url")
    commit = text_or_null(
        "commit", description="For a dataset: the version (git commit) the copy was taken at."
    )

    licence = text_or_null("licence", description="The licence it is used under, e.g. CC0 1.0.")
    licence_url = text_or_null("licence_url")
    attribution = text_or_null("attribution", description="The credit the licence asks for, to show.")
    published_on = fuzzy_date_field("published_on")


@strawberry_django.type(models.Citation, name="Citation")
class CitationType:
    """A source backing a record, with the exact words relied on."""

    source: SourceType

    quote = text_or_null("quote", description="Verbatim span of the source text.")
    locator = text_or_null(
        "locator",
        description="Where in the source: for a dataset its file and record id, e.g. "
        "'hsg-visits data/2010.xml #2972'; null when not given.",
    )


@strawberry_django.type(models.Participation, name="Participation")
class ParticipationType:
    """Who took part in an event, and as what."""

    role: ParticipantRole  # type: ignore[valid-type]
    person: PersonType | None
    country: CountryType | None

    note = text_or_null(
        "note",
        description=(
            "Who or what exactly, where the actor is narrower than a country, e.g. 'defence ministry'."
        ),
    )


@strawberry_django.type(models.Event, name="Event")
class EventType(relay.Node):
    """Something that happened, or is said to have happened, on a (fuzzy) date."""

    slug: str
    kind: EventKind  # type: ignore[valid-type]
    title: str
    summary: str
    status: EventStatus  # type: ignore[valid-type]
    participants: list[ParticipationType]
    countries: list[CountryType]
    regions: list[RegionType]
    citations: list[CitationType]
    version: int = strawberry_django.field(
        description=(
            "How many edits the record has had (its fields or its lists). Send it back as "
            "`expectedVersion` when changing or deleting it: a stale one is refused with CONFLICT."
        )
    )
    visit: VisitType | None = strawberry_django.field(description="Set when the event is a visit.")
    treaty: TreatyType | None = strawberry_django.field(
        description="Set when the event is a step in a treaty's life (signing, ratification...)."
    )
    plover = plover_field

    @strawberry_django.field(only=fuzzy_date_only("date"))
    def date(self, root: models.Event) -> FuzzyDateType:
        return FuzzyDate.of(root, "date")  # type: ignore[return-value]

    note = text_or_null("note", description=EDITORS_NOTE)

    history = history_field("Every edit of the event and its relations, oldest first.")


@strawberry_django.type(models.Visit, name="Visit")
class VisitType(relay.Node):
    """A person's visit to a host country; its date and sources live on its event."""

    slug: str
    kind: VisitKind  # type: ignore[valid-type]
    visitor: PersonType
    host_country: CountryType
    destinations: list[RegionType]
    delegation_size: int | None = strawberry_django.field(
        description="Size of the accompanying delegation where the source gives it."
    )
    event: EventType
    version: int = strawberry_django.field(
        description=(
            "How many edits the record has had (its fields or its lists). Send it back as "
            "`expectedVersion` when changing or deleting it: a stale one is refused with CONFLICT."
        )
    )

    purpose = text_or_null("purpose")
    note = text_or_null("note", description=EDITORS_NOTE)

    history = history_field("Every edit of the visit and its destinations, oldest first.")


@strawberry_django.type(models.TreatyProvision, name="TreatyProvision")
class TreatyProvisionType:
    """One obligation a treaty sets out."""

    kind: ProvisionKind  # type: ignore[valid-type]
    summary: str

    article = text_or_null(
        "article", description="Article or clause reference where known, e.g. 'Article 4'."
    )


OPEN_ENDED = (
    "True when the data says there is no end: still in force (GGO's 9999-12-31); `ended` is then null. "
    "False with a null `ended`: no end is known."
)


# Declared once for both kinds of party. Strawberry inherits fields only from a decorated
# type; this one is referenced by no field, so the schema does not show it.
@strawberry_django.type(models.TreatyParty, name="TreatyPartySteps")
class _PartySteps:
    """What a state party and an organisation party share: who signed, the treaty, its own steps."""

    signatory: PersonType | None
    treaty: TreatyType = strawberry_django.field(description="The treaty this is a party to.")

    signed = fuzzy_date_field("signed")
    ratified = fuzzy_date_field(
        "ratified",
        description="Ratification, accession, acceptance or approval: when it consented to be bound.",
    )

    in_force = fuzzy_date_field("in_force", description="When the treaty entered into force for this party.")
    ended = fuzzy_date_field(
        "ended", description="When the treaty stopped binding this party; see openEnded."
    )

    @strawberry_django.field(description=OPEN_ENDED, only=["open_ended"])
    def open_ended(self, root: models.TreatyParty) -> bool:
        return root.open_ended

    source_code = text_or_null(
        "source_code",
        description="The party's code in the dataset it came from, as written there (GGO: RUS for a "
        "1969 party recorded as the Soviet Union); null when none.",
    )

    note = text_or_null(
        "note", description="The editors' note (e.g. that the state of the era was inferred); null when none."
    )


def _parties_of(kind: str, queryset: QuerySet) -> QuerySet:
    """The parties of one kind: ``"country"`` (a state) or ``"organization"``; a party is one or the other."""
    return queryset.filter(**{f"{kind}__isnull": False})


def _only_parties(kind: str) -> classmethod:
    """A party type's ``get_queryset``: its list holds the parties of its own kind."""

    def get_queryset(cls: type, queryset: QuerySet, info: Info, **kwargs: Any) -> QuerySet:
        return _parties_of(kind, queryset)

    return classmethod(get_queryset)


@strawberry_django.type(models.TreatyParty, name="TreatyParty")
class TreatyPartyType(_PartySteps):
    """A state party to a treaty, with who signed for it and its own steps."""

    country: CountryType
    get_queryset = _only_parties("country")


@strawberry_django.type(models.TreatyParty, name="TreatyOrganizationParty")
class TreatyOrganizationPartyType(_PartySteps):
    """An international organisation party to a treaty (EURATOM, the IAEA...), with its own steps."""

    organization: OrganizationType
    get_queryset = _only_parties("organization")


def _party_rows(kind: str) -> QuerySet:
    # Each list holds its own kind of party, the party preloaded.
    order = "country__code" if kind == "country" else "organization__name"
    return (
        _parties_of(kind, models.TreatyParty.objects)
        .select_related(kind, "signatory", "treaty")
        .order_by(order, "pk")
    )


def _parties(kind: str, attr: str) -> Prefetch:
    return Prefetch("parties", queryset=_party_rows(kind), to_attr=attr)


def _prefetched(root: models.Treaty, kind: str, attr: str) -> list[models.TreatyParty]:
    if hasattr(root, attr):
        return getattr(root, attr)
    return list(_party_rows(kind).filter(treaty=root))


@strawberry_django.type(models.Treaty, name="Treaty")
class TreatyType(relay.Node):
    """An agreement between states."""

    slug: str
    name: str

    @strawberry_django.field(
        description="Its state parties, each with its own signature, ratification, entry into force and end.",
        prefetch_related=[_parties("country", "state_parties")],
    )
    def parties(self, root: models.Treaty) -> list[TreatyPartyType]:
        return _prefetched(root, "country", "state_parties")  # type: ignore[return-value]

    @strawberry_django.field(
        description="Its international organisation parties (EURATOM, the IAEA...), with their own steps.",
        prefetch_related=[_parties("organization", "organization_parties")],
    )
    def organization_parties(self, root: models.Treaty) -> list[TreatyOrganizationPartyType]:
        return _prefetched(root, "organization", "organization_parties")  # type: ignore[return-value]

    provisions: list[TreatyProvisionType]
    parent: TreatyType | None = strawberry_django.field(
        description="The treaty this one amends, extends or is a protocol to."
    )
    amendments: list[TreatyType] = strawberry_django.field(
        description="Treaties amending, extending or protocols to this one."
    )
    events: list[EventType] = strawberry_django.field(
        description="Signing, ratification and other steps, oldest first."
    )
    citations: list[CitationType]
    version: int = strawberry_django.field(
        description=(
            "How many edits the record has had (its fields or its lists). Send it back as "
            "`expectedVersion` when changing or deleting it: a stale one is refused with CONFLICT."
        )
    )

    short_name = text_or_null(
        "short_name", description="Short descriptive name, e.g. 'Russia–North Korea mutual-defence treaty'."
    )

    signed = fuzzy_date_field("signed")
    in_force = fuzzy_date_field("in_force")
    ended = fuzzy_date_field("ended", description="When the treaty ended; see openEnded.")

    @strawberry_django.field(description=OPEN_ENDED, only=["open_ended"])
    def open_ended(self, root: models.Treaty) -> bool:
        return root.open_ended

    @strawberry_django.field(
        description="Agreement, protocol, amendment, MOU...; null when the source does not say.",
        only=["treaty_type"],
    )
    def type(self, root: models.Treaty) -> TreatyTypeEnum | None:  # type: ignore[valid-type]
        return models.TreatyType(root.treaty_type) if root.treaty_type else None

    domain = text_or_null("domain", description="Policy field: Environment, Trade, Health...")
    subject = text_or_null("subject", description="What it regulates, e.g. Fishing, Nuclear Safety.")
    ambit = text_or_null("ambit", description="Bilateral, Multilateral, Regional...")
    alternative_name = text_or_null("alternative_name", description="Another official title.")
    note = text_or_null("note", description=EDITORS_NOTE)

    history = history_field("Every edit of the treaty, its parties and provisions, oldest first.")
