"""The seed file format: pydantic models that validation uses and docs/seed-format.md is generated from.

Shape lives here (field names, types, required, vocabularies); an event's fields
come from its declaration (``events/declarations.py``, ``declared_record``); field rules
(slug syntax, lengths, EDTF, alias lists) stay on the Django models and are
applied to each record by ``seeds.importer.validate``, so there is one
definition of each.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model, model_validator

from core.declarations import Editable, natural_key
from core.fuzzydates import FuzzyDateField
from events.declarations import EVENT
from events.models import EventKind, EventStatus, ParticipantRole, ProvisionKind, TreatyType, VisitKind
from people.models import RoleOutcome


def _as_text(value: object) -> object:
    # YAML reads a bare year (2022) as an int; in EDTF it is text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


EDTF = Annotated[
    str,
    BeforeValidator(_as_text),
    Field(
        description=(
            "EDTF date: 2022-02-24, 2025-05 (May), 2025-05? (uncertain), 2022~ (circa), "
            "2022-01/2022-04 (interval), 2022-02-24/.. (open end)."
        )
    ),
]
Slug = Annotated[str, Field(description="Natural key: lower-case words joined by hyphens.")]
CountryCode = Annotated[
    str,
    Field(description="ISO 3166-1 alpha-2 code, e.g. UA, KP; a former state's four-letter code, e.g. SUHH."),
]
RegionRef = Annotated[
    str, Field(description="A region's slug (e.g. kyiv) or its ISO 3166-2 code (e.g. UA-14).")
]
Note = Annotated[str, Field(description="Editorial note: what was inferred, and from what.")]


class Record(BaseModel):
    """Strict base: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class CitationRecord(Record):
    """A source backing the record, with the exact words relied on."""

    source: Slug = Field(description="Slug of a source in these files or the database.")
    quote: str = Field(
        "",
        description=(
            "Verbatim span of the source's text, copied exactly (curly quotes, dashes). "
            "Required when the source has text; empty when it has none."
        ),
    )
    locator: str = Field(
        "", description="Where in the source, e.g. a dataset's file and record id: 'data/2010.xml #2972'."
    )


class SourceRecord(Record):
    """A document facts come from; `text_file` holds its full text beside the YAML file."""

    slug: Slug
    title: str
    publisher: str = ""
    url: str = ""
    commit: str = Field("", description="For a dataset: the version (git commit) the copy was taken at.")
    licence: str = ""
    licence_url: str = ""
    attribution: str = Field("", description="The credit the licence asks for.")
    published_on: EDTF = ""
    text_file: str | None = Field(
        None, description="Path of the full text, relative to this YAML file; stored byte for byte."
    )
    text: str = Field(
        "", description="The full text itself, for a bundled dataset's source (a seed file uses text_file)."
    )
    note: Note = ""

    @model_validator(mode="after")
    def _one_text(self) -> SourceRecord:
        if self.text and self.text_file is not None:
            raise ValueError("give the text or a text_file, not both")
        return self


class CountryRecord(Record):
    """A country; with `gazetteer: pycountry` only what differs from ISO needs stating."""

    code: CountryCode
    alpha3: str | None = Field(None, description="ISO 3166-1 alpha-3; taken from the gazetteer if omitted.")
    name: str | None = Field(None, description="Common English name; the ISO name becomes an alias.")
    aliases: list[str] = Field(default_factory=list, description="Added to the gazetteer's aliases.")
    historical: bool = Field(
        False,
        description="A former state (USSR): its code is ISO 3166-3 alpha-4 (SUHH) or a project code XAAA.",
    )
    founded: EDTF = ""
    dissolved: EDTF = ""


class OrganizationRecord(Record):
    """An international organisation (UN, NATO...): offices are held at it, it can act."""

    slug: Slug
    name: str
    abbreviation: str = ""
    classification: str = Field("", description="Lower-case words: intergovernmental, alliance...")
    founded: EDTF = ""
    dissolved: EDTF = ""
    aliases: list[str] = Field(default_factory=list)
    note: Note = ""


