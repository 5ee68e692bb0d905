"""Check the whole set of seed files at once and turn it into a plan to write.

Every problem is collected, none stops the check: references between records
and to the database, country and region codes, duplicate keys, EDTF dates and
the other field rules of the Django models, and each quote against its source's
text. Only a set with no problem becomes a :class:`Plan`.
"""

from __future__ import annotations

from typing import Any

from core.gcpause import gc_paused
from core.trees import parent_cycle
from events.models import (
    Event,
    Participation,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
)
from events.relations import PARTICIPANTS, PARTIES, PROVISIONS
from people.models import Identifier, Organization, Person, Role
from people.relations import IDENTIFIERS, ROLES
from seeds.importer.loader import SeedDocument
from seeds.importer.plan import Plan, Planned, record_values
from seeds.importer.problems import Msg, Problem
from seeds.importer.sections import SECTIONS
from seeds.importer.validate_base import identity
from seeds.importer.validate_places import PlaceChecks


class Validator(PlaceChecks):
    """Collects problems over the whole set of documents and builds the plan."""

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

    # -- sections --------------------------------------------------------------------------------

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
