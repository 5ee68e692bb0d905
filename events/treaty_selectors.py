"""Reads of treaties and of the parties' own steps, as QuerySets the API, pages and admin compose.

Two lists answer the questions users ask of treaties:

- ``treaty_list``: treaties by parties (every one listed), type, domain, signature
  window, in force on a day, amending a treaty, words of the title;
- ``party_steps``: one country's participations (TreatyParty rows, each with that
  country's own signature, ratification, entry into force and end), filtered by
  those steps: "which treaties did Poland ratify in 1997?".

Party conditions are ``EXISTS`` subqueries on ``treatyparty_country_idx`` (country,
treaty), one per listed party, never joins: no DISTINCT, so counts and keyset paging
stay exact (see ``events.selectors``). The party steps are not events of their own
(docs/datasets.md): 98,000 rows would bury the timelines, and the country list with
the step filters answers the same questions from one index.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from core import limits
from core.errors import InvalidFilter
from core.fuzzydates import period_end
from events.filtering import _checked_search, _overlapping
from events.models import Treaty, TreatyParty, TreatyProvision
from places.models import Country


def treaty_order(through: str = "", *, key: str = "pk") -> tuple[Any, ...]:
    """The treaty list's order: by signature, then name, then ``key``.

    An empty "signed" is unknown, not open: unsigned treaties come last. ``through`` reaches
    the treaty from the rows ordered (``"treaty__"`` from its parties).
    """
    return (
        F(f"{through}signed_earliest").asc(nulls_last=True),
        F(f"{through}signed_latest").asc(nulls_last=True),
        f"{through}name",
        key,
    )


TREATY_ORDER = treaty_order()
# A country's treaties in the order of the treaties' signature, like the treaty list.
PARTY_ORDER = treaty_order("treaty__")


def parties_for_filter(codes: Iterable[str]) -> list[Country]:
    """The parties a filter names, by ISO alpha-2 or alpha-3 code in any case.

    An unknown code raises InvalidFilter naming it.
    """
    codes = list(codes)
    if len(codes) > limits.FILTER_VALUES:
        raise InvalidFilter(f"{len(codes)} parties given; the limit is {limits.FILTER_VALUES}.")
    wanted = {code: code.strip().upper() for code in codes}
    found = Country.objects.filter(Q(code__in=wanted.values()) | Q(alpha3__in=wanted.values()))
    by_code = {c.code: c for c in found} | {c.alpha3: c for c in found}
    missing = [given for given, code in wanted.items() if code not in by_code]
    if missing:
        raise InvalidFilter(
            f"Unknown country code {missing[0]!r}: use ISO 3166-1, alpha-2 (PL) or alpha-3 (POL)."
        )
    return list({by_code[code].pk: by_code[code] for code in wanted.values()}.values())


def _with_parties(treaties: QuerySet[Treaty], parties: list[Country], *, column: str = "pk") -> QuerySet:
    for party in parties:
        treaties = treaties.filter(Exists(TreatyParty.objects.filter(treaty=OuterRef(column), country=party)))
    return treaties


def _in_force_on(qs: QuerySet, prefix: str, day: date) -> QuerySet:
    """Rows (``prefix`` = "" or "treaty__") certainly in force by ``day`` and not ended by it.

    Certainly in force: its entry into force is known and falls on or before the day
    (a month-precision "1953-12" counts from the month's last day). Not ended: no end
    date (still in force, or the data says none) or one after the day.
    """
    day = period_end(day)
    return qs.filter(**{f"{prefix}in_force_latest__lte": day}).filter(
        Q(**{f"{prefix}ended_earliest__isnull": True}) | Q(**{f"{prefix}ended_earliest__gt": day})
    )


def _title_words(qs: QuerySet, prefix: str, search: str) -> QuerySet:
    """Rows whose treaty name, short or alternative name holds every word (case-insensitive)."""
    for word in _checked_search(search).split():
        qs = qs.filter(
            Q(**{f"{prefix}name__icontains": word})
            | Q(**{f"{prefix}short_name__icontains": word})
            | Q(**{f"{prefix}alternative_name__icontains": word})
        )
    return qs


def treaty_list(
    *,
    parties: Iterable[str] | None = None,
    provision: str | None = None,
    signed_from: date | None = None,
    signed_to: date | None = None,
    types: Iterable[str] | None = None,
    domain: str | None = None,
    in_force_on: date | None = None,
    amends: str | None = None,
    search: str | None = None,
) -> QuerySet[Treaty]:
    """Return treaties, oldest signature first, matching every filter given.

    ``parties``: every listed country is a party. ``amends``: the slug of a treaty;
    its direct amendments, protocols and extensions.
    """
    treaties = Treaty.objects.order_by(*TREATY_ORDER)
    if parties:
        treaties = _with_parties(treaties, parties_for_filter(parties))
    if provision is not None:
        treaties = treaties.filter(
            Exists(TreatyProvision.objects.filter(treaty=OuterRef("pk"), kind=provision))
        )
    if types is not None:
        treaties = treaties.filter(treaty_type__in=list(types))
    if domain is not None:
        treaties = treaties.filter(domain__iexact=domain.strip())
    if in_force_on is not None:
        treaties = _in_force_on(treaties, "", in_force_on)
    if amends is not None:
        parent = Treaty.objects.filter(slug=amends.strip()).values_list("pk", flat=True).first()
        if parent is None:
            raise InvalidFilter(f"Unknown treaty slug {amends!r} in 'amends'.")
        treaties = treaties.filter(parent_id=parent)
    if search and search.strip():
        treaties = _title_words(treaties, "", search)
    return _overlapping(treaties, "signed", signed_from, signed_to)


def party_steps(
    *,
    country: Country,
    signed_from: date | None = None,
    signed_to: date | None = None,
    ratified_from: date | None = None,
    ratified_to: date | None = None,
    in_force_on: date | None = None,
    parties: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    domain: str | None = None,
    search: str | None = None,
) -> QuerySet[TreatyParty]:
    """The country's treaties as its own party rows, in the treaties' signature order.

    Windows are over the country's own steps (its signature, its ratification);
    ``in_force_on`` is the treaty in force for this country on that day; ``parties``
    are other countries that must be parties too; the rest narrow the treaties.
    """
    steps = TreatyParty.objects.filter(country=country).select_related("treaty").order_by(*PARTY_ORDER)
    steps = _overlapping(steps, "signed", signed_from, signed_to)
    steps = _overlapping(steps, "ratified", ratified_from, ratified_to)
    if in_force_on is not None:
        steps = _in_force_on(steps, "", in_force_on)
    if parties:
        steps = _with_parties(steps, parties_for_filter(parties), column="treaty_id")
    if types is not None:
        steps = steps.filter(treaty__treaty_type__in=list(types))
    if domain is not None:
        steps = steps.filter(treaty__domain__iexact=domain.strip())
    if search and search.strip():
        steps = _title_words(steps, "treaty__", search)
    return steps


def treaty_by_slug(*, slug: str) -> QuerySet[Treaty]:
    """Return the treaty with ``slug`` (none or one)."""
    return Treaty.objects.filter(slug=slug)


class PartyStepFilters(Protocol):
    """A country's treaty filters as a client gives them (the GraphQL ``PartyStepFilter`` input is one)."""

    signed_from: date | None
    signed_to: date | None
    ratified_from: date | None
    ratified_to: date | None
    in_force_on: date | None
    parties: Iterable[str] | None
    types: Iterable[str] | None
    domain: str | None
    search: str | None


def party_steps_for(country: Country, filters: PartyStepFilters | None) -> QuerySet[TreatyParty]:
    """Return the country's party rows ``filters`` ask for (each filter is ``party_steps``' argument)."""
    if filters is None:
        return party_steps(country=country)
    return party_steps(
        country=country, **{name: getattr(filters, name) for name in PartyStepFilters.__annotations__}
    )