class RegionRecord(Record):
    """A region; with an `iso_code` from the gazetteer it overrides only the fields it sets."""

    slug: Slug | None = None
    name: str | None = None
    kind: str | None = Field(None, description="Lower-case words: oblast, city, village...")
    iso_code: str | None = Field(None, description="ISO 3166-2 code where one exists, e.g. UA-14.")
    country: CountryCode | None = None
    parent: RegionRef | None = Field(None, description="The region this one lies in; omit for top level.")
    aliases: list[str] = Field(default_factory=list)
    # NaN and infinities are floats to YAML (.nan, .inf) but no place on Earth.
    latitude: float | None = Field(None, allow_inf_nan=False)
    longitude: float | None = Field(None, allow_inf_nan=False)


class RoleRecord(Record):
    """An office a person held; keyed by title, country, post and start."""

    title: str
    country: CountryCode | None = Field(None, description="Whose office it is (US for a U.S. ambassador).")
    post_country: CountryCode | None = Field(None, description="Where it is held: Ambassador to PL.")
    post_organization: Slug | None = Field(None, description="Slug of the organisation it is held at.")
    start: EDTF = ""
    end: EDTF = Field("", description="Empty: the end is unknown, unless `ongoing` is true.")
    ongoing: bool = Field(False, description="Still in office (then `end` stays empty).")
    outcome: RoleOutcome = Field(
        RoleOutcome.SERVED, description="SERVED, or why a nomination was not served (DECLINED, WITHDRAWN...)."
    )
    note: Note = ""
    citations: list[CitationRecord] = Field(default_factory=list)


class IdentifierRecord(Record):
    """An id another dataset gives the person."""

    scheme: str = Field(description="Who issued it, e.g. hsg-pocom.")
    value: str


class PersonRecord(Record):
    """Someone who acts in events."""

    slug: Slug
    name: str
    aliases: list[str] = Field(default_factory=list)
    wikidata_id: str | None = None
    identifiers: list[IdentifierRecord] = Field(default_factory=list)
    nationality: CountryCode | None = None
    born: EDTF = ""
    died: EDTF = ""
    note: Note = ""
    roles: list[RoleRecord] = Field(default_factory=list)


OPEN_ENDED = Field(
    False, description="No end: still in force (leave `ended` empty). GGO writes this as 9999-12-31."
)


class PartyRecord(Record):
    """A party to a treaty, a country or an organisation, with its own steps."""

    country: CountryCode | None = Field(None, description="The state party.")
    organization: Slug | None = Field(None, description="Or the slug of an organisation party.")
    signatory: Slug | None = Field(None, description="Slug of the person who signed for it.")
    signed: EDTF = ""
    ratified: EDTF = Field("", description="Ratification, accession, acceptance or approval.")
    in_force: EDTF = Field("", description="When the treaty entered into force for this party.")
    ended: EDTF = Field("", description="When it stopped binding this party.")
    open_ended: bool = OPEN_ENDED
    source_code: str = Field("", description="The party's code in the source dataset, as written (RUS).")
    note: Note = ""

    @model_validator(mode="after")
    def _one_party(self) -> PartyRecord:
        if (self.country is None) == (self.organization is None):
            raise ValueError("a party is a country or an organisation: give exactly one of them")
        return self


class ProvisionRecord(Record):
    """One obligation a treaty sets out."""

    kind: ProvisionKind
    article: str = ""
    summary: str


class TreatyRecord(Record):
    """An agreement between states; its signing is an event with `treaty:` set."""

    slug: Slug
    name: str
    short_name: str = ""
    alternative_name: str = ""
    treaty_type: TreatyType | Literal[""] = Field("", description="Empty when unknown.")
    domain: str = Field("", description="Policy field: Environment, Trade, Health...")
    subject: str = ""
    ambit: str = Field("", description="Bilateral, Multilateral, Regional...")
    parent: Slug | None = Field(None, description="Slug of the treaty this one amends or is a protocol to.")
    signed: EDTF = ""
    in_force: EDTF = ""
    ended: EDTF = ""
    open_ended: bool = OPEN_ENDED
    note: Note = ""
    parties: list[PartyRecord] = Field(default_factory=list)
    provisions: list[ProvisionRecord] = Field(default_factory=list)
    citations: list[CitationRecord] = Field(default_factory=list)


