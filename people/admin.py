"""Admin for people and the offices they hold."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from core.admin import HistoryAdmin, TabularInline, fuzzy_date_column, fuzzy_date_filter
from events.models import Citation
from people import services
from people.models import Person, Role


class RoleInline(TabularInline):
    model = Role
    fields = ("title", "country", "start", "end", "note")
    autocomplete_fields = ("country",)


class RoleCitationInline(TabularInline):
    model = Citation
    fk_name = "role"
    fields = ("source", "quote")
    autocomplete_fields = ("source",)
    verbose_name_plural = "citations backing this role"


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ("name", "nationality", "wikidata_id")
    list_filter = (("nationality", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "slug", "aliases", "=wikidata_id")
    autocomplete_fields = ("nationality",)
    list_select_related = ("nationality",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (RoleInline,)

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
            return services.person_create(actor=request.user, reason=reason, fields=fields, **children)
        return services.person_update(
            actor=request.user,
            reason=reason,
            person=stored,
            fields=fields,
            expected_version=expected_version,
            **children,
        )[0]

    def remove(
        self, request: HttpRequest, obj: Any, reason: str, expected_version: int | None = None
    ) -> None:
        services.person_delete(
            actor=request.user, reason=reason, person=obj, expected_version=expected_version
        )


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ("title", "person", "country", "start_display", "end_display")
    list_filter = (
        ("country", admin.RelatedOnlyFieldListFilter),
        fuzzy_date_filter("start_earliest", "start"),
    )
    search_fields = ("title", "person__name", "person__aliases")
    autocomplete_fields = ("person", "country")
    list_select_related = ("person", "country")
    inlines = (RoleCitationInline,)

    start_display = fuzzy_date_column("start", "start")
    end_display = fuzzy_date_column("end", "end")

    def write(self, request: HttpRequest, stored: Any, fields: dict, children: dict, reason: str) -> Model:
        role, _ = services.role_write(
            actor=request.user, reason=reason, role=stored, fields=fields, **children
        )
        return role

    def remove(self, request: HttpRequest, obj: Any, reason: str) -> None:
        services.role_delete(actor=request.user, reason=reason, role=obj)
