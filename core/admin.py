"""Admin building blocks every Chancery model admin shares.

``HistoryAdmin`` is the base: it writes through the app's services
(``core.admin_writes``), so the editor and their optional reason reach every
row a form saves (the record, its inline rows, deleted rows too), shows
``core.revisions.revisions_for`` as the history page, renders fuzzy dates
with a live preview, and keeps big changelists off ``COUNT(*)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DataError, connections, models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from core import limits
from core.admin_filters import AutocompleteFilter, ValueFilter
from core.admin_input import id_or_404, refusing_undecodable, undecodable_fields
from core.admin_writes import ServiceWrites
from core.declarations import declaration_of
from core.forms import AliasesField, ChangeReasonForm, CheckedTextForm
from core.fuzzydates import FuzzyDate, FuzzyDateField
from core.permissions import may
from core.relations import relations_of
from core.revisions import revisions_for
from core.validators import text_problem
from core.widgets import EDTFInput

FORMFIELD_OVERRIDES = {
    FuzzyDateField: {"widget": EDTFInput},
    # Editors paste bare domains; Django 6 makes https the default, so opt in now.
    models.URLField: {"assume_scheme": "https"},
    # Every JSONField in Chancery is an aliases list (validate_aliases checks the rest).
    models.JSONField: {"form_class": AliasesField},
}


def planner_estimate(queryset: QuerySet) -> int | None:
    """Return PostgreSQL's row estimate for an unfiltered queryset's table, else None."""
    query = queryset.query
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or query.where or query.distinct or query.combinator:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    # -1 means the table was never analysed: no estimate to trust.
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """Count an unfiltered changelist of a big PostgreSQL table from the planner's estimate.

    ``COUNT(*)`` reads the whole table on PostgreSQL: seconds at a million
    events, on every changelist page. Below ``exact_below`` rows, or when
    filtered, the count stays exact.
    """

    exact_below = 100_000

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            estimate = planner_estimate(self.object_list)
            if estimate is not None and estimate >= self.exact_below:
                return estimate
        return super().count


def fuzzy_date_column(field: str, description: str) -> Callable[[Any, models.Model], str]:
    """Return a changelist column showing a fuzzy date as readers say it ('May 2024')."""

    @admin.display(description=description, ordering=f"{field}_earliest")
    def column(model_admin: Any, obj: models.Model) -> str:
        fuzzy = FuzzyDate.of(obj, field)
        return fuzzy.display if fuzzy else "—"

    return column


def search_problem(search_term: str) -> str | None:
    """What is wrong with an admin search (over its limits, unstorable text), or None.

    Each word of a search is an OR of LIKEs over every search field: a 5,000-character search
    made a 5 MB page and a long scan.
    """
    if len(search_term) > limits.ADMIN_SEARCH_CHARACTERS or len(search_term.split()) > limits.SEARCH_WORDS:
        return (
            f"Search is limited to {limits.ADMIN_SEARCH_CHARACTERS} characters and "
            f"{limits.SEARCH_WORDS} words; shorten it."
        )
    if problem := text_problem(search_term):
        return f"Search cannot be used: {problem}"
    return None


def search_refused(request: HttpRequest, search_term: str) -> bool:
    """Refuse a search that is too big, telling the editor why; autocomplete comes here too."""
    if problem := search_problem(search_term):
        messages.error(request, problem)
        return True
    return False


class BoundedInlineFormSet(BaseInlineFormSet):
    """An inline formset showing the first ``max_shown`` rows of a list, never the whole of it.

    A treaty has up to 198 parties: all of them in one form took 8.6 s and 2.4 MB (issue 23).
    Saving loses nothing: the admin writes the stored rows with the form's changes applied
    (``core.admin_writes.inline_rows``), so rows not shown stay as stored; they are edited
    in their own changelist, linked from the inline.
    """

    max_shown = 25

    def get_queryset(self) -> QuerySet:
        if not hasattr(self, "_bounded"):
            self._bounded = super().get_queryset()[: self.max_shown]
        return self._bounded

    @cached_property
    def total(self) -> int:
        """How many rows the list has (one COUNT, only when the form shows a full page of them)."""
        shown = len(self.get_queryset())
        if shown < self.max_shown or self.instance.pk is None:
            return shown
        return self.queryset.count()

    @property
    def hidden_rows(self) -> int:
        return self.total - len(self.get_queryset())

    @cached_property
    def list_url(self) -> str:
        """The changelist of this list's rows filtered by the parent, when the admin has one."""
        try:
            url = reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist")
        except NoReverseMatch:
            return ""
        return f"{url}?{self.fk.name}={self.instance.pk}"