class ParticipantRecord(Record):
    """Who took part, and as what: a person, a country, or both."""

    role: ParticipantRole
    person: Slug | None = None
    country: CountryCode | None = Field(
        None, description="The country acting, or the one the person acts for."
    )
    note: str = Field("", description="Narrower than the country, e.g. 'defence ministry'.")

    @model_validator(mode="after")
    def _has_actor(self) -> ParticipantRecord:
        if self.person is None and self.country is None:
            raise ValueError("a participant needs a person, a country, or both")
        return self


class VisitRecord(Record):
    """A person's visit to a host country; its date and sources are the event's."""

    slug: Slug
    kind: VisitKind = VisitKind.UNSPECIFIED
    visitor: Slug = Field(description="Slug of the visiting person.")
    host_country: CountryCode
    destinations: list[RegionRef] = Field(default_factory=list)
    delegation_size: int | None = Field(None, ge=1)
    purpose: str = ""
    note: Note = ""


def _derived(field: models.Field) -> tuple[Any, Any]:
    """A seed field for a declared model field no record below words itself: (annotation, default).

    Required when the model requires it; a related record by its slug (a country by its code);
    a date as EDTF; a vocabulary as its values; the model's help text as the description.
    """
    if isinstance(field, FuzzyDateField):
        return EDTF, ... if not field.blank else ""
    if field.is_relation:
        annotation: Any = CountryCode if natural_key(field.related_model) == "code" else Slug
    elif field.choices:
        annotation = Literal[tuple(value for value, _ in field.choices)]
    elif isinstance(field, models.BooleanField):
        annotation = bool
    elif isinstance(field, models.IntegerField):
        annotation = int
    elif isinstance(field, models.FloatField | models.DecimalField):
        annotation = Annotated[float, Field(allow_inf_nan=False)]
    elif isinstance(field, models.SlugField):
        annotation = Slug
    else:
        annotation = str
    if field.help_text:
        annotation = Annotated[annotation, Field(description=str(field.help_text))]
    if field.has_default():
        return annotation, field.get_default()
    if field.null:
        return annotation | None, None
    if field.blank:
        return (annotation | Literal[""], "") if field.choices else (annotation, "")
    return annotation, ...


def declared_record(
    decl: Editable,
    doc: str,
    *,
    said: dict[str, tuple[Any, Any]],
    lists: dict[str, tuple[Any, Any]],
    extra: dict[str, tuple[Any, Any]],
) -> type[Record]:
    """The seed record of a declared model: its declared fields in order, then its lists, then ``extra``.

    ``said`` words a field itself (a vocabulary, a description); every other declared field is
    derived from its model field, so a field added to the declaration is in the seed format
    (and written by the importer, ``plan.record_values``) with no edit here.
    """
    if set(lists) != set(decl.child_names):
        raise ImproperlyConfigured(f"{decl.model}: the seed lists {sorted(lists)} are not the declared ones.")
    fields = {
        name: said[name] if name in said else _derived(decl.model_class._meta.get_field(name))
        for name in decl.fields
    }
    name = f"{decl.model_class.__name__}Record"
    return create_model(name, __base__=Record, __doc__=doc, __module__=__name__, **fields, **lists, **extra)


EventRecord = declared_record(
    EVENT,
    "Something that happened, or is said to have happened, with the words that back it.",
    said={
        "kind": (EventKind, ...),
        "status": (EventStatus, EventStatus.REPORTED),
        "treaty": (Slug | None, Field(None, description="Slug of the treaty this event is a step of.")),
    },
    lists={
        "countries": (list[CountryCode], Field(default_factory=list)),
        "regions": (list[RegionRef], Field(default_factory=list)),
        "participants": (list[ParticipantRecord], Field(default_factory=list)),
        "citations": (list[CitationRecord], Field(default_factory=list)),
    },
    extra={"visit": (VisitRecord | None, None)},
)


class PersonDecisionRecord(Record):
    """An editor's decision on who is who (issue 20): two records merged, or two people kept apart."""

    decision: Literal["merged", "distinct"] = Field(
        description="merged: `other` was merged into `person`, and its slug names `person`; "
        "distinct: they are two people, never merged by an import."
    )
    person: Slug = Field(description="The person who remains (merged), or one of the two (distinct).")
    other: Slug = Field(description="The slug merged away (merged), or the other person (distinct).")
    name: str = Field("", description="The name the record merged away had.")
    reason: str = Field("", description="Why the editor decided so.")
