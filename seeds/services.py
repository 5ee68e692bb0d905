"""What imports leave for editors: the conflicts they report, stored, and the editors' decisions on them.

``conflicts_record`` stores what a run reports (``seeds.importer.ownership.Conflict``), one row
per record and field, so a re-import updates the list instead of repeating it.
``conflict_accept`` writes the file's value through the record's own service, with the
editor and their reason, refused when the record changed since the import saw it;
``conflict_keep`` records that the editor's value stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.services.versions import has_version
from seeds.importer.baseline_rows import plain
from seeds.importer.ownership import Conflict
from seeds.models import ConflictStatus, ImportConflict


def _key_field(model: type[models.Model]) -> str:
    # The importer keys records by slug, countries by ISO code (seeds.models.Baseline.key).
    return "slug" if any(f.name == "slug" for f in model._meta.fields) else "code"


def _record(conflict: ImportConflict) -> models.Model | None:
    model = apps.get_model(conflict.model)
    return model._default_manager.filter(**{_key_field(model): conflict.key}).first()


def _last_editor(model: type[models.Model], key: str, importer: Any) -> tuple[Any, int | None]:
    """(who last changed the record, not the import; its version now) from the record's history."""
    history = getattr(model, "history", None)
    editor = None
    if history is not None:
        changes = history.filter(**{_key_field(model): key}).exclude(history_user=importer)
        editor = changes.order_by("-history_date").values_list("history_user", flat=True).first()
    version = None
    if has_version(model):
        version = (
            model._default_manager.filter(**{_key_field(model): key})
            .values_list("version", flat=True)
            .first()
        )
    return editor, version


def conflicts_record(*, actor: Any, conflicts: Sequence[Conflict]) -> int:
    """Store the conflicts of one import run; return how many rows are open after it.

    A conflict already stored for the record and field is updated (values, file, last seen,
    runs). One an editor decided stays decided while the file and the editor's value are
    what they decided on; a different value reopens it.
    """
    now = timezone.now()
    for found in conflicts:
        model = apps.get_model(found.model) if found.model else None
        if model is None:
            continue
        label, editor_value, file_value = (
            model._meta.label_lower,
            plain(found.editor),
            plain(found.file_value),
        )
        stored = ImportConflict.objects.filter(model=label, key=found.record, field=found.field).first()
        editor, version = _last_editor(model, found.record, actor)
        if stored is None:
            stored = ImportConflict(model=label, key=found.record, field=found.field, runs=0)
        elif (stored.editor_value, stored.file_value) != (editor_value, file_value):
            stored.status, stored.decided_by, stored.decided_at, stored.reason = (
                ConflictStatus.OPEN,
                None,
                None,
                "",
            )
        stored.editor_value, stored.file_value, stored.file = editor_value, file_value, found.file
        stored.editor_id, stored.record_version = editor, version
        stored.run_by, stored.last_seen, stored.runs = getattr(actor, "username", ""), now, stored.runs + 1
        stored.save()
    return ImportConflict.objects.filter(status=ConflictStatus.OPEN).count()


def _updater(model: type[models.Model]) -> Callable[..., Any]:
    """The service that updates one record of ``model`` (keyword ``instance`` under its own name)."""
    from events.services import event_update, source_update, treaty_update, visit_update
    from people.services import organization_update, person_update
    from places.services import country_update, region_update

    services: dict[str, tuple[Callable[..., Any], str]] = {
        "events.event": (event_update, "event"),
        "events.treaty": (treaty_update, "treaty"),
        "events.visit": (visit_update, "visit"),
        "events.source": (source_update, "source"),
        "people.person": (person_update, "person"),
        "people.organization": (organization_update, "organization"),
        "places.country": (country_update, "country"),
        "places.region": (region_update, "region"),
    }
    label = model._meta.label_lower
    if label not in services:
        raise ValidationError(f"No service writes {label} records from this list: change it on its own page.")
    update, name = services[label]

    def call(*, instance: models.Model, **kwargs: Any) -> Any:
        return update(**{name: instance}, **kwargs)

    return call


def _stale(conflict: ImportConflict, record: models.Model | None) -> str | None:
    """Why the decision cannot be taken on what the editor saw, or None."""
    if record is None:
        return f"{conflict.model} {conflict.key} no longer exists: nothing to decide."
    if conflict.status != ConflictStatus.OPEN:
        return f"This conflict was decided already ({conflict.get_status_display()}): reload the list."
    try:
        model_field = record._meta.get_field(conflict.field)
    except LookupError:
        return None
    if not model_field.concrete:
        return None  # a child list: its rows are compared on the record's page
    current = plain(getattr(record, model_field.name))
    version = getattr(record, "version", None)
    if current != conflict.editor_value or (
        conflict.record_version is not None and version is not None and version != conflict.record_version
    ):
        return (
            f"{conflict.model} {conflict.key} changed since the import reported this conflict "
            f"(its {conflict.field} is now {current!r}, version {version}): nothing was written. "
            "Run the import again to see the conflict as it stands, or edit the record on its page."
        )
    return None


def conflict_accept(*, actor: Any, reason: str, conflict: ImportConflict) -> models.Model:
    """Write the file's value over the editor's, through the record's service; refuse a stale decision."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the file's value is right."})
    with transaction.atomic():
        conflict = ImportConflict.objects.select_for_update().get(pk=conflict.pk)
        record = _record(conflict)
        if problem := _stale(conflict, record):
            raise ValidationError(problem, code="stale")
        try:
            model_field = record._meta.get_field(conflict.field)
        except LookupError:
            model_field = None
        if model_field is None or not model_field.concrete:
            raise ValidationError(
                f"{conflict.field} is a list of rows: change it on the record's page "
                f"(the file says: {conflict.file_value})."
            )
        value = conflict.file_value
        if model_field.is_relation and value is not None:
            value = model_field.related_model._default_manager.get(pk=value)
        versioned = {"expected_version": conflict.record_version} if has_version(type(record)) else {}
        _updater(type(record))(
            instance=record, actor=actor, reason=reason, fields={model_field.name: value}, **versioned
        )
        _decided(conflict, ConflictStatus.ACCEPTED, actor, reason)
    return record


def conflict_keep(*, actor: Any, reason: str, conflict: ImportConflict) -> None:
    """Record that the editor's value stays; the import keeps reporting nothing new for it."""
    with transaction.atomic():
        conflict = ImportConflict.objects.select_for_update().get(pk=conflict.pk)
        if problem := _stale(conflict, _record(conflict)):
            raise ValidationError(problem, code="stale")
        _decided(conflict, ConflictStatus.KEPT, actor, reason)


def _decided(conflict: ImportConflict, status: str, actor: Any, reason: str) -> None:
    conflict.status, conflict.decided_by, conflict.reason = status, actor, reason.strip()
    conflict.decided_at = timezone.now()
    conflict.save(update_fields=["status", "decided_by", "reason", "decided_at"])
