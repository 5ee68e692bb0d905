"""GGO as a registered dataset: agreements and parties read, placed and handed to the importer as records.

``parse()`` reads both files (``seeds.datasets.ggo.read``), says where each party
lands (``Places``: a country or former state by code, an organisation by slug,
or nowhere, reported) and builds the same records a seed file would give
(``records``): one Source crediting the authors, one Treaty per agreement with
its parties' own steps, and its signature, entry into force and end as TREATY
events. Every value the data gets wrong is a DataProblem in the run's summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pycountry
import yaml

from people.models import Organization
from places.models import Country
from seeds.datasets import base
from seeds.datasets.ggo import FOLDER, NAME, read
from seeds.datasets.ggo.agreements import Agreement
from seeds.datasets.ggo.parties import Party
from seeds.datasets.ggo.records import SOURCE, Resolved, life_events, locator, treaty_record
from seeds.datasets.ggo.rows import DataProblem as GGOProblem
from seeds.datasets.ggo.states import PartyRef
from seeds.paths import CURATED

SEEDS = CURATED
AGREEMENTS_FILE = "ggo_agreements.csv"
SOURCE_RECORD = {
    "slug": SOURCE,
    "title": "GGO: Global governance observations on international agreements (manytreaties 1.0.0)",
    "publisher": "Geneva Graduate Institute (James Hollway, Jael Tan, Henrique Sposito)",
    "url": "https://github.com/globalgov/manytreaties",
    "commit": "4bf79f94c78a9f9016bd55b99135b45208500631",
    "licence": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": (
        'Hollway, James, and Jael Tan. "Global governance observations on international agreements" '
        "(2025). Data from the manytreaties package: Hollway J, Sposito H (2025). manytreaties: Many "
        "international agreements and their parties. https://github.com/globalgov/manytreaties . "
        "Licensed CC BY 4.0."
    ),
    "note": (
        "Chancery's copy: the GGO agreements and parties, converted from R data to CSV unchanged; "
        "messydates mapped to EDTF, repeated rows reconciled, unusable values reported (docs/datasets.md)."
    ),
}


@dataclass
class Places:
    """The countries and organisations a party can land on: in the database or in the curated seed files."""

    countries: set[str] = field(default_factory=set)
    alpha3: dict[str, str] = field(default_factory=dict)
    organizations: set[str] = field(default_factory=set)

    @classmethod
    def known(cls) -> Places:
        places = cls()
        for country in pycountry.countries:
            places.countries.add(country.alpha_2)
            places.alpha3[country.alpha_3] = country.alpha_2
        for code, alpha3 in Country.objects.values_list("code", "alpha3"):
            places.countries.add(code)
            if alpha3:
                places.alpha3[alpha3] = code
        places.organizations |= set(Organization.objects.values_list("slug", flat=True))
        for path in sorted(SEEDS.glob("*.yaml")):
            # Only the sections read here; the importer validates these files itself.
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for record in data.get("countries") or []:
                places.countries.add(str(record.get("code")))
                if record.get("alpha3"):
                    places.alpha3[str(record["alpha3"])] = str(record["code"])
            for record in data.get("organizations") or []:
                places.organizations.add(str(record.get("slug")))
        return places

    def resolve(self, ref: PartyRef) -> Resolved | None:
        if ref.kind == "organisation":
            return Resolved(organization=ref.key) if ref.key in self.organizations else None
        code = self.alpha3.get(ref.key) or (ref.key if ref.key in self.countries else None)
        return Resolved(country=code) if code else None


class GGOAdapter:
    name = NAME
    folder = FOLDER

    def parse(self) -> base.Parsed:
        try:
            data = read(self.folder)
        except (FileNotFoundError, ValueError) as error:
            raise base.DatasetError(NAME, AGREEMENTS_FILE, None, str(error)) from None
        places = Places.known()
        problems: list[GGOProblem] = list(data.problems)
        parties: dict[str, list[Party]] = {}
        for party in data.parties:
            parties.setdefault(party.agreement, []).append(party)
        data.parties.clear()
        documents = [
            base.document(NAME, "SOURCE.md", [base.Item("sources", SOURCE_RECORD, SOURCE)]),
            base.document(NAME, AGREEMENTS_FILE, _items(data.agreements, parties, places, problems)),
        ]
        parsed = base.Parsed(problems=[p.for_import(NAME, recorded_as="reported") for p in problems])
        for doc in documents:
            parsed.add(doc)
        return parsed


def _items(
    agreements: list[Agreement], parties: dict[str, list[Party]], places: Places, problems: list[GGOProblem]
) -> Iterator[base.Item]:
    """Each agreement's treaty, then every life event, built one at a time as the document takes them.

    A treaty's parties and its record's values are let go once the record is validated: the
    whole file's dictionaries never live at once beside its validated records (issue 25, item 3).
    Treaties still come before events, as in the file's document until now.
    """
    events: list[dict[str, object]] = []
    lines: list[int] = []
    for agreement in agreements:
        record = treaty_record(agreement, parties.pop(agreement.key, []), places.resolve, problems)
        yield base.Item("treaties", record, agreement.key, agreement.line)
        for event in life_events(agreement):
            events.append(event)
            lines.append(agreement.line)
    events.reverse()
    lines.reverse()
    while events:
        event = events.pop()
        yield base.Item("events", event, str(event["slug"]), lines.pop())


__all__ = ["SOURCE_RECORD", "GGOAdapter", "Places", "locator"]
