"""Admin for people and the offices they hold."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

from core.admin import HistoryAdmin, TabularInline, fuzzy_date_column
from core.admin_filters import autocomplete_filter, fuzzy_date_filter
from core.fuzzydates import FuzzyDate
from events.admin import CitationInline
from people import admin_identity, services
from people.declarations import ROLE
from people.models import Identifier, Organization, Person, Role


class RoleInline(TabularInline):
    model = Role
    # The declared fields (people.declarations), less the person the row hangs on.
    fields = tuple(name for name in ROLE.fields if name != "person")
    autocomplete_fields = ("country", "post_country", "post_organization")


class IdentifierInline(TabularInline):
    model = Identifier
    fields = ("scheme", "value")
    verbose_name_plural = "identifiers other datasets give this person"


class RoleCitationInline(CitationInline):
    fk_name = "role"
    verbose_name_plural = "citations backing this role"


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ("name", "nationality", "wikidata_id")
    list_filter = (autocomplete_filter(Person, "nationality", natural_field="code"),)
    # search_key: the folded forms, so "Walesa" or "Zelensky" find Wałęsa and Zelenskyy (issue 20).
    # =identifiers__value: what another dataset calls the person (an HSG id) finds them too.
    search_fields = ("name", "slug", "aliases", "search_key", "=wikidata_id", "=identifiers__value")
    autocomplete_fields = ("nationality",)
    list_select_related = ("nationality",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (RoleInline, IdentifierInline)
    change_form_template = "people/admin/person_change_form.html"
    object_history_template = "people/admin/person_history.html"

    def get_urls(self) -> list[Any]:
        merge = path(
            "<path:object_id>/merge/",
            self.admin_site.admin_view(partial(admin_identity.merge_into_view, self)),
            name="people_person_merge",
        )
        return [merge, *super().get_urls()]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        return super().change_view(
            request, object_id, form_url, {**self._merges(request, object_id), **(extra_context or {})}
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().history_view(
            request, object_id, {**self._merges(request, object_id), **(extra_context or {})}
        )

    def _merges(self, request: HttpRequest, object_id: str) -> dict[str, Any]:
        """Links to the merges into this person (each page undoes one) and to merge another record."""
        person = Person.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if person is None:
            return {}
        return {
            "merges": admin_identity.merges_of(person) if person.merges.exists() else "",
            "merge_url": reverse("admin:people_person_merge", args=[person.pk])
            if admin_identity.may_merge(request.user)
            else "",
        }

    record_services = services.PERSON_SERVICES


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ("name", "abbreviation", "classification", "slug")
    list_filter = ("classification",)
    search_fields = ("name", "slug", "abbreviation", "aliases")
    prepopulated_fields = {"slug": ("name",)}

    record_services = services.ORGANIZATION_SERVICES


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ("title", "person", "country", "post", "start_display", "end_display", "outcome")
    list_filter = (
        "outcome",
        autocomplete_filter(Role, "person"),
        autocomplete_filter(Role, "country", natural_field="code"),
        autocomplete_filter(Role, "post_country", natural_field="code"),
        autocomplete_filter(Role, "post_organization"),
        "ongoing",
        fuzzy_date_filter("start_earliest", "start"),
    )
    search_fields = ("title", "person__name", "person__aliases")
    autocomplete_fields = ("person", "country", "post_country", "post_organization")
    list_select_related = ("person", "country", "post_country", "post_organization")
    inlines = (RoleCitationInline,)

    start_display = fuzzy_date_column("start", "start")

    @admin.display(description="held in / at")
    def post(self, role: Role) -> str:
        return str(role.post_country or role.post_organization or "")

    @admin.display(description="end", ordering="end_earliest")
    def end_display(self, role: Role) -> str:
        # An empty end is two different facts; say which.
        if fuzzy := FuzzyDate.of(role, "end"):
            return fuzzy.display
        return "still in office" if role.ongoing else "end unknown"

    def write(self, request: HttpRequest, stored: Any, fields: dict, children: dict, reason: str) -> Model:
        role, _ = services.role_write(
            actor=request.user, reason=reason, role=stored, fields=fields, **children
        )
        return role

    def remove(self, request: HttpRequest, obj: Any, reason: str) -> None:
        services.role_delete(actor=request.user, reason=reason, role=obj)
