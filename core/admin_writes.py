"""The admin writes through the services, like every other surface (issue 8).

``ServiceWrites`` replaces the admin's own saving: the change form and its
inline formsets are validated by Django as usual, then one service call writes
the record's changed fields and each changed inline as a row-level diff
applied to the rows stored now (so a form opened a while ago neither deletes
rows added since nor rewrites rows it did not touch). A service refusal is
shown on the form, with the editor's input kept. Deletes, single and bulk, go
through the services too; a bulk delete asks for a reason.

A change form carries the version it was rendered from (``ChangeReasonForm``'s
hidden ``expected_version``); the service refuses a stale one (``StaleVersion``)
before writing anything, inlines included, and the form comes back with the
editor's input, a message naming who changed the record since and what, and the
current version, so saving again applies the input deliberately.

A model admin says which service to call by overriding ``write`` and ``remove``;
the admin of a model with a version takes ``expected_version`` in ``write``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import (
    BaseInlineFormSet,
    CheckboxInput,
    ModelForm,
    MultipleHiddenInput,
    MultiWidget,
    SelectMultiple,
)
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.edits import edit
from core.relations import ChildRelation, relation_for_inline
from core.services.record_services import RecordServices
from core.services.versions import StaleVersion, has_version

_REFUSED = "_chancery_refused"
_REVERT = "_chancery_revert"


class RefusedWrite(Exception):
    """A service refused the admin's write; the form is shown again with its errors."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.stale = error if isinstance(error, StaleVersion) else None
        if self.stale is not None:
            self.messages = {NON_FIELD_ERRORS: [conflict_message(self.stale)]}
        else:
            self.messages = (
                error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            )


def _shown(value: str | None) -> str:
    if value is None:
        return "(none)"
    return f"“{value[:80]}…”" if len(value) > 80 else f"“{value}”"


def conflict_message(stale: StaleVersion) -> str:
    """What a stale form's editor reads: who changed the record since, what, and what to do now."""
    details = []
    for name, old, new in stale.changes[:12]:
        if old is None:
            details.append(f"{name}: added {_shown(new)}")
        elif new is None:
            details.append(f"{name}: removed {_shown(old)}")
        else:
            details.append(f"{name}: {_shown(old)} → {_shown(new)}")
    if len(stale.changes) > 12:
        details.append(f"and {len(stale.changes) - 12} more (see History)")
    told = f" Their changes: {'; '.join(details)}." if details else ""
    return (
        f"{stale.describe()}{told} Below, the fields you did not change show what is stored now, "
        f"and your own changes are kept: check them, then save again to apply just your changes "
        f"over version {stale.current_version}."
    )


def _reason(request: HttpRequest, form: ModelForm | None = None) -> str:
    if form is not None and hasattr(form, "cleaned_data"):
        return (form.cleaned_data.get("change_reason") or "").strip()
    return request.POST.get("change_reason", "").strip()


def _row_values(relation: ChildRelation, form: ModelForm) -> dict[str, Any]:
    """The row an inline form describes: its fields as entered, the rest as stored."""
    values = {}
    for f in relation.value_fields:
        if f.name in form.cleaned_data:
            values[f.name] = form.cleaned_data[f.name]
        else:
            values[f.attname] = getattr(form.instance, f.attname)
    return values


def _row_changes(
    relation: ChildRelation, form: ModelForm, edits_since: set[UUID] | None
) -> dict[str, Any] | None:
    """The row's fields the editor changed from the row as they read it (None: compare as usual)."""
    history = getattr(relation.child_model, "history", None)
    if not edits_since or history is None:
        return None
    past = history.filter(id=form.instance.pk).exclude(history_edit__in=edits_since)
    read = past.order_by("-history_date", "-history_id").first()
    if read is None:
        return None
    changes = {}
    for f in relation.value_fields:
        if f.name in form.fields and form.fields[f.name].has_changed(
            f.value_from_object(read), _typed(form, f.name)
        ):
            changes[f.attname] = form.cleaned_data[f.name]
            if isinstance(changes[f.attname], models.Model):
                changes[f.attname] = changes[f.attname].pk
    return changes


