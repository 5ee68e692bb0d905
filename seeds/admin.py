"""Admin: the conflicts imports leave for editors, each with its two values and the decision to take."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from core import limits
from core.admin_filters import open_by_default
from core.admin_input import IdsChecked, id_or_404
from seeds import services
from seeds.models import ConflictStatus, ImportConflict


class DecisionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.REASON,
        help_text="Shown in the record's history with the change, e.g. 'The file corrects my typo'.",
    )


StatusFilter = open_by_default(ConflictStatus, ConflictStatus.OPEN)


def record_url(conflict: ImportConflict) -> str:
    record = services._record(conflict)
    if record is None:
        return ""
    try:
        return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


@admin.register(ImportConflict)
class ImportConflictAdmin(IdsChecked, admin.ModelAdmin):
    """Each value an import kept from an editor: the record, the field, both values, who and which run."""

    list_display = (
        "decide",
        "field",
        "editor_value",
        "file_value",
        "editor",
        "file",
        "last_seen",
        "runs",
        "status",
    )
    list_display_links = None
    list_filter = (StatusFilter, "model")
    search_fields = ("key", "field", "file")
    list_select_related = ("editor", "decided_by")
    change_form_template = "seeds/admin/decide.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # conflicts come from imports

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a decision is recorded, not forgotten; the next import updates the row

    @admin.display(description="record", ordering="key")
    def decide(self, conflict: ImportConflict) -> str:
        link = reverse("admin:seeds_importconflict_change", args=[conflict.pk])
        return format_html('<a href="{}">{} {}</a>', link, conflict.model, conflict.key)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        id_or_404(ImportConflict, object_id)
        conflict = get_object_or_404(
            ImportConflict.objects.select_related("editor", "decided_by"), pk=object_id
        )
        if not self.has_view_permission(request, conflict):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        if request.method == "POST":
            if not self.has_change_permission(request, conflict):
                raise PermissionDenied
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                try:
                    if "_accept" in request.POST:
                        services.conflict_accept(actor=request.user, reason=reason, conflict=conflict)
                        messages.success(request, f"{conflict}: the file's value is written.")
                    else:
                        services.conflict_keep(actor=request.user, reason=reason, conflict=conflict)
                        messages.success(request, f"{conflict}: the editor's value stays.")
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error(None, message)
                else:
                    return HttpResponseRedirect(reverse("admin:seeds_importconflict_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import conflict: {conflict}",
            "opts": self.model._meta,
            "conflict": conflict,
            "record_url": record_url(conflict),
            "form": form,
            "may_decide": self.has_change_permission(request, conflict)
            and conflict.status == ConflictStatus.OPEN,
            "list_url": reverse("admin:seeds_importconflict_changelist"),
        }
        return TemplateResponse(request, self.change_form_template, context)


# The index shows how many conflicts and possible duplicates wait for an editor.
admin.site.index_template = "seeds/admin/index.html"
