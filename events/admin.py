"""Admin for events, sources, visits and treaties."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from core.admin import HistoryAdmin, TabularInline, fuzzy_date_column, search_refused
from core.admin_filters import autocomplete_filter, fuzzy_date_filter
from core.relations import relation as child_relation
from core.services import ListEdit
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

# Countries, people, regions and treaties number in the hundreds or thousands: each filter is
# a search box (core.admin_filters.AutocompleteFilter), not a list (issue 23).
EventCountryFilter = autocomplete_filter(
    EventCountry, "country", title="country (where)", link_field="event", natural_field="code"
)
EventRegionFilter = autocomplete_filter(EventRegion, "region", title="region (where)", link_field="event")
ParticipantCountryFilter = autocomplete_filter(
    Participation,
    "country",
    title="participant country",
    parameter_name="participant_country",
    link_field="event",
    natural_field="code",
)
ParticipantFilter = autocomplete_filter(
    Participation, "person", title="participant", parameter_name="participant", link_field="event"
)
TreatyPartyFilter = autocomplete_filter(
    TreatyParty, "country", title="party", parameter_name="party", link_field="treaty", natural_field="code"
)


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


class CitationInline(TabularInline):
    """Citations under one record (``fk_name``: an event, a treaty, a role)."""

    model = Citation
    fields = ("source", "quote", "locator")
    autocomplete_fields = ("source",)


class EventCitationInline(CitationInline):
    fk_name = "event"


class TreatyCitationInline(CitationInline):
    fk_name = "treaty"


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("title", "publisher", "published_display")
    list_filter = (fuzzy_date_filter("published_on_earliest", "published"),)
    search_fields = ("title", "slug", "publisher", "=url")
    prepopulated_fields = {"slug": ("title",)}

    published_display = fuzzy_date_column("published_on", "published")

    record_services = services.SOURCE_SERVICES


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ("title", "date_display", "kind", "status", "treaty")
    list_filter = (
        "kind",
        "status",
        EventCountryFilter,
        EventRegionFilter,
        ParticipantCountryFilter,
        ParticipantFilter,
        autocomplete_filter(Event, "treaty"),
        fuzzy_date_filter("date_earliest", "date"),
    )
    # Turns on the search box and autocomplete; get_search_results does the searching.
    search_fields = ("title", "summary")
    autocomplete_fields = ("treaty",)
    list_select_related = ("treaty",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ParticipationInline, EventCountryInline, EventRegionInline, EventCitationInline)

    date_display = fuzzy_date_column("date", "date")

    record_services = services.EVENT_SERVICES

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
        # Slugs are what messages, logs and addresses name (hsg-visits-2858): one indexed lookup.
        slug = Q(slug=search_term.strip().lower())
        return queryset.filter(slug | Q(pk__in=event_timeline(search=search_term).values("pk"))), False


class VisitDestinationInline(TabularInline):
    model = VisitDestination
    verbose_name_plural = "destinations"
    autocomplete_fields = ("region",)


@admin.register(Visit)
class VisitAdmin(HistoryAdmin):
    list_display = ("slug", "visitor", "host_country", "kind", "event_date")
    list_filter = (
        "kind",
        autocomplete_filter(Visit, "host_country", natural_field="code"),
        autocomplete_filter(Visit, "visitor"),
        # The visit's copy of its event's dates (events.visit_dates): no join to the events.
        fuzzy_date_filter("event_date_earliest", "date", name="date"),
    )
    search_fields = ("slug", "visitor__name", "visitor__aliases", "host_country__name", "event__title")
    autocomplete_fields = ("event", "visitor", "host_country")
    list_select_related = ("event", "visitor", "host_country")
    inlines = (VisitDestinationInline,)

    # The services keep the visitor and destinations on the event (the visit mirror).
    record_services = services.VISIT_SERVICES

    @admin.display(description="date", ordering="event_date_earliest")
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
    max_shown = 12  # ten columns with four dates each: the rest in the parties' own list


@admin.register(TreatyParty)
class TreatyPartyAdmin(HistoryAdmin):
    """A treaty's parties as a list of their own: the Montreal Protocol has 198, too many for its form.

    Each save goes through ``treaty_update`` as a row added to or taken out of the treaty's
    parties (``ListEdit``), so the treaty's history and version record it as an inline would.
    """

    list_display = ("__str__", "treaty", "signed_display", "ratified_display", "in_force_display")
    list_filter = (
        autocomplete_filter(TreatyParty, "treaty"),
        autocomplete_filter(TreatyParty, "country", natural_field="code"),
        autocomplete_filter(TreatyParty, "organization"),
        fuzzy_date_filter("ratified_earliest", "ratified"),
    )
    search_fields = ("treaty__name", "treaty__slug", "country__name", "=country__code", "organization__name")
    autocomplete_fields = ("treaty", "country", "organization", "signatory")
    list_select_related = ("treaty", "country", "organization")
    ordering = ("-treaty_id", "pk")  # indexed: sorting 87,000 rows by names took 0.9 s

    signed_display = fuzzy_date_column("signed", "signed")
    ratified_display = fuzzy_date_column("ratified", "ratified")
    in_force_display = fuzzy_date_column("in_force", "in force")

    def write(self, request: HttpRequest, stored: Any, fields: dict, children: dict, reason: str) -> Model:
        treaty = fields.get("treaty", stored.treaty if stored is not None else None)
        if stored is not None and treaty.pk != stored.treaty_id:
            raise ValidationError(
                {"treaty": "A party moves to another treaty by adding it there and removing it here."}
            )
        relation = child_relation(treaty, "parties")
        row = {f.name: getattr(stored, f.name) for f in relation.value_fields} if stored is not None else {}
        row.update({k: v for k, v in fields.items() if k != "treaty"})
        gone = (
            [] if stored is None or relation.key_of_values(row) == relation.key_of_row(stored) else [stored]
        )
        change = ListEdit(add=[row], remove=[{n: getattr(o, n) for n in relation.identity} for o in gone])
        services.treaty_update(
            actor=request.user, reason=reason, treaty=treaty, fields={}, list_edits={"parties": change}
        )
        return TreatyParty.objects.get(treaty=treaty, **{n: row.get(n) for n in relation.identity})

    def remove(self, request: HttpRequest, obj: Any, reason: str) -> None:
        relation = child_relation(obj.treaty, "parties")
        change = ListEdit(remove=[{n: getattr(obj, n) for n in relation.identity}])
        services.treaty_update(
            actor=request.user, reason=reason, treaty=obj.treaty, fields={}, list_edits={"parties": change}
        )


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

    record_services = services.TREATY_SERVICES


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    """All citations, e.g. to see what a source backs."""

    list_display = ("__str__", "source", "event", "treaty", "role")
    list_filter = (
        autocomplete_filter(Citation, "source"),
        autocomplete_filter(Citation, "event"),
        autocomplete_filter(Citation, "treaty"),
        autocomplete_filter(Citation, "role"),
    )
    search_fields = ("quote", "locator", "source__title")
    autocomplete_fields = ("source", "event", "treaty", "role")
    list_select_related = ("source", "event", "treaty", "role__country")

    record_services = services.CITATION_SERVICES
