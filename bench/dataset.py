"""Synthetic Chancery data at scale, as plain row tuples for every table (no ORM).

The generator is deterministic for a given seed and size. It yields :class:`Batch` objects in
foreign-key order (countries, regions, people, sources, treaties, then events with their child
rows in chunks), so any :class:`bench.load.Writer` can stream them into a database. Ids are
assigned here, which lets region paths and foreign keys be computed without round trips.

Shapes follow the real data: a region tree (countries -> subdivisions -> some districts ->
cities and villages) whose ``path`` is computed exactly as ``places.models.Region.save`` does;
fuzzy EDTF dates whose bounds match ``core.fuzzydates.FuzzyDate.parse`` (checked on a sample);
skewed popularity, so that a few regions and people carry many events, as Donetsk oblast or a
head of state do.

This module holds the sizes, the landmarks and the :class:`Generator`; the table layout lives in
:mod:`bench.tables` and the random values and vocabulary in :mod:`bench.values`. The names callers
import from here (``TABLES``, ``Batch``, ``Row``, ``table_order``) are re-exported.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pycountry

from bench.tables import TABLES, Batch, Row, table_order
from bench.values import (
    EVENT_KINDS,
    GIVEN_NAMES,
    QUOTES,
    ROLES_BY_KIND,
    SOURCE_TEXT,
    STATUSES,
    fuzzy_date,
    random_name,
    random_year,
    skewed,
)
from core.folding import search_key
from core.fuzzydates import FuzzyDate
from places.paths import region_path

__all__ = [
    "EVENT_CHUNK",
    "HOT_REGION_ISO",
    "HOT_REGION_NAME",
    "TABLES",
    "Batch",
    "Generator",
    "Landmarks",
    "Row",
    "Sizes",
    "table_order",
]

EVENT_CHUNK = 20_000
HOT_REGION_NAME = "Donetsk Oblast"
HOT_REGION_ISO = "UA-14"


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to generate; reference data is full size from 50,000 events up."""

    events: int
    countries: int
    subdivisions: int
    settlements: int
    people: int
    sources: int
    treaties: int

    @classmethod
    def for_events(cls, events: int) -> Sizes:
        scale = min(1.0, events / 50_000)

        def scaled(full: int, floor: int) -> int:
            return max(floor, round(full * scale))

        return cls(
            events=events,
            countries=scaled(len(pycountry.countries), 3),
            subdivisions=scaled(5_000, 6),
            settlements=scaled(50_000, 20),
            people=scaled(50_000, 20),
            sources=max(10, events // 20),
            treaties=max(2, events // 1_000),
        )


@dataclass
class Landmarks:
    """Ids the benchmarks query by: hot and typical regions and people."""

    hot_region: int = 0
    hot_region_subtree: list[int] = field(default_factory=list)
    typical_region: int = 0
    settlement_ids: list[int] = field(default_factory=list)
    verified_dates: int = 0


# A fuzzy date's three columns (text, earliest, latest) when it is not known.
NO_DATE = ("", None, None)

# The treaty columns after version (alternative name, type, domain, subject, ambit, parent,
# ended and its bounds, no end) and a party's after ratified (in force, ended, no end).
TREATY_REST = ("", "AGREEMENT", "", "", "", None, "", None, None, False)
PARTY_REST = ("", None, None, "", None, None, False, "", "")  # ... open_ended, source_code, note


class Generator:
    """Produce a consistent dataset of the given size, batch by batch."""

    def __init__(self, sizes: Sizes, *, seed: int = 2024, verify_every: int = 5_000) -> None:
        self.sizes = sizes
        self.rnd = random.Random(seed)
        self.verify_every = verify_every
        self.landmarks = Landmarks()
        self.country_codes: list[str] = []
        self.region_country: dict[int, int] = {}
        self.subdivisions: list[int] = []
        self.districts: list[int] = []
        self.settlements: list[int] = []
        self.person_nationality: list[int] = []

    def batches(self) -> Iterator[Batch]:
        yield self._countries()
        yield self._regions()
        yield self._people()
        yield self._sources()
        yield from self._treaties()
        yield from self._events()

    # Reference data -------------------------------------------------------------------------------

    def _countries(self) -> Batch:
        everything = sorted(pycountry.countries, key=lambda c: (c.alpha_2 != "UA", c.alpha_2))
        rows = []
        for pk, country in enumerate(everything[: self.sizes.countries], start=1):
            self.country_codes.append(country.alpha_2)
            rows.append(
                (pk, country.alpha_2, country.alpha_3, country.name[:200], "[]", False, *NO_DATE, *NO_DATE)
            )
        return Batch("places_country", rows)

    def _regions(self) -> Batch:
        rnd, rows = self.rnd, []
        ncountries = len(self.country_codes)
        next_id = 1
        per_country: dict[int, int] = {}
        centres = {c: (rnd.uniform(-50, 60), rnd.uniform(-120, 140)) for c in range(1, ncountries + 1)}

        def add(name: str, kind: str, country: int, parent: int | None, path: str, iso: str | None) -> int:
            nonlocal next_id
            pk, next_id = next_id, next_id + 1
            lat, lon = centres[country]
            slug = f"{name.lower().replace(' ', '-')}-{pk}"
            rows.append(
                (
                    pk,
                    slug,
                    name,
                    kind,
                    iso,
                    country,
                    parent,
                    path,
                    "[]",
                    round(lat + rnd.uniform(-3, 3), 5),
                    round(lon + rnd.uniform(-3, 3), 5),
                    search_key([name]),
                )
            )
            self.region_country[pk] = country
            return pk

        # Level 1: subdivisions (oblasts, provinces), top-level, path "/".
        for i in range(self.sizes.subdivisions):
            country = 1 + i % ncountries
            per_country[country] = per_country.get(country, 0) + 1
            iso = f"{self.country_codes[country - 1]}-{per_country[country]}"
            if i == 0:
                name, iso = HOT_REGION_NAME, HOT_REGION_ISO
            else:
                iso = f"{iso}0" if iso == HOT_REGION_ISO else iso  # UA-14 is taken by the hot oblast
                name = f"{random_name(rnd)} {rnd.choice(('Oblast', 'Province', 'Region', 'State'))}"
            kind = "oblast" if country == 1 else rnd.choice(("province", "region", "state"))
            self.subdivisions.append(add(name, kind, country, None, region_path(()), iso))
        self.landmarks.hot_region = self.subdivisions[0]

        # Level 2: about half of the subdivisions have 2-6 districts (raions).
        parents_of_settlements: list[tuple[int, str]] = []
        for sub in self.subdivisions:
            if sub == self.subdivisions[0] or rnd.random() < 0.5:
                for _ in range(rnd.randint(2, 6)):
                    district = add(
                        f"{random_name(rnd)} Raion",
                        "raion",
                        self.region_country[sub],
                        sub,
                        region_path([sub]),
                        None,
                    )
                    self.districts.append(district)
                    parents_of_settlements.append((district, region_path([sub, district])))
            else:
                parents_of_settlements.append((sub, region_path([sub])))

        # Level 3: cities, towns and villages under a district or a subdivision.
        # path = parent's path + f"{parent.pk}/", exactly as Region.save computes it.
        for i in range(self.sizes.settlements):
            # The hot oblast gets a generous share of settlements, the rest is round-robin.
            parent, parent_prefix = (
                parents_of_settlements[i % len(parents_of_settlements)]
                if i % 50
                else parents_of_settlements[i // 50 % 4]
            )
            kind = rnd.choices(("city", "town", "village"), weights=(10, 30, 60))[0]
            pk = add(random_name(rnd, 3), kind, self.region_country[parent], parent, parent_prefix, None)
            self.settlements.append(pk)
        hot_prefix = region_path([self.landmarks.hot_region])
        self.landmarks.hot_region_subtree = [self.landmarks.hot_region] + [
            row[0] for row in rows if row[7].startswith(hot_prefix)
        ]
        self.landmarks.typical_region = self.subdivisions[len(self.subdivisions) // 2]
        self.landmarks.settlement_ids = self.settlements
        return Batch("places_region", rows)

    def _people(self) -> Batch:
        rnd, rows = self.rnd, []
        ncountries = len(self.country_codes)
        for pk in range(1, self.sizes.people + 1):
            nationality = 1 + skewed(rnd, ncountries, 1.5)
            self.person_nationality.append(nationality)
            name = f"{rnd.choice(GIVEN_NAMES)} {random_name(rnd, 3)}"
            wikidata = f"Q{1000 + pk}" if pk % 3 == 0 else None
            slug = f"{name.lower().replace(' ', '-')}-{pk}"
            key = search_key([name], short_forms=True)
            rows.append((pk, slug, name, "[]", wikidata, nationality, *NO_DATE, *NO_DATE, "", 1, key))
        return Batch("people_person", rows)

    def _sources(self) -> Batch:
        rnd, rows = self.rnd, []
        for pk in range(1, self.sizes.sources + 1):
            edtf, earliest, latest = fuzzy_date(rnd, random_year(rnd))
            rows.append(
                (
                    pk,
                    f"source-{pk}",
                    f"Report {pk}",
                    rnd.choice(("Reuters", "AP", "Ukrinform", "KCNA", "TASS", "PAP")),
                    f"https://example.org/reports/{pk}",
                    "",
                    "",
                    "",
                    "",
                    edtf,
                    earliest,
                    latest,
                    SOURCE_TEXT.format(n=pk),
                    "",
                )
            )
        return Batch("events_source", rows)

    def _treaties(self) -> Iterator[Batch]:
        rnd = self.rnd
        treaties, parties, provisions = [], [], []
        ncountries = len(self.country_codes)
        for pk in range(1, self.sizes.treaties + 1):
            signed = fuzzy_date(rnd, random_year(rnd))  # its three columns
            name = (
                f"Treaty of {random_name(rnd)} on {rnd.choice(('Friendship', 'Defence', 'Trade', 'Borders'))}"
            )
            treaties.append(
                (
                    pk,
                    f"treaty-{pk}",
                    name,
                    "",
                    *signed,
                    *NO_DATE,  # in force
                    "",
                    1,
                    *TREATY_REST,
                )
            )
            members = rnd.sample(range(1, ncountries + 1), k=min(ncountries, rnd.randint(2, 3)))
            for country in members:
                signatory = 1 + skewed(rnd, self.sizes.people, 3) if rnd.random() < 0.6 else None
                parties.append(
                    (
                        len(parties) + 1,
                        pk,
                        country,
                        None,  # organization
                        signatory,
                        *signed,
                        *NO_DATE,  # ratified
                        *PARTY_REST,
                    )
                )
            drawn: set[tuple[str, str]] = set()
            for _ in range(rnd.randint(1, 2)):
                kind = rnd.choice(("MUTUAL_DEFENSE", "CONSULTATION", "ECONOMIC", "CULTURAL", "OTHER"))
                article = f"Article {rnd.randint(1, 20)}"
                if (kind, article) not in drawn:  # provisions are unique (events.relations)
                    drawn.add((kind, article))
                    provisions.append((len(provisions) + 1, pk, kind, article, "..."))
        yield Batch("events_treaty", treaties)
        yield Batch("events_treatyparty", parties)
        yield Batch("events_treatyprovision", provisions)

    # Events ---------------------------------------------------------------------------------------

    def _region_for_event(self) -> int:
        rnd = self.rnd
        r = rnd.random()
        if r < 0.02:  # the hot oblast: about 2% of events, like Donetsk in a war timeline
            subtree = self.landmarks.hot_region_subtree
            return subtree[rnd.randrange(len(subtree))]
        if r < 0.80:
            return self.settlements[skewed(rnd, len(self.settlements), 2)]
        if r < 0.95:
            return self.subdivisions[skewed(rnd, len(self.subdivisions), 2)]
        if not self.districts:
            return self.subdivisions[0]
        return self.districts[skewed(rnd, len(self.districts), 2)]

    def _events(self) -> Iterator[Batch]:
        rnd, sizes = self.rnd, self.sizes
        kinds = [k for k, _ in EVENT_KINDS]
        weights = [w for _, w in EVENT_KINDS]
        ncountries = len(self.country_codes)
        ids = {"region": 0, "country": 0, "participation": 0, "citation": 0, "visit": 0}
        for start in range(1, sizes.events + 1, EVENT_CHUNK):
            events: list[Row] = []
            event_regions: list[Row] = []
            event_countries: list[Row] = []
            participations: list[Row] = []
            citations: list[Row] = []
            visits: list[Row] = []
            destinations: list[Row] = []
            for pk in range(start, min(start + EVENT_CHUNK, sizes.events + 1)):
                r = rnd.random()
                kind = "VISIT" if r < 0.05 else "TREATY" if r < 0.06 else rnd.choices(kinds, weights)[0]
                edtf, earliest, latest = fuzzy_date(rnd, random_year(rnd))
                if self.verify_every and pk % self.verify_every == 0:
                    self._verify(edtf, earliest, latest)
                regions = [self._region_for_event()]
                if rnd.random() < 0.3:
                    other = self._region_for_event()
                    if other != regions[0]:
                        regions.append(other)
                for region in regions:
                    ids["region"] += 1
                    event_regions.append((ids["region"], pk, region))
                home = self.region_country[regions[0]]
                countries = [home]
                if rnd.random() < 0.1:
                    other = 1 + skewed(rnd, ncountries, 1.5)
                    if other != home:
                        countries.append(other)
                for country in countries:
                    ids["country"] += 1
                    event_countries.append((ids["country"], pk, country))
                roles = ROLES_BY_KIND[kind]
                people: list[int] = []
                # A drawn repeat is dropped: child rows are unique by identity (events.relations).
                taken: set[tuple[Any, ...]] = set()
                for n in range(rnd.choices((1, 2, 3), weights=(50, 35, 15))[0]):
                    role = roles[0] if n == 0 else roles[1]
                    if kind == "VISIT" or rnd.random() < 0.8:
                        person = 1 + skewed(rnd, sizes.people, 3)
                        people.append(person)
                        country = self.person_nationality[person - 1]
                    else:
                        person, country = None, 1 + skewed(rnd, ncountries, 1.5)
                    if (role, person, country) not in taken:
                        taken.add((role, person, country))
                        ids["participation"] += 1
                        participations.append((ids["participation"], pk, role, person, country, ""))
                actor = f"Person {people[0]}" if people else self.country_codes[home - 1]
                title = f"{kind.replace('_', ' ').capitalize()}: {actor} in region {regions[0]}"
                treaty = 1 + rnd.randrange(sizes.treaties) if kind == "TREATY" else None
                summary = "" if rnd.random() < 0.7 else f"{title}, as reported."
                events.append(
                    (
                        pk,
                        f"event-{pk}",
                        kind,
                        title,
                        summary,
                        edtf,
                        earliest,
                        latest,
                        rnd.choice(STATUSES),
                        treaty,
                        "",
                        1,  # version
                    )
                )
                taken = set()
                for _ in range(rnd.choices((0, 1, 2), weights=(20, 60, 20))[0]):
                    source = 1 + skewed(rnd, sizes.sources, 1.5)
                    quote = rnd.choice(QUOTES)
                    if (source, quote) not in taken:
                        taken.add((source, quote))
                        ids["citation"] += 1
                        citations.append((ids["citation"], source, quote, "", pk, None, None))
                if kind == "VISIT":
                    ids["visit"] += 1
                    visits.append(
                        (
                            ids["visit"],
                            f"visit-{pk}",
                            pk,
                            rnd.choice(("STATE", "OFFICIAL", "WORKING", "UNSPECIFIED")),
                            people[0],
                            home,
                            rnd.randint(2, 80) if rnd.random() < 0.3 else None,
                            "",
                            "",
                            1,  # version
                            earliest,  # its event's dates, as events.visit_dates copies them
                            latest,
                        )
                    )
                    destinations.append((ids["visit"], ids["visit"], regions[0]))
            yield Batch("events_event", events)
            yield Batch("events_eventregion", event_regions)
            yield Batch("events_eventcountry", event_countries)
            yield Batch("events_participation", participations)
            yield Batch("events_citation", citations)
            yield Batch("events_visit", visits)
            yield Batch("events_visitdestination", destinations)

    def _verify(self, edtf: str, earliest: date | None, latest: date | None) -> None:
        stored = FuzzyDate.parse(edtf).stored_bounds
        if stored != (earliest, latest):
            raise AssertionError(
                f"Generated bounds for {edtf!r} are {earliest}..{latest}, "
                f"FuzzyDate.parse stores {stored[0]}..{stored[1]}."
            )
        self.landmarks.verified_dates += 1