def inline_rows(
    relation: ChildRelation,
    formset: BaseInlineFormSet,
    parent: models.Model | None,
    edits_since: set[UUID] | None = None,
) -> list[Any]:
    """The wanted rows: those stored now, with the formset's deletions, changes and additions applied.

    ``edits_since`` are the edits made after the version the editor read, for a form shown
    again after a stale save: a row's changes are then the fields the editor changed from the
    row as it stood before them, applied over the row stored now (another editor's change to
    it stays).
    """
    stored = {}
    if parent is not None and parent.pk is not None:
        for row in relation.child_model._base_manager.filter(**{relation.parent_attname: parent.pk}).order_by(
            "pk"
        ):
            stored[row.pk] = {f.attname: getattr(row, f.attname) for f in relation.value_fields}
    added = []
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        pk = form.instance.pk
        if pk is not None and formset.can_delete and formset._should_delete_form(form):
            stored.pop(pk, None)
            formset.deleted_objects.append(form.instance)
        elif not form.has_changed():
            continue
        elif pk is not None:
            if pk in stored:
                mine = _row_changes(relation, form, edits_since)
                stored[pk] = _row_values(relation, form) if mine is None else {**stored[pk], **mine}
            formset.changed_objects.append((form.instance, form.changed_data))
        else:
            added.append(_row_values(relation, form))
            formset.new_objects.append(form.instance)
    return [*stored.values(), *added]


# -- stale forms: what the editor changed, from the version they read (issue 19) ----------------

_CONTROL = {"change_reason", "expected_version", "base_version"}


def _read_version(form: ModelForm) -> models.Model | None:
    """The record as the editor first read it (``base_version``), when it is not the stored one."""
    if "base_version" not in form.fields or form.instance.pk is None:
        return None
    raw = form.data.get(form.add_prefix("base_version"), "")
    if not str(raw).isdigit() or int(raw) == getattr(form.instance, "version", None):
        return None
    model = type(form.instance)
    past = model.history.filter(**{model._meta.pk.attname: form.instance.pk, "version": int(raw)})  # type: ignore[attr-defined]
    return past.order_by("-history_id").first()


def _editable(form: ModelForm) -> list[tuple[str, Any]]:
    """(form field name, model field) of the form's fields that are the record's own columns."""
    model = type(form.instance)
    found = []
    for name in form.fields:
        if name in _CONTROL:
            continue
        try:
            found.append((name, model._meta.get_field(name)))
        except LookupError:
            continue
    return found


def _typed(form: ModelForm, name: str) -> Any:
    field = form.fields[name]
    return field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))


def _edits_since(read: Any) -> set[UUID]:
    """The edits written after the version ``read`` (a historical row): each moved the version."""
    model = read.instance_type
    later = model.history.filter(id=read.id, version__gt=read.version).values_list("history_edit", flat=True)
    return {edit for edit in later if edit is not None}


def editor_changes(form: ModelForm, read: Any) -> list[str]:
    """The fields the editor changed from what they read.

    Usually ``changed_data`` (the form was read at the version stored now). After a refused
    stale save, the form is at the version stored now but the editor read an older one:
    compared with the stored values, every field someone else changed since would look
    changed, and a second save would put the old values back. Compared with the version
    the editor read (``read``, from ``_read_version``), only their own edits are.
    """
    if read is None:
        return form.changed_data
    return [
        name
        for name, model_field in _editable(form)
        if form.fields[name].has_changed(model_field.value_from_object(read), _typed(form, name))
    ]


def _as_data(form: ModelForm, name: str, value: Any) -> None:
    """Put ``value`` in the bound form's data as its widget would have posted it."""
    field, key = form.fields[name], form.add_prefix(name)
    widget = field.widget
    prepared = field.prepare_value(value)
    if isinstance(widget, CheckboxInput):
        if widget.check_test(prepared):
            form.data[key] = "on"
        else:
            form.data.pop(key, None)
    elif isinstance(widget, SelectMultiple | MultipleHiddenInput):
        form.data.setlist(key, [str(v) for v in prepared or []])
    elif isinstance(widget, MultiWidget):
        for suffix, part in zip(widget.widgets_names, widget.decompress(prepared), strict=False):
            form.data[key + suffix] = "" if part is None else str(part)
    else:
        form.data[key] = "" if prepared is None else str(prepared)


