"""Check the whole set of seed files at once and turn it into a plan to write.

Every problem is collected, none stops the check: references between records
and to the database, country and region codes, duplicate keys, EDTF dates and
the other field rules of the Django models, and each quote against its source's
text. Only a set with no problem becomes a :class:`Plan`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from core import limits
from core.gcpause import gc_paused
from core.relations import ChildRelation
from core.trees import parent_cycle, walk_up
from core.validators import check_text_fields
from events.models import (
    Citation,
    Event,
    Participation,
    QuoteRule,
    Source,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
)
from events.relations import EVENT_CITATIONS, PARTICIPANTS, PARTIES, PROVISIONS
from people.models import Identifier, Organization, Person, PersonMerge, Role
from people.relations import IDENTIFIERS, ROLES
from places.models import Country, Region, parent_elsewhere
from seeds.importer import gazetteer
from seeds.importer.loader import Loc, SeedDocument
from seeds.importer.plan import Plan, Planned, record_values
from seeds.importer.problems import Msg, Problem, shorten
from seeds.importer.schema import CitationRecord, CountryRecord, RegionRecord
from seeds.importer.sections import SECTIONS
from seeds.importer.yamlsafe import UnsafeFile, read_bounded

# Child rows whose values repeat across records (of 86,898 treaty parties in the bundled
# datasets 27,701 differ; of 19,322 participants 49): their field rules are checked once per
# distinct set of values. Records themselves rarely repeat, so they are not remembered.
REPEATED = (TreatyParty, TreatyProvision, Participation)


class Validator:
    """Collects problems over the whole set of documents and builds the plan."""

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

    def run(self) -> tuple[Plan, list[Problem]]:
        self._gazetteer()
        for section in SECTIONS:
            check = getattr(self, section.validate)
            for doc in self.docs:
                for index, record in doc.records.get(section.name, []):
                    check(Planned(record, doc, section.name, index, doc.reason))
        self._check_person_decisions()
        self._check_people_and_treaties()
        self._check_events()
        self._order_regions()
        return self.plan, self.problems

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

    def _region_key(self, ref: str) -> str:
        """One key per region, whether named by slug or by ISO code."""
        if ref in self.regions:
            record = self.regions[ref].record
            return record.iso_code or record.slug
        return self.db_region_keys.get(ref, ref)

    def _country_ref(self, item: Planned, loc: Loc, code: str | None) -> None:
        if code is not None and code not in self.countries and code not in self.db_countries:
            self._add(item, loc, Msg.UNKNOWN_COUNTRY.format(value=code))

    def _region_country(self, ref: str) -> str | None:
        if ref in self.regions:
            return self.regions[ref].record.country
        return self.db_regions.get(ref)

    def _region_ref(self, item: Planned, loc: Loc, ref: str | None) -> None:
        if ref is not None and self._region_country(ref) is None:
            self._add(item, loc, Msg.UNKNOWN_REFERENCE.format(kind="region", value=ref))

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

    # -- sections --------------------------------------------------------------------------------

    def _gazetteer(self) -> None:
        doc = next((d for d in self.docs if d.gazetteer), None)
        if doc is None:
            return
        reason = f"{doc.reason} (pycountry {gazetteer.PYCOUNTRY_VERSION})"
        for code, record in gazetteer.countries().items():
            self.countries[code] = Planned(record, None, "countries", 0, reason)
        for code, record in gazetteer.regions().items():
            item = Planned(record, None, "regions", 0, reason)
            self.regions[code] = self.regions[record.slug] = item

    def _from_gazetteer(self, records: dict[str, Any], code: str) -> Planned | None:
        # An override merges with the ISO entry even when this run does not load the whole
        # gazetteer, so a file gives the same rows whether imported alone or with the rest.
        record = records.get(code)
        return Planned(record, None, "", 0, "") if record is not None else None

    def _source(self, item: Planned) -> None:
        record = item.record
        if not self._unique(self.source_items, record.slug, item, "source"):
            return
        text = record.text  # a dataset's article, given inline; a seed file names a text file
        if record.text_file is not None:
            text = self._text_file(item, record.text_file)
        self.sources[record.slug] = text
        self.plan.texts[record.slug] = text
        self._fields(item, (), Source, record_values(Source, record, text=text))
        self.plan.sources.append(item)

    def _text_file(self, item: Planned, name: str) -> str:
        """The text of a source's ``text_file``: a regular file in the YAML file's folder, bounded.

        Seed files may come from anyone, so the path may not leave that folder (absolute,
        '..', a symbolic link pointing out) nor name a device, and the file has a size limit.
        """
        assert item.doc is not None
        folder = item.doc.path.parent.resolve()
        relative = Path(name)
        try:
            inside = (
                not relative.is_absolute()
                and ".." not in relative.parts
                and (folder / relative).resolve().is_relative_to(folder)
            )
        except (OSError, RuntimeError):  # a link loop
            inside = False
        if not inside:
            self._add(item, ("text_file",), Msg.TEXT_FILE_OUTSIDE.format(value=name))
            return ""
        try:
            # Byte for byte: newline="" keeps line endings as received.
            return read_bounded(folder / relative, limits.SEED_TEXT_FILE_BYTES, newline="")
        except (OSError, UnicodeDecodeError, UnsafeFile) as error:
            problem = getattr(error, "strerror", None) or str(error)
            self._add(item, ("text_file",), Msg.TEXT_FILE_MISSING.format(value=name, problem=problem))
            return ""

    def _country(self, item: Planned) -> None:
        record: CountryRecord = item.record
        base = self.countries.get(record.code) or self._from_gazetteer(gazetteer.countries(), record.code)
        if base is not None and base.doc is not None:
            self._unique({record.code: base}, record.code, item, "country", ("code",))
            return
        if base is not None:
            name = record.name or base.record.name
            aliases = [*base.record.aliases, *record.aliases]
            if name != base.record.name:
                aliases.insert(0, base.record.name)
            merged = base.record.model_copy(
                update={
                    "name": name,
                    "alpha3": record.alpha3 or base.record.alpha3,
                    "aliases": _dedupe(aliases, name),
                }
            )
            item = Planned(merged, item.doc, item.section, item.index, item.reason)
        elif not self._required(item, ("name",) if record.historical else ("alpha3", "name"), record.code):
            return
        self._fields(item, (), Country, record_values(Country, item.record))
        self.countries[record.code] = item

    def _region(self, item: Planned) -> None:
        record: RegionRecord = item.record
        base = None
        if record.iso_code:
            base = self.regions.get(record.iso_code) or self._from_gazetteer(
                gazetteer.regions(), record.iso_code
            )
        if base is not None and base.doc is not None:
            self._unique({record.iso_code: base}, record.iso_code, item, "region", ("iso_code",))
            return
        if base is not None:
            update = {name: getattr(record, name) for name in record.model_fields_set}
            aliases = [*base.record.aliases, *record.aliases]
            if record.name and record.name != base.record.name:
                aliases.insert(0, base.record.name)
            update["aliases"] = _dedupe(aliases, update.get("name", base.record.name))
            self.regions.pop(base.record.slug, None)
            item = Planned(
                base.record.model_copy(update=update), item.doc, item.section, item.index, item.reason
            )
        elif not self._required(item, ("slug", "name", "kind", "country"), record.iso_code):
            return
        record = item.record
        if (
            record.iso_code
            and base is None
            and not self._unique(self.regions, record.iso_code, item, "region", ("iso_code",))
        ):
            return
        if not self._unique(self.regions, record.slug, item, "region", ("slug",)):
            return
        owner = self.db_region_keys.get(record.slug)
        if owner not in (None, record.iso_code or record.slug) and owner not in self.regions:
            # The slug belongs to another region in the database, which this run leaves as it is.
            other = f"the database, region {owner}"
            self._add(item, ("slug",), Msg.DUPLICATE.format(kind="region", value=record.slug, other=other))
            return
        if record.iso_code:
            self.regions[record.iso_code] = item
        self._country_ref(item, ("country",), record.country)
        self._fields(item, (), Region, record_values(Region, record))

    def _organization(self, item: Planned) -> None:
        if self._unique(self.organizations, item.record.slug, item, "organization"):
            self._fields(item, (), Organization, record_values(Organization, item.record))
            self.plan.organizations.append(item)

    def _person(self, item: Planned) -> None:
        if self._unique(self.people, item.record.slug, item, "person"):
            self.plan.people.append(item)

    def _treaty(self, item: Planned) -> None:
        if self._unique(self.treaties, item.record.slug, item, "treaty"):
            self.plan.treaties.append(item)

    def _event(self, item: Planned) -> None:
        self.plan.events.append(item)

    def _person_decision(self, item: Planned) -> None:
        # Checked once every person is known (_check_person_decisions).
        self.plan.person_decisions.append(item)

    # -- cross-record checks, once every key is known ----------------------------------------------

    def _check_person_decisions(self) -> None:
        """Editors' merges and distinct pairs (issue 20): a slug merged away names its survivor."""
        for item in self.plan.person_decisions:
            decision = item.record
            if decision.person == decision.other:
                self._add(item, ("other",), f"names {decision.person!r} twice: a decision is on two records")
            if decision.decision == "merged":
                self.db_people.add(decision.other)
        for item in self.plan.person_decisions:
            decision = item.record
            self._ref(item, ("person",), "person", decision.person, self.people, self.db_people)
            if decision.decision == "distinct":
                self._ref(item, ("other",), "person", decision.other, self.people, self.db_people)

    def _check_people_and_treaties(self) -> None:
        for item in self.plan.people:
            person = item.record
            self._country_ref(item, ("nationality",), person.nationality)
            self._fields(item, (), Person, record_values(Person, person))
            self._distinct(item, ("roles",), "role", [identity(ROLES, r) for r in person.roles])
            keys = [identity(IDENTIFIERS, i) for i in person.identifiers]
            self._distinct(item, ("identifiers",), "identifier", keys)
            for i, identifier in enumerate(person.identifiers):
                loc = ("identifiers", i)
                self._unique(self.identifiers, keys[i], item, "identifier", loc)
                self._fields(item, loc, Identifier, record_values(Identifier, identifier))
            for i, role in enumerate(person.roles):
                loc = ("roles", i)
                self._country_ref(item, (*loc, "country"), role.country)
                self._country_ref(item, (*loc, "post_country"), role.post_country)
                self._ref(
                    item,
                    (*loc, "post_organization"),
                    "organization",
                    role.post_organization,
                    self.organizations,
                    self.db_organizations,
                )
                self._fields(item, loc, Role, record_values(Role, role))
                self._citations(item, (*loc, "citations"), role.citations)
        for item in self.plan.treaties:
            treaty = item.record
            self._fields(item, (), Treaty, record_values(Treaty, treaty))
            self._ref(item, ("parent",), "treaty", treaty.parent, self.treaties, self.db_treaties)
            if self._amends_itself(treaty.slug):
                self._add(item, ("parent",), Msg.TREATY_CYCLE.format(value=treaty.slug))
            keys = [identity(PARTIES, p) for p in treaty.parties]
            self._distinct(item, ("parties",), "treaty party", keys)
            for i, party in enumerate(treaty.parties):
                loc = ("parties", i)
                self._country_ref(item, (*loc, "country"), party.country)
                self._ref(
                    item,
                    (*loc, "organization"),
                    "organization",
                    party.organization,
                    self.organizations,
                    self.db_organizations,
                )
                self._ref(item, (*loc, "signatory"), "person", party.signatory, self.people, self.db_people)
                self._fields(item, loc, TreatyParty, record_values(TreatyParty, party))
            keys = [identity(PROVISIONS, p) for p in treaty.provisions]
            self._distinct(item, ("provisions",), "provision", keys)
            for i, provision in enumerate(treaty.provisions):
                self._fields(
                    item, ("provisions", i), TreatyProvision, record_values(TreatyProvision, provision)
                )
            self._citations(item, ("citations",), treaty.citations)

    def _amends_itself(self, slug: str) -> bool:
        """Whether ``slug`` amends itself through its parents, planned ones over stored ones."""
        return parent_cycle(slug, self._parent_of) is not None

    def _parent_of(self, slug: str) -> str | None:
        if (planned := self.treaties.get(slug)) is not None:
            return planned.record.parent
        return self.db_treaties.get(slug)

    def _check_events(self) -> None:
        events: dict[str, Any] = {}
        visits: dict[str, Any] = {}
        for item in self.plan.events:
            event = item.record
            self._unique(events, event.slug, item, "event")
            self._fields(item, (), Event, record_values(Event, event))
            self._ref(item, ("treaty",), "treaty", event.treaty, self.treaties, self.db_treaties)
            self._distinct(item, ("countries",), "country", event.countries)
            for i, code in enumerate(event.countries):
                self._country_ref(item, ("countries", i), code)
            self._distinct(item, ("regions",), "region", [self._region_key(r) for r in event.regions])
            for i, ref in enumerate(event.regions):
                self._region_ref(item, ("regions", i), ref)
            keys = [identity(PARTICIPANTS, p) for p in event.participants]
            self._distinct(item, ("participants",), "participant", keys)
            for i, participant in enumerate(event.participants):
                loc = ("participants", i)
                self._ref(item, (*loc, "person"), "person", participant.person, self.people, self.db_people)
                self._country_ref(item, (*loc, "country"), participant.country)
                self._fields(item, loc, Participation, record_values(Participation, participant))
            self._citations(item, ("citations",), event.citations)
            if (visit := event.visit) is not None:
                self._unique(visits, visit.slug, item, "visit", ("visit", "slug"))
                self._ref(item, ("visit", "visitor"), "person", visit.visitor, self.people, self.db_people)
                self._country_ref(item, ("visit", "host_country"), visit.host_country)
                keys = [self._region_key(r) for r in visit.destinations]
                self._distinct(item, ("visit", "destinations"), "destination", keys)
                for i, ref in enumerate(visit.destinations):
                    self._region_ref(item, ("visit", "destinations", i), ref)
                self._fields(item, ("visit",), Visit, record_values(Visit, visit))

    def _order_regions(self) -> None:
        """Regions parents first, so each parent has an id and a path before its children are written."""
        items = {id(item): item for item in self.regions.values()}.values()
        depth: dict[int, int] = {}
        by_id = {id(item): item for item in items}

        def planned_parent(key: int) -> int | None:
            parent = by_id[key].record.parent
            return id(self.regions[parent]) if parent is not None and parent in self.regions else None

        for item in items:
            # The tree walk every surface uses (core.trees); a region in a cycle, or below one,
            # has no place to be written at.
            chain, looped = walk_up(id(item), planned_parent)
            if looped is not None:
                self._add(item, ("parent",), Msg.REGION_CYCLE.format(value=item.record.slug))
            depth[id(item)] = len(chain)
            parent = item.record.parent
            if parent is None or item.doc is None:
                continue
            parent_country = self._region_country(parent)
            if parent_country is None:
                self._region_ref(item, ("parent",), parent)
            elif parent_elsewhere(country=item.record.country, parent_country=parent_country):
                message = Msg.REGION_OTHER_COUNTRY.format(
                    value=parent, parent_country=parent_country, country=item.record.country
                )
                self._add(item, ("parent",), message)
        self.plan.countries = list(self.countries.values())
        self.plan.regions = sorted(items, key=lambda i: depth[id(i)])


def identity(relation: ChildRelation, record: Any) -> str:
    """A seed row's identity among its siblings, as ``relation`` declares it, for messages and matching.

    Seed rows name their fields as the models do (``tests/core/test_declarations.py``), so
    the identity fields are read straight off the record: one definition of "the same row"
    for the importer and the services.
    """
    values = (getattr(record, name) for name in relation.identity)
    return " / ".join(str(getattr(v, "value", v)) if v not in (None, "") else "-" for v in values)


def _dedupe(names: list[str], name: str) -> list[str]:
    seen = {name.casefold()}
    kept = []
    for alias in names:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return kept


def build_plan(docs: list[SeedDocument]) -> tuple[Plan, list[Problem]]:
    """Validate every document together; return the plan and every problem found."""
    with gc_paused():  # a record's model instances and problems hold no cycles (see gc_paused)
        validator = Validator(docs)
        try:
            return validator.run()
        finally:
            # Its lookups (the field rules' verdicts alone ~30 MB, issue 25, item 3) go now: a
            # heap snapshot after planning still held them until a later full collection.
            vars(validator).clear()
