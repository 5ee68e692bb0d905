"""Write the plan's people with their roles and identifiers, and the files' decisions on who is who."""

from __future__ import annotations

from typing import Any

from core.services import Record
from people.identity_imports import MergeDecision, person_decisions_record
from people.models import Identifier, Organization, Person, PersonMerge, Role
from people.services import people_write
from seeds.importer.plan import record_values
from seeds.importer.write_base import UNCHANGED, WriterBase, batches


class PeopleSections(WriterBase):
    """People (a slug an editor merged away names its survivor) and merge decisions."""

    def _people(self) -> None:
        self._ids(
            Organization,
            self.organizations,
            {r.post_organization for i in self.plan.people for r in i.record.roles},
        )
        records = []
        for item in self._not_merged_away(self.plan.people):
            self.item, record = item, item.record
            roles = [
                {
                    **record_values(
                        Role,
                        role,
                        country_id=self.country(role.country),
                        post_country_id=self.country(role.post_country),
                        post_organization_id=self.organization(role.post_organization),
                    ),
                    "citations": self._citations(role.citations),
                }
                for role in record.roles
            ]
            identifiers = [record_values(Identifier, i) for i in record.identifiers]
            values = record_values(Person, record, nationality_id=self.country(record.nationality))
            children = {"roles": roles, "identifiers": identifiers}
            records.append(Record(record.slug, values, children, reason=item.reason))
        records = self._with_editors_changes(Person, records, self.plan.people)
        self._skipped_ids(self.people)
        for chunk in batches(records):
            for written in people_write(actor=self.actor, records=chunk, tally=self.stats):
                self.people[written.instance.slug] = written.instance.pk
        self._person_decisions()

    def _person_decisions(self) -> None:
        """Store the files' decisions on who is who; a slug merged away then names its survivor."""
        items = self.plan.person_decisions
        if items:
            self._record_decisions([i.record for i in items])
        # Events and treaties naming a slug merged away get the survivor.
        self.people.update(PersonMerge.objects.values_list("merged_slug", "survivor_id"))

    def _record_decisions(self, records: list[Any]) -> None:
        slugs = {s for r in records for s in (r.person, r.other)}
        self._ids(Person, self.people, slugs)
        people = {
            p.pk: p for p in Person.objects.filter(pk__in=[self.people[s] for s in slugs if s in self.people])
        }
        merged = [
            MergeDecision(people[self.people[r.person]], r.other, r.name, r.reason)
            for r in records
            if r.decision == "merged"
        ]
        distinct = [
            (people[self.people[r.person]], people[self.people[r.other]], r.reason)
            for r in records
            if r.decision == "distinct"
        ]
        counts = person_decisions_record(actor=self.actor, merged=merged, distinct=distinct)
        for outcome, n in counts.items():
            if n:
                self.stats.add(PersonMerge, outcome, "decisions", n)

    def _not_merged_away(self, items: list[Any]) -> list[Any]:
        """The people to write: a record whose slug an editor merged away names the survivor instead.

        Its rows went to the survivor with the merge; writing it would make the merged
        person again (issue 20: a merge outlives every re-import).
        """
        merged = set(PersonMerge.objects.values_list("merged_slug", flat=True))
        merged |= {i.record.other for i in self.plan.person_decisions if i.record.decision == "merged"}
        kept = []
        for item in items:
            if item.record.slug in merged:
                self.stats.add(Person, UNCHANGED, item.record.slug)
                continue
            kept.append(item)
        return kept