def three_way(form: ModelForm, stale: StaleVersion) -> dict[str, str]:
    """Re-show a refused stale form: stored values where the editor changed nothing, their input
    where they did. Returns, per field both changed, the message naming the three values."""
    read = _read_version(form)
    if read is None:
        return {}
    by = stale.changed_by or "another editor"
    conflicts = {}
    for name, model_field in _editable(form):
        field = form.fields[name]
        before = model_field.value_from_object(read)
        now = model_field.value_from_object(form.instance)
        if before == now:
            continue  # nobody else changed it: whatever the editor typed stands
        if field.has_changed(before, _typed(form, name)):
            conflicts[name] = (
                f"Changed by {by} since you read it: you read {_shown(_text(before))}, it is now "
                f"{_shown(_text(now))}. Your input is kept below; saving again puts it in place of theirs."
            )
        else:
            _as_data(form, name, now)
            field.help_text = f"Now as {by} saved it (you read {_shown(_text(before))}). {field.help_text}"
    return conflicts


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class ServiceWrites(admin.ModelAdmin):
    """Save, delete and bulk-delete through the app's services (see the module docstring)."""

    delete_selected_confirmation_template = "core/admin/delete_selected_confirmation.html"

    # -- what a model admin provides -----------------------------------------------------------

    # The model's create/update/delete services; an admin whose writes take another shape
    # (one service for create and update, say) overrides write and remove instead.
    record_services: RecordServices | None = None

    def write(
        self,
        request: HttpRequest,
        stored: models.Model | None,
        fields: dict[str, Any],
        children: dict[str, list[Any]],
        reason: str,
        **versioned: Any,
    ) -> models.Model:
        """Create (``stored`` is None) or change the record through its service; return it.

        ``versioned`` is ``expected_version=…`` for a model with a version: the
        version the form was rendered from (None for a revert or a form without one).
        """
        return self._services().write(
            actor=request.user,
            reason=reason,
            stored=stored,
            arguments={"fields": fields, **children},
            **versioned,
        )

    def remove(self, request: HttpRequest, obj: models.Model, reason: str, **versioned: Any) -> None:
        """Delete the record through its service (``versioned`` as for ``write``)."""
        self._services().remove(actor=request.user, reason=reason, record=obj, **versioned)

    def _services(self) -> RecordServices:
        if self.record_services is None:
            raise NotImplementedError(
                f"{type(self).__name__} names no services for {self.model._meta.label}."
            )
        return self.record_services

    # -- Django's hooks, routed to write/remove --------------------------------------------------

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedWrite as refused:
            # The first pass rolled back; the second shows the form with the service's reasons.
            setattr(request, _REFUSED, refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        if getattr(request, _REVERT, False) and obj is not None and has_version(type(obj)):
            form_class = _revert_form(form_class, obj)
        refused: RefusedWrite | None = getattr(request, _REFUSED, None)
        if refused is None:
            return form_class

        class RefusedForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if refused.stale is not None and self.is_bound and "expected_version" in self.fields:
                    # Shown again at the version stored now: a second save is the editor's choice,
                    # of their own changes only (three_way).
                    self.data = self.data.copy()
                    self.data[self.add_prefix("expected_version")] = refused.stale.current_version
                    self.conflicts = three_way(self, refused.stale)

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                for key, found in refused.messages.items():
                    for message in found:
                        if key in self.fields:
                            self.add_error(key, message)
                        elif key == NON_FIELD_ERRORS:
                            self.add_error(None, message)
                        else:
                            self.add_error(None, f"{key}: {message}")
                for name, message in getattr(self, "conflicts", {}).items():
                    self.add_error(name, message)
                return data

        return RefusedForm

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # A revert saves the main form only (simple-history never calls save_related).
        setattr(request, _REVERT, True)
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]
        except StaleVersion as stale:
            # Rolled back; the page is shown again at the version stored now.
            messages.error(request, f"{stale.describe()} Nothing was reverted: check the record again.")
            return HttpResponseRedirect(request.path)

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        """Write only a revert here; a change form writes the record with its inlines in save_related."""
        if not getattr(request, _REVERT, False):
            return
        stored = type(obj)._base_manager.get(pk=obj.pk)
        names = {f.name for f in obj._meta.concrete_fields if f.editable}
        fields = {name: value for name, value in form.cleaned_data.items() if name in names}
        versioned = {}
        if has_version(type(obj)):
            versioned["expected_version"] = form.cleaned_data.get("expected_version")
        self.write(request, stored, fields, {}, _reason(request, form), **versioned)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        obj = form.instance
        stored = type(obj)._base_manager.get(pk=obj.pk) if change else None
        names = {f.name for f in obj._meta.concrete_fields if f.editable}
        read = _read_version(form) if change else None
        changed = editor_changes(form, read) if change else list(form.cleaned_data)
        edits_since = _edits_since(read) if read is not None else None
        fields = {name: form.cleaned_data[name] for name in changed if name in names}
        children = {}
        for formset in formsets:
            relation = relation_for_inline(type(obj), formset.model, formset.fk.name)
            if relation is None:
                raise ImproperlyDeclared(type(obj), formset.model)
            rows = inline_rows(relation, formset, stored, edits_since)
            if formset.has_changed():
                children[relation.name] = rows
        versioned = {}
        if has_version(type(obj)):
            versioned["expected_version"] = form.cleaned_data.get("expected_version") if change else None
        try:
            written = self.write(request, stored, fields, children, _reason(request, form), **versioned)
        except ValidationError as error:
            raise RefusedWrite(error) from None
        obj.pk = written.pk
        obj._state.adding = False
        form.save_m2m = lambda: None  # nothing left for Django to save

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        versioned = {}
        if has_version(type(obj)):
            # The confirmation page carries the version it showed (core/admin/delete_confirmation.html).
            shown = request.POST.get("expected_version", "")
            versioned["expected_version"] = int(shown) if shown.isdigit() else None
        self.remove(request, obj, _reason(request), **versioned)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except StaleVersion as stale:
            # Rolled back; the confirmation is shown again at the version stored now.
            messages.error(request, f"{stale.describe()} Nothing was deleted: check the record again.")
            return HttpResponseRedirect(request.path)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        reason = _reason(request)
        with edit(actor=request.user, reason=reason):
            for obj in queryset:
                self.remove(request, obj, reason)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_with_reason, name, description)
        return actions


