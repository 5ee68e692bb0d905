"""The validator's shared state and helpers: keys known from the database and the files, problem
reports, field rules checked once per distinct values, references and citations.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from core.relations import ChildRelation
from core.validators import check_text_fields
from events.models import (
    Citation,
    Participation,
    QuoteRule,
    Source,
    Treaty,
    TreatyParty,
    TreatyProvision,
)
from events.relations import EVENT_CITATIONS
from people.models import Organization, Person, PersonMerge
from places.models import Country, Region
from seeds.importer.loader import Loc, SeedDocument
from seeds.importer.plan import Plan, Planned
from seeds.importer.problems import Msg, Problem, shorten
from seeds.importer.schema import CitationRecord

# Child rows whose values repeat across records (of 86,898 treaty parties in the bundled
# datasets 27,701 differ; of 19,322 participants 49): their field rules are checked once per
# distinct set of values. Records themselves rarely repeat, so they are not remembered.
REPEATED = (TreatyParty, TreatyProvision, Participation)


class ValidatorBase:
    """What every check shares: the database's keys read once, the planned records by key, the
    problems found, and the helpers that report them (``Validator`` adds the sections' checks)."""

    def __init__(self, docs: list[SeedDocument]) -> None:
        self.docs = docs
        self.problems: list[Problem] = []
        self.plan = Plan()
        self.db_countries = set(Country.objects.values_list("code", flat=True))
        self.db_regions: dict[str, str] = {}
        self.db_region_keys: dict[str, str] = {}  # slug -> natural key (ISO code, else slug)
        for slug, iso, country in Region.objects.values_list("slug", "iso_code", "country__code"):
            self.db_regions[slug] = country
            self.db_region_keys[slug] = iso or slug
            if iso:
                self.db_regions[iso] = country
        self.db_sources = set(Source.objects.values_list("slug", flat=True))
        self.db_people = set(Person.objects.values_list("slug", flat=True))
        # A slug merged away still names its survivor (issue 20).
        self.db_people |= set(PersonMerge.objects.values_list("merged_slug", flat=True))
        # Stored treaties by slug, with the slug of the treaty each amends (the cycle rule walks them).
        self.db_treaties: dict[str, str | None] = dict(Treaty.objects.values_list("slug", "parent__slug"))
        self.db_organizations = set(Organization.objects.values_list("slug", flat=True))
        self.organizations: dict[str, Planned] = {}
        self.countries: dict[str, Planned] = {}
        self.regions: dict[str, Planned] = {}  # by slug and by ISO code
        self.source_items: dict[str, Planned] = {}
        self.sources: dict[str, str] = {}  # slug -> text, for checking quotes
        self.people: dict[str, Planned] = {}
        self.treaties: dict[str, Planned] = {}
        self.identifiers: dict[str, Planned] = {}
        self._verdicts: dict[tuple[Any, ...], dict[str, list[str]]] = {}  # see _fields

    # -- helpers ---------------------------------------------------------------------------------

    def _add(self, item: Planned, loc: Loc, message: str) -> None:
        assert item.doc is not None  # gazetteer records are trusted, never reported
        self.problems.append(item.doc.problem(item.section, item.index, loc, message))

    def _unique(self, seen: dict[str, Any], key: str, item: Planned, kind: str, loc: Loc = ("slug",)) -> bool:
        if key in seen:
            other = seen[key]
            where = other.where() if isinstance(other, Planned) else other
            self._add(item, loc, Msg.DUPLICATE.format(kind=kind, value=key, other=where))
            return False
        seen[key] = item
        return True

    def _fields(self, item: Planned, loc: Loc, model: type[models.Model], values: dict[str, Any]) -> None:
        """Apply the model's own field rules (slug, lengths, EDTF, aliases) to the values."""
        key = None
        if model in REPEATED:
            # The rules read the values only: equal values, the same verdict, checked once.
            try:
                key = (model, *values.items())
                refused = self._verdicts[key]
            except TypeError:  # a list value: checked each time
                key = None
            except KeyError:
                pass
            else:
                self._refused(item, loc, values, refused)
                return
        refused = self._verdict(model, values)
        if key is not None:
            self._verdicts[key] = refused
        self._refused(item, loc, values, refused)

    @staticmethod
    def _verdict(model: type[models.Model], values: dict[str, Any]) -> dict[str, list[str]]:
        instance = model(**values)
        skip = [f.name for f in model._meta.fields if f.is_relation or f.name not in values]
        refused: dict[str, list[str]] = {}
        try:
            # Lengths, NUL and lone surrogates first, as on every surface (core.limits): an
            # oversized value costs a length check, not an EDTF parse.
            check_text_fields(instance)
        except ValidationError as error:
            refused = error.message_dict
        try:
            instance.clean_fields(exclude=[*skip, *refused])
        except ValidationError as error:
            refused = {**refused, **error.message_dict}
        return refused

    def _refused(
        self, item: Planned, loc: Loc, values: dict[str, Any], refused: dict[str, list[str]]
    ) -> None:
        if refused:
            for name, messages in refused.items():
                value = shorten(values.get(name))
                for message in messages:
                    text = (
                        message
                        if repr(value) in message
                        else Msg.INVALID_VALUE.format(problem=message, value=value)
                    )
                    self._add(item, (*loc, name), text)

    def _required(self, item: Planned, names: tuple[str, ...], code: str | None) -> bool:
        """Report the fields a record without a gazetteer entry leaves out; True when none."""
        missing = [name for name in names if getattr(item.record, name) is None]
        for name in missing:
            message = Msg.MISSING_FIELD if code is None else Msg.NOT_IN_GAZETTEER.format(value=code)
            self._add(item, (name,), message)
        return not missing

    def _distinct(self, item: Planned, loc: Loc, kind: str, keys: list[str]) -> None:
        """Refuse a list naming the same thing twice (the database would refuse the second row)."""
        seen: dict[str, str] = {}
        for i, key in enumerate(keys):
            if key in seen:
                self._add(item, (*loc, i), Msg.DUPLICATE.format(kind=kind, value=key, other=seen[key]))
            else:
                seen[key] = item.where((*loc, i))

    def _ref(self, item: Planned, loc: Loc, kind: str, value: str | None, *known: Any) -> None:
        if value is not None and not any(value in k for k in known):
            self._add(item, loc, Msg.UNKNOWN_REFERENCE.format(kind=kind, value=value))

    def _citations(self, item: Planned, loc: Loc, citations: list[CitationRecord]) -> None:
        self._distinct(item, loc, "citation", [identity(EVENT_CITATIONS, c) for c in citations])
        for i, citation in enumerate(citations):
            here = (*loc, i)
            # The citation's own field rules (text limits, the locator's length): the writer
            # inserts new citations as validated here, without checking them again.
            self._fields(item, here, Citation, {"quote": citation.quote, "locator": citation.locator})
            if citation.source in self.sources:
                text = self.sources[citation.source]
            elif citation.source in self.db_sources:
                # Texts can be long: read only those of sources cited, once each.
                text = Source.objects.values_list("text", flat=True).get(slug=citation.source)
                self.sources[citation.source] = text
            else:
                self._add(
                    item,
                    (*here, "source"),
                    Msg.UNKNOWN_REFERENCE.format(kind="source", value=citation.source),
                )
                continue
            problem = QuoteRule.problem(source=citation.source, text=text, quote=citation.quote)
            if problem:
                self._add(item, (*here, "quote"), problem)


def identity(relation: ChildRelation, record: Any) -> str:
    """A seed row's identity among its siblings, as ``relation`` declares it, for messages and matching.

    Seed rows name their fields as the models do (``tests/core/test_declarations.py``), so
    the identity fields are read straight off the record: one definition of "the same row"
    for the importer and the services.
    """
    values = (getattr(record, name) for name in relation.identity)
    return " / ".join(str(getattr(v, "value", v)) if v not in (None, "") else "-" for v in values)
