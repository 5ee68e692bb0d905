"""Admin for countries and the region tree."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from core.admin import HistoryAdmin
from core.admin_filters import autocomplete_filter, value_filter
from places import services
from places.models import Country, Region


@admin.register(Country)
class CountryAdmin(HistoryAdmin):
    list_display = ("name", "code", "alpha3", "historical", "founded", "dissolved")
    list_filter = ("historical",)
    search_fields = ("name", "=code", "=alpha3", "aliases")
    ordering = ("name",)

    record_services = services.COUNTRY_SERVICES


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ("name", "kind", "country", "parent", "iso_code")
    list_filter = (
        value_filter("kind"),  # over a hundred kinds (oblast, voivodeship, …): typed, not listed
        autocomplete_filter(Region, "country", natural_field="code"),
        # A region's children are this list filtered by their parent (linked from its page).
        autocomplete_filter(Region, "parent", title="part of"),
    )
    search_fields = ("name", "slug", "=iso_code", "aliases", "search_key")  # folded: "Kiev" finds Kyiv
    autocomplete_fields = ("country", "parent")
    list_select_related = ("country", "parent")
    prepopulated_fields = {"slug": ("name",)}

    # places.services keeps the materialized path and refuses cycles.
    record_services = services.REGION_SERVICES

    def related_lists(self, object_id: str) -> list[tuple[str, int, str]]:
        # England has 152 parts: a list of their own, not rows in this form.
        count = Region.objects.filter(parent_id=object_id).count()
        url = reverse("admin:places_region_changelist")
        return [("regions part of this one", count, f"{url}?parent={object_id}")] if count else []