def _revert_form(form_class: Any, obj: models.Model) -> Any:
    """The revert form, carrying the version stored when it was shown (its instance is an old one)."""
    current = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()

    class RevertForm(form_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if "expected_version" in self.fields:
                self.fields["expected_version"].initial = current

    return RevertForm


class ImproperlyDeclared(LookupError):
    def __init__(self, parent: type[models.Model], child: type[models.Model]) -> None:
        super().__init__(
            f"No child relation of {parent._meta.label} is edited by the {child._meta.label} inline: "
            "declare it in the app's relations module."
        )


def delete_selected_with_reason(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> Any:
    """Django's bulk delete, asking for the reason the history keeps (shown again until one is given)."""
    if request.POST.get("post") and not request.POST.get("change_reason", "").strip():
        request.POST = request.POST.copy()
        del request.POST["post"]
        response = delete_selected(modeladmin, request, queryset)
        if hasattr(response, "context_data"):
            response.context_data["reason_missing"] = True
        return response
    return delete_selected(modeladmin, request, queryset)


delete_selected_with_reason.allowed_permissions = ("delete",)  # type: ignore[attr-defined]
delete_selected_with_reason.short_description = delete_selected.short_description  # type: ignore[attr-defined]

__all__ = ["RefusedWrite", "ServiceWrites", "delete_selected_with_reason", "inline_rows"]
