"""Changelist filters that stay short at any size of the record (issue 23).

A sidebar filter lists at most ``MAX_CHOICES`` links. ``FuzzyDatePeriodFilter`` drills
down millennium → century → decade → year over the real bounds of the data (open ends,
stored as 0001-01-01 and 9999-12-31, are no one's date); ``AutocompleteFilter`` picks one
record by searching, through the admin's own autocomplete view, instead of listing hundreds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.fuzzydates import OPEN_END, OPEN_START

MAX_CHOICES = 30

_DECADE = re.compile(r"^(\d{1,3})0s$")
_YEAR = re.compile(r"^(\d{1,4})$")
_SPAN = re.compile(r"^(\d{1,4})-(\d{1,4})$")
_SPANS = (1000, 100, 10, 1)  # millennium, century, decade, year


def _period_of(value: str) -> tuple[int, int]:
    """(first year, span in years) of a period value: '2020s', '2024' or '1900-1999'."""
    if m := _DECADE.match(value):
        return int(m.group(1)) * 10, 10
    if _YEAR.match(value) and int(value) >= 1:
        return int(value), 1
    if (m := _SPAN.match(value)) and int(m.group(2)) - int(m.group(1)) + 1 in (100, 1000):
        first, span = int(m.group(1)), int(m.group(2)) - int(m.group(1)) + 1
        if first % span == 0:
            return first, span
    raise IncorrectLookupParameters(
        f"{value!r} is not a period: give a year like 2022, a decade like 2020s or a century like 1900-1999."
    )


def _period(first: int, span: int) -> tuple[str, str]:
    """(value, label) of the period of ``span`` years starting at ``first``."""
    if span == 10:
        return f"{first}s", f"{first}s"
    if span == 1:
        return str(first), str(first)
    return f"{first}-{first + span - 1}", f"{first}–{first + span - 1}"


class FuzzyDatePeriodFilter(admin.SimpleListFilter):
    """Filter by the period in which a fuzzy date's earliest day falls, drilling down from the top.

    The top level is the smallest unit (decade, century, millennium) that covers the real
    bounds in at most ``MAX_CHOICES`` links; a chosen period lists its ancestors and its
    parts (a year lists its decade's years). The bounds are two index probes; a choice
    becomes an indexed range filter.
    """

    field_path: str = ""  # e.g. "date_earliest", "event__date_earliest"

    def _bounds(self, queryset: QuerySet) -> tuple[int, int] | None:
        known = queryset.filter(**{f"{self.field_path}__gt": OPEN_START, f"{self.field_path}__lt": OPEN_END})
        ordered = known.order_by(self.field_path).values_list(self.field_path, flat=True)
        first = ordered.first()
        if first is None:
            return None
        return first.year, ordered.last().year

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        bounds = self._bounds(model_admin.get_queryset(request))
        if bounds is None:
            return []
        low, high = bounds
        top = next(s for s in reversed(_SPANS[:-1]) if high // s - low // s + 1 <= MAX_CHOICES or s == 1000)
        value = self.value()
        if not value:
            return [_period(start, top) for start in range(high // top * top, low // top * top - 1, -top)]
        first, span = _period_of(value)
        if span > top:  # an address from a longer record: show it, not a level above the top
            top = span
        choices = [_period(first // s * s, s) for s in _SPANS if top >= s > span]
        if span == 1:  # a year: its decade's years
            choices.append(_period(first // 10 * 10, 10))
            parts = range(first // 10 * 10 + 9, first // 10 * 10 - 1, -1)
        else:
            child = span // 10
            parts = range(first + span - child, first - 1, -child)
            choices.append(_period(first, span))
        part = 1 if span <= 10 else span // 10
        choices.extend((v, f"– {label}") for v, label in (_period(p, part) for p in parts))
        # Drop a duplicated ancestor (a year's decade is listed once).
        return list(dict.fromkeys(choices))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        first, span = _period_of(value)
        last = min(first + span - 1, 9999)
        days = (date(max(first, 1), 1, 1), date(last, 12, 31))
        return queryset.filter(**{f"{self.field_path}__range": days})


def fuzzy_date_filter(field_path: str, title: str, *, name: str = "") -> type[FuzzyDatePeriodFilter]:
    """Return a period list filter on the indexed bound ``field_path``, its address
    ``<name>_period`` (by default the bound's name without ``_earliest``)."""
    name = name or field_path.split("__")[-1].removesuffix("_earliest")
    return type(
        f"{name.title()}PeriodFilter",
        (FuzzyDatePeriodFilter,),
        {"field_path": field_path, "title": title, "parameter_name": f"{name}_period"},
    )


class SearchInputFilter(admin.SimpleListFilter):
    """A filter drawn as one input (core/admin/search_filter.html) rather than a list of links.

    A subclass draws its input (``widget``); "All" clears the filter.
    """

    template = "core/admin/search_filter.html"

    def has_output(self) -> bool:
        return True

    def widget(self) -> str:
        """The filter's input, as HTML: each kind of filter draws its own."""
        raise NotImplementedError

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        yield {
            "selected": self.value() is not None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
            "widget": self.widget(),
        }


class AutocompleteFilter(SearchInputFilter):
    """Filter by one record picked by search, as an autocomplete form field picks it.

    ``source_model.source_field`` is a foreign key to the record picked; the admin's
    autocomplete view searches that record's admin (its ``search_fields``) and checks
    the editor may view it. When ``link_field`` is set, ``source_model`` is a link table
    and ``link_field`` its foreign key to the listed model: the filter is an EXISTS
    (a join through a to-many link makes the admin add DISTINCT, a sort of the whole
    table). ``natural_field`` lets an address name the record by it (``?country=PL``).
    """

    source_model: type[models.Model]
    source_field = ""
    link_field = ""
    natural_field = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        self._admin_site = model_admin.admin_site
        return []

    @property
    def _field(self) -> models.ForeignKey:
        return self.source_model._meta.get_field(self.source_field)  # type: ignore[return-value]

    @property
    def media(self) -> forms.Media:
        widget = AutocompleteSelect(self._field, self._admin_site)
        return widget.media + forms.Media(
            js=["core/admin/autocomplete-filter.js"], css={"all": ["core/admin/chancery-admin.css"]}
        )

    def _target_lookup(self, value: str) -> dict[str, Any]:
        if value.isdigit():
            return {"pk": int(value)}
        if self.natural_field and len(value) <= 40:
            return {self.natural_field: value}
        named = self._field.related_model._meta.verbose_name
        raise IncorrectLookupParameters(f"{value!r} does not name a {named}.")

    def picked(self) -> models.Model | None:
        value = self.value()
        if not value:
            return None
        target = self._field.related_model
        return target._default_manager.filter(**self._target_lookup(value)).first()

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        lookup = {f"{self.source_field}__{k}": v for k, v in self._target_lookup(value).items()}
        if not self.link_field:
            return queryset.filter(**lookup)
        links = self.source_model._default_manager.filter(**{self.link_field: OuterRef("pk"), **lookup})
        return queryset.filter(Exists(links))

    def widget(self) -> str:
        """The select that the admin's autocomplete.js turns into a search box."""
        picked = self.picked()
        option = format_html('<option value="{}" selected>{}</option>', picked.pk, picked) if picked else ""
        opts = self.source_model._meta
        return format_html(
            '<select name="{}" class="admin-autocomplete" data-ajax--url="{}" data-ajax--cache="true" '
            'data-ajax--delay="250" data-ajax--type="GET" data-app-label="{}" data-model-name="{}" '
            'data-field-name="{}" data-theme="admin-autocomplete" data-allow-clear="true" '
            'data-placeholder="Search…" data-filter-parameter="{}" aria-label="{}" style="width: 100%">'
            "<option></option>{}</select>",
            self.parameter_name,
            reverse(f"{self._admin_site.name}:autocomplete"),
            opts.app_label,
            opts.model_name,
            self.source_field,
            self.parameter_name,
            f"Filter by {self.title}",
            option,
        )


def autocomplete_filter(
    source_model: type[models.Model],
    source_field: str,
    *,
    title: str = "",
    parameter_name: str = "",
    link_field: str = "",
    natural_field: str = "",
) -> type[AutocompleteFilter]:
    """Return an autocomplete filter on ``source_model.source_field`` (see ``AutocompleteFilter``)."""
    field = source_model._meta.get_field(source_field)
    return type(
        f"{source_model.__name__}{source_field.title().replace('_', '')}Filter",
        (AutocompleteFilter,),
        {
            "source_model": source_model,
            "source_field": source_field,
            "link_field": link_field,
            "natural_field": natural_field,
            "title": title or str(field.verbose_name),
            "parameter_name": parameter_name or source_field,
        },
    )


class ValueFilter(SearchInputFilter):
    """Filter by a typed value of a free-text column whose values are too many to list (a region's kind).

    The most common ``MAX_CHOICES`` values are offered as the input's suggestions (one GROUP BY
    over an indexed or small column).
    """

    field_name = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        counted = (
            model_admin.get_queryset(request)
            .exclude(**{self.field_name: ""})
            .values_list(self.field_name)
            .annotate(n=models.Count("pk"))
            .order_by("-n")[:MAX_CHOICES]
        )
        self.suggestions = sorted(value for value, _ in counted)
        return []

    @property
    def media(self) -> forms.Media:
        return forms.Media(js=["core/admin/autocomplete-filter.js"])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return queryset.filter(**{self.field_name: value}) if value else queryset

    def widget(self) -> str:
        """A search input with the common values as suggestions; Enter applies it."""
        options = format_html_join("", '<option value="{}">', ((v,) for v in self.suggestions))
        return format_html(
            '<input type="search" name="{0}" value="{1}" list="{0}-values" data-filter-parameter="{0}" '
            'aria-label="Filter by {2}" placeholder="Type a {2}, then Enter">'
            '<datalist id="{0}-values">{3}</datalist>',
            self.parameter_name,
            self.value() or "",
            self.title,
            options,
        )


def value_filter(field_name: str, title: str = "") -> type[ValueFilter]:
    """Return a typed-value filter on the text column ``field_name`` (see ``ValueFilter``)."""
    return type(
        f"{field_name.title()}ValueFilter",
        (ValueFilter,),
        {"field_name": field_name, "title": title or field_name, "parameter_name": field_name},
    )


class OpenByDefaultFilter(admin.SimpleListFilter):
    """A decision list's status filter showing the open rows unless asked: they are the work to do."""

    title = "decision"
    parameter_name = "status"
    statuses: type[models.TextChoices]
    open_value = ""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*self.statuses.choices, ("all", "All")]

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        for value, title in self.lookup_choices:
            yield {
                "selected": (self.value() or self.open_value) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or self.open_value
        return queryset if value == "all" else queryset.filter(status=value)


def open_by_default(statuses: type[models.TextChoices], open_value: str) -> type[OpenByDefaultFilter]:
    """Return a status filter over ``statuses`` that shows ``open_value`` rows by default."""
    return type(
        f"{statuses.__name__}Filter", (OpenByDefaultFilter,), {"statuses": statuses, "open_value": open_value}
    )
