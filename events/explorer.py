"""The timeline explorer's query: filters read from the URL, resolved once, paged by keyset.

The public pages and the exports share it, so an export is always of exactly what the
page shows (and the pages after it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict

from core.asof import row_as_of
from core.citing import parse_as_of
from core.errors import InvalidFilter
from core.fuzzydates import parse_day
from events import selectors
from events.asof import reading_page_as_of
from events.asof_timeline import event_rows_as_of
from events.models import Event, EventKind, EventStatus
from people.models import Person
from people.selectors import AmbiguousPerson, person_for_text
from places.models import Country, Region
from places.selectors import country_for_filter, region_for_text

# Filters a shared URL may carry, in the order they appear in it.
FILTER_NAMES = ("person", "country", "region", "kind", "status", "from", "to", "q")


def _window_day(value: str) -> date:
    """A window end typed as a day, a month or a year; core.fuzzydates says which days it means."""
    try:
        return parse_day(value)
    except ValueError as error:
        raise ValidationError(f"{value!r} is not a date. {error}") from None


class TimelineForm(forms.Form):
    """The explorer's filters, as a reader types them and as they appear in a shared URL."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words in titles, summaries, quotes"}),
    )
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Andrzej Duda"}),
    )
    country = forms.CharField(label="Country", required=False, max_length=200)
    region = forms.CharField(
        label="Region",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Donetsk oblast or UA-14"}),
    )
    kind = forms.MultipleChoiceField(label="Kind", required=False, choices=EventKind.choices)
    status = forms.MultipleChoiceField(label="Status", required=False, choices=EventStatus.choices)
    date_from = forms.CharField(label="From", required=False, max_length=32)
    date_to = forms.CharField(label="To", required=False, max_length=32)

    def __init__(self, data: QueryDict) -> None:
        # "from"/"to" in the URL are Python keywords; the fields carry them under other names.
        data = data.copy()
        # The API and the docs call the search "search"; the form's own field is "q" (shorter
        # shared links). Both are read; "q" wins when a URL carries both.
        if data.get("search", "").strip() and not data.get("q", "").strip():
            data["q"] = data["search"]
        for url_name, field_name in (("from", "date_from"), ("to", "date_to")):
            if url_name in data:
                data[field_name] = data[url_name]
        super().__init__(data)

    def clean_date_from(self) -> date | None:
        value = self.cleaned_data["date_from"].strip()
        return _window_day(value) if value else None

    def clean_date_to(self) -> date | None:
        value = self.cleaned_data["date_to"].strip()
        return _window_day(value) if value else None


@dataclass
class Timeline:
    """A resolved explorer query: the records its filters name and the events they select."""

    form: TimelineForm
    person: Person | None = None
    country: Country | None = None
    region: Region | None = None
    errors: list[str] = field(default_factory=list)
    # People the typed person name may mean, when it matches several (or only nearly one).
    person_candidates: list[Person] = field(default_factory=list)
    # ``?as_of=``: the events that matched then, as they stood (events.asof); None for now.
    as_of: datetime | None = None

    def _pairs(self, *, moment: bool = True, **values: str) -> list[tuple[str, str]]:
        pairs = [
            (name, values.get(name, value))
            for name in FILTER_NAMES
            for value in self.form.data.getlist(name)
            if value.strip()
        ]
        # The moment travels with the filters: an export or a next page of a page as it stood
        # is of the same moment.
        if moment and self.as_of is not None:
            pairs.append(("as_of", self.form.data.get("as_of", "").strip()))
        return pairs

    @property
    def querystring(self) -> str:
        """The filters as a URL query, for shared links and exports (without the page cursor)."""
        return urlencode(self._pairs())

    @property
    def feed_querystring(self) -> str:
        """The filters without the moment: a feed follows the record as it changes (events.feeds)."""
        return urlencode(self._pairs(moment=False))

    @property
    def is_filtered(self) -> bool:
        return bool(self.querystring)

    def querystring_with(self, **values: str) -> str:
        """The filters as a URL query with some replaced, e.g. the person by a candidate's slug."""
        return urlencode(self._pairs(**values))

    def candidate_links(self) -> list[tuple[Person, str]]:
        """Each candidate person with the query that shows their timeline under the other filters."""
        return [(p, self.querystring_with(person=p.slug)) for p in self.person_candidates]

    def events(self) -> QuerySet[Event]:
        """Every event the filters select, in timeline order; none when a filter is wrong or the
        person is still to be picked."""
        if self.errors or self.person_candidates:
            return Event.objects.none()
        data = self.form.cleaned_data
        try:
            return self._select(data)
        except InvalidFilter as error:
            self.errors.append(str(error))
            return Event.objects.none()

    def _select(self, data: dict[str, Any]) -> QuerySet[Event]:
        filters = {
            "person": self.person,
            "country": self.country,
            "region": self.region,
            "kinds": data["kind"] or None,
            "statuses": data["status"] or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "search": data["q"] or None,
        }
        if self.as_of is not None:
            return event_rows_as_of(moment=self.as_of, **filters)
        return selectors.event_timeline(**filters)

    def page(self, *, size: int, after: str | None) -> tuple[list[Event], Event | None]:
        """One page of events with their details, and the last one when more follow."""
        events = self.events()
        if self.errors or self.person_candidates:
            return [], None
        cursor = None
        if after:
            if self.as_of is not None:
                cursor = row_as_of(Event, self.as_of, slug=after)
            else:
                cursor = (
                    Event.objects.filter(slug=after).only("date_earliest", "date_latest", "title").first()
                )
            if cursor is None:
                self.errors.append(f"Unknown event {after!r} to page after: start again from the first page.")
                return [], None
        if self.as_of is not None:
            rows = reading_page_as_of(events, moment=self.as_of, size=size, after=cursor)
        else:
            rows = selectors.reading_page(events, size=size, after=cursor)
        return rows[:size], (rows[size - 1] if len(rows) > size else None)


def timeline_from(params: QueryDict) -> Timeline:
    """Read the explorer's filters from ``params``; wrong ones become messages, never a 500."""
    form = TimelineForm(params)
    timeline = Timeline(form)
    try:
        timeline.as_of = parse_as_of(params.get("as_of"))
    except InvalidFilter as error:
        timeline.errors.append(str(error))
    if not form.is_valid():
        timeline.errors += [
            f"{form.fields[name].label}: {' '.join(msgs)}" for name, msgs in form.errors.items()
        ]
        return timeline
    data = form.cleaned_data
    try:
        if data["person"].strip():
            try:
                timeline.person = person_for_text(data["person"])
            except AmbiguousPerson as ambiguous:
                # Not an error: the name matches, the reader picks which person (issue 20).
                timeline.person_candidates = ambiguous.candidates
        if data["country"].strip():
            timeline.country = country_for_filter(data["country"])
        if data["region"].strip():
            timeline.region = region_for_text(data["region"])
    except InvalidFilter as error:
        timeline.errors.append(str(error))
    return timeline
