"""Admin for countries and the region tree."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from core.admin import HistoryAdmin
from places import services
from places.models import Country, Region


class LinkedCountryFilter(admin.SimpleListFilter):
    """Filter records linked to a country through a link table.

    EXISTS rather than a join: a join through a to-many link makes the admin
    add DISTINCT, which sorts the whole table at a million events.
    """

    title = "country"
    parameter_name = "country"
    link_model: type[models.Model]
    link_field = ""  # the link table's foreign key to the listed model

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        used = self.link_model._default_manager.filter(country=OuterRef("pk"))
        return list(Country.objects.filter(Exists(used)).order_by("name").values_list("code", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        links = self.link_model._default_manager.filter(
            **{self.link_field: OuterRef("pk"), "country__code": self.value()}
        )
        return queryset.filter(Exists(links))


@admin.register(Country)
class CountryAdmin(HistoryAdmin):
    list_display = ("name", "code", "alpha3", "historical", "founded", "dissolved")
    list_filter = ("historical",)
    search_fields = ("name", "=code", "=alpha3", "aliases")
    ordering = ("name",)

    def write(
        self, request: HttpRequest, stored: Any, fields: dict, children: dict, reason: str
    ) -> models.Model:
        if stored is None:
            return services.country_create(actor=request.user, reason=reason, fields=fields)
        return services.country_update(actor=request.user, reason=reason, country=stored, fields=fields)[0]

    def remove(self, request: HttpRequest, obj: Any, reason: str) -> None:
        services.country_delete(actor=request.user, reason=reason, country=obj)


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ("name", "kind", "country", "parent", "iso_code")
    list_filter = ("kind", ("country", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "slug", "=iso_code", "aliases", "search_key")  # folded: "Kiev" finds Kyiv
    autocomplete_fields = ("country", "parent")
    list_select_related = ("country", "parent")
    prepopulated_fields = {"slug": ("name",)}

    def write(
        self, request: HttpRequest, stored: Any, fields: dict, children: dict, reason: str
    ) -> models.Model:
        # places.services keeps the materialized path and refuses cycles.
        if stored is None:
            return services.region_create(actor=request.user, reason=reason, fields=fields)
        return services.region_update(actor=request.user, reason=reason, region=stored, fields=fields)[0]

    def remove(self, request: HttpRequest, obj: Any, reason: str) -> None:
        services.region_delete(actor=request.user, reason=reason, region=obj)
