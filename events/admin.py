"""Admin for events, sources, visits and treaties."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from core.admin import HistoryAdmin, TabularInline, fuzzy_date_column, fuzzy_date_filter, search_refused
from events import services
from events.models import (
    Citation,
    Event,
    EventCountry,
    EventRegion,
    Participation,
    Source,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
    VisitDestination,
)
from events.selectors import event_timeline
from places.admin import LinkedCountryFilter


class EventCountryFilter(LinkedCountryFilter):
    title = "country (where)"
    link_model = EventCountry
    link_field = "event"


class ParticipantCountryFilter(LinkedCountryFilter):
    title = "participant country"
    parameter_name = "participant_country"
    link_model = Participation
    link_field = "event"


class TreatyPartyFilter(LinkedCountryFilter):
    title = "party"
    parameter_name = "party"
    link_model = TreatyParty
    link_field = "treaty"


class ParticipationInline(TabularInline):
    model = Participation
    verbose_name = "participant"
    fields = ("role", "person", "country", "note")
    autocomplete_fields = ("person", "country")


class EventCountryInline(TabularInline):
    model = EventCountry
    autocomplete_fields = ("country",)
    verbose_name_plural = "countries where it happened"


class EventRegionInline(TabularInline):
    model = EventRegion
    autocomplete_fields = ("region",)
    verbose_name_plural = "regions where it happened"


class EventCitationInline(TabularInline):
    model = Citation
    fk_name = "event"
    fields = ("source", "quote", "locator")
    autocomplete_fields = ("source",)


class TreatyCitationInline(EventCitationInline):
    fk_name = "treaty"


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("title", "publisher", "published_display")
    list_filter = (fuzzy_date_filter("published_on_earliest", "published"),)
    search_fields = ("title", "slug", "publisher", "=url")
    prepopulated_fields = {"slug": ("title",)}

    published_display = fuzzy_date_column("published_on", "published")

    def write(self, request: HttpRequest, stored: Any, fields: dict, children: dict, reason: str) -> Model:
        if stored is None:
            return services.source_create(actor=request.user, reason=reason, fields=fields)
        return services.source_update(actor=request.user, reason=reason, source=stored, fields=fields)[0]

    def remove(self, request: HttpRequest, obj: Any, reason: str) -> None:
        services.source_delete(actor=request.user, reason=reason, source=obj)


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ("title", "date_display", "kind", "status", "treaty")
    list_filter = (
        "kind",
        "status",
        EventCountryFilter,
        ParticipantCountryFilter,
        fuzzy_date_filter("date_earliest", "date"),
    )
    # Turns on the search box and autocomplete; get_search_results does the searching.
    search_fields = ("title", "summary")
    autocomplete_fields = ("treaty",)
    list_select_related = ("treaty",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ParticipationInline, EventCountryInline, EventRegionInline, EventCitationInline)

    date_display = fuzzy_date_column("date", "date")

    def write(
        self,
        request: HttpRequest,
        stored: Any,
        fields: dict,
        children: dict,
        reason: str,
        expected_version: int | None = None,
    ) -> Model:
        if stored is None:
            return services.event_create(actor=request.user, reason=reason, fields=fields, **children)
        return services.event_update(
            actor=request.user,
            reason=reason,
            event=stored,
            fields=fields,
            expected_version=expected_version,
            **children,
        )[0]

    def remove(
        self, request: HttpRequest, obj: Any, reason: str, expected_version: int | None = None
    ) -> None:
        services.event_delete(actor=request.user, reason=reason, event=obj, expected_version=expected_version)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Event], search_term: str
    ) -> tuple[QuerySet[Event], bool]:
        """Search as the API does: full text over titles, summaries and quotes on PostgreSQL."""
        # icontains over a million titles is a sequential scan (about 1.5 s measured);
        # the timeline search uses the GIN indexes (about 0.2 s for a name). A word in
        # nearly every event costs more (about 6 s): editors search for names and places.
        # Autocomplete comes through here too.
        if not search_term.strip():
            return queryset, False
        if search_refused(request, search_term):
            return queryset.none(), False
        return queryset.filter(pk__in=event_timeline(search=search_term).values("pk")), False


class VisitDestinationInline(TabularInline):
    model = VisitDestination
    verbose_name_plural = "destinations"
    autocomplete_fields = ("region",)


@admin.register(Visit)
class VisitAdmin(HistoryAdmin):
    list_display = ("slug", "visitor", "host_country", "kind", "event_date")
    list_filter = ("kind", "host_country", fuzzy_date_filter("event__date_earliest", "date"))
    search_fields = ("slug", "visitor__name", "visitor__aliases", "host_country__name", "event__title")
    autocomplete_fields = ("event", "visitor", "host_country")
    list_select_related = ("event", "visitor", "host_country")
    inlines = (VisitDestinationInline,)

    def write(
        self,
        request: HttpRequest,
        stored: Any,
        fields: dict,
        children: dict,
        reason: str,
        expected_version: int | None = None,
    ) -> Model:
        # The services keep the visitor and destinations on the event (the visit mirror).
        if stored is None:
            return services.visit_create(actor=request.user, reason=reason, fields=fields, **children)
        return services.visit_update(
            actor=request.user,
            reason=reason,
            visit=stored,
            fields=fields,
            expected_version=expected_version,
            **children,
        )[0]

    def remove(
        self, request: HttpRequest, obj: Any, reason: str, expected_version: int | None = None
    ) -> None:
        services.visit_delete(actor=request.user, reason=reason, visit=obj, expected_version=expected_version)

    @admin.display(description="date", ordering="event__date_earliest")
    def event_date(self, obj: Visit) -> str:
        return EventAdmin.date_display(self, obj.event)


class TreatyPartyInline(TabularInline):
    model = TreatyParty
    fields = (
        "country",
        "organization",
        "signatory",
        "signed",
        "ratified",
        "in_force",
        "ended",
        "open_ended",
        "source_code",
        "note",
    )
    autocomplete_fields = ("country", "organization", "signatory")


class TreatyProvisionInline(TabularInline):
    model = TreatyProvision
    verbose_name = "provision"
    fields = ("kind", "article", "summary")


@admin.register(Treaty)
class TreatyAdmin(HistoryAdmin):
    list_display = ("name", "treaty_type", "domain", "signed_display", "in_force_display")
    list_filter = (
        TreatyPartyFilter,
        "treaty_type",
        "domain",
        fuzzy_date_filter("signed_earliest", "signed"),
    )
    search_fields = ("name", "short_name", "alternative_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = (TreatyPartyInline, TreatyProvisionInline, TreatyCitationInline)

    signed_display = fuzzy_date_column("signed", "signed")
    in_force_display = fuzzy_date_column("in_force", "in force")

    def write(
        self,
        request: HttpRequest,
        stored: Any,
        fields: dict,
        children: dict,
        reason: str,
        expected_version: int | None = None,
    ) -> Model:
        if stored is None:
            return services.treaty_create(actor=request.user, reason=reason, fields=fields, **children)
        return services.treaty_update(
            actor=request.user,
            reason=reason,
            treaty=stored,
            fields=fields,
            expected_version=expected_version,
            **children,
        )[0]

    def remove(
        self, request: HttpRequest, obj: Any, reason: str, expected_version: int | None = None
    ) -> None:
        services.treaty_delete(
            actor=request.user, reason=reason, treaty=obj, expected_version=expected_version
        )


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    """All citations, e.g. to see what a source backs."""

    list_display = ("__str__", "source", "event", "treaty", "role")
    search_fields = ("quote", "locator", "source__title")
    autocomplete_fields = ("source", "event", "treaty", "role")
    list_select_related = ("source", "event", "treaty", "role__country")

    def write(self, request: HttpRequest, stored: Any, fields: dict, children: dict, reason: str) -> Model:
        if stored is None:
            return services.citation_create(actor=request.user, reason=reason, fields=fields)
        return services.citation_update(actor=request.user, reason=reason, citation=stored, fields=fields)[0]

    def remove(self, request: HttpRequest, obj: Any, reason: str) -> None:
        services.citation_delete(actor=request.user, reason=reason, citation=obj)