class TabularInline(admin.TabularInline):
    """Tabular inline with Chancery's date and alias inputs, no empty rows, and a bounded length.

    Who may see, add, change and remove its rows is ``core.permissions.may``, the rule the
    API's list inputs are checked by too (issue 8). At most ``max_shown`` rows are shown
    (``BoundedInlineFormSet``); the rest are linked.
    """

    form = CheckedTextForm
    formset = BoundedInlineFormSet
    formfield_overrides = FORMFIELD_OVERRIDES
    extra = 0
    max_shown = 20
    template = "core/admin/edit_inline/tabular.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # A row's label and its related records in one query, not one each per row.
        related = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.many_to_one and (f.name in (self.fields or ()) or f.related_model is self.parent_model)
        ]
        return super().get_queryset(request).select_related(*related)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.max_shown = self.max_shown
        return formset

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request.user, "view", self.model) or may(request.user, "change", self.model)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request.user, "add", self.model)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request.user, "change", self.model)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request.user, "delete", self.model)


def _add_filter_media(context: dict[str, Any]) -> None:
    """Give the changelist the scripts its filters need (an autocomplete filter's search box)."""
    changelist = context.get("cl")
    for spec in getattr(changelist, "filter_specs", ()):
        if isinstance(spec, AutocompleteFilter | ValueFilter):
            context["media"] = context["media"] + spec.media


class HistoryAdmin(ServiceWrites, SimpleHistoryAdmin):
    """Base admin: writes through the services (core.admin_writes), merged history page."""

    form = ChangeReasonForm
    formfield_overrides = FORMFIELD_OVERRIDES
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # "Show counts" runs one COUNT per filter choice over the whole table.
    show_facets = admin.ShowFacets.NEVER
    change_form_template = "core/admin/change_form.html"
    delete_confirmation_template = "core/admin/delete_confirmation.html"
    object_history_template = "core/admin/object_history.html"
    object_history_form_template = "core/admin/object_history_form.html"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if search_refused(request, search_term):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """The changelist, answering 400 for a lookup value the database cannot take.

        Django checks a filter value's type but not its range: ``?date_earliest__year=10000``
        or ``?id=2147483648000000000000`` fails only when the page's queries are built or run
        (while counting, or while rendering), as a 500. Exactly those errors become a 400.
        """
        if problem := search_problem(request.GET.get(SEARCH_VAR, "")):
            # Redirect without the search: the page would echo it in every filter link.
            messages.error(request, problem)
            kept = request.GET.copy()
            kept.pop(SEARCH_VAR)
            return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
        try:
            response = super().changelist_view(request, extra_context)
            if isinstance(response, TemplateResponse) and response.context_data:
                _add_filter_media(response.context_data)
            if isinstance(response, TemplateResponse) and request.GET:
                response.render()
        except (ValueError, OverflowError, DataError) as error:
            if not request.GET:
                raise
            return HttpResponseBadRequest(
                f"This filter cannot be applied: {error}. Remove it from the address and try again.",
                content_type="text/plain; charset=utf-8",
            )
        return response

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list[str]:
        # A declared model's form is its declared fields, in their order (core.declarations):
        # a field added to the declaration is on the form with no edit here.
        decl = declaration_of(self.model)
        if decl is not None and self.fields is None and self.fieldsets is None:
            readonly = self.get_readonly_fields(request, obj)
            names = [*decl.fields, *(name for name in readonly if name not in decl.fields)]
        else:
            names = super().get_fields(request, obj)
        # The reason is rendered under the inlines and the version hidden (see the change form
        # template), not in a fieldset.
        return [name for name in names if name not in {"change_reason", "expected_version", "base_version"}]

    # Every view that takes an id from the address checks it first (core.admin_input).

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        id_or_404(self.model, object_id)
        if object_id is not None:
            lists = self.related_lists(object_id)
            extra_context = {"related_lists": lists, **(extra_context or {})} if lists else extra_context
        return super().changeform_view(request, object_id, form_url, extra_context)

    def related_lists(self, object_id: str) -> list[tuple[str, int, str]]:
        """(label, count, URL) of lists of the record's rows too long for an inline, shown on its page."""
        return []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        if names := undecodable_fields(request):
            return refusing_undecodable(form_class, names)
        return form_class

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        id_or_404(self.model, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        id_or_404(self.model, object_id)
        id_or_404(self.model.history.model, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Show the record's revisions, newest first, with field and relation changes."""
        id_or_404(self.model, object_id)
        request.current_app = self.admin_site.name
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            # A deleted record: its last historical row still says what it was.
            # (On the historical model ``pk`` is history_id; the record's own id keeps its name.)
            rows = self.model.history.filter(**{opts.pk.attname: unquote(object_id)})
            last = rows.order_by("-history_date").first()
            if last is None:
                raise Http404(f"No {opts.verbose_name} with id {object_id!r} and no history of one.")
            obj = last.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        revisions = list(reversed(revisions_for(obj)))
        page_obj = Paginator(revisions, self.history_list_per_page).get_page(request.GET.get(PAGE_VAR))
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_view_title(request, obj),
            "subtitle": None,
            "object": obj,
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": capfirst(opts.verbose_name_plural),
            "page_obj": page_obj,
            "page_var": PAGE_VAR,
            "relation_names": [r.name for r in relations_of(self.model)],
            "revert_disabled": self.revert_disabled(request, obj),
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_template, context)
