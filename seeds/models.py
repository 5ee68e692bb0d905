"""What the seed import last wrote, per record it owns: the baseline that tells an editor's change apart."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.model_fields import optional_link


class Baseline(models.Model):
    """The fields and child rows of one record as the import last wrote them (issue 8).

    On the next run a stored value equal to its baseline is the file's to change; one
    that differs was changed by an editor since, and the import keeps it.
    """

    model = models.CharField(max_length=100, help_text="Model label, e.g. events.event.")
    key = models.CharField(max_length=200, help_text="Natural key: slug, or ISO code for a country.")
    values = models.JSONField(help_text='{"fields": {...}, "children": {relation: [row, ...]}}')
    source = models.CharField(max_length=300, help_text="The seed file the values came from.")
    written_at = models.DateTimeField(auto_now=True)
    # What lets a re-import skip the record unread (seeds.importer.fingerprints).
    digest = models.CharField(
        max_length=32, blank=True, help_text="Hash of the record as the file gave it; empty: compare."
    )
    checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the import last compared the record with what is stored."
    )
    checked_edit = models.UUIDField(null=True, blank=True, help_text="The edit id of that import run.")
    clean = models.BooleanField(
        default=False, help_text="That comparison kept no editor's value against the file's."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="seed_baseline_unique")]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"


class ImportRun(models.Model):
    """A full default import that finished: what it read and the data version it left.

    The next default run that reads the same files and finds the same data version has
    nothing to do (seeds.importer.runs): the data version moves with every write to the
    data, whoever makes it (core.dataversion), so an editor's save or a restore forces the
    full comparison again.
    """

    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the files read and the schema.")
    data_version = models.BigIntegerField(help_text="core.DataVersion after the run's writes.")
    summary = models.JSONField(default=dict, help_text='{"problems": {"dataset: kind": count}}')
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        get_latest_by = "pk"

    def __str__(self) -> str:
        return f"import of {self.finished_at:%Y-%m-%d %H:%M} ({self.fingerprint[:12]})"


class ConflictStatus(models.TextChoices):
    OPEN = "open", "To decide"
    ACCEPTED = "accepted", "File's value accepted"
    KEPT = "kept", "Editor's value kept"


class ImportConflict(models.Model):
    """A value an editor changed that an import would change too: kept, and listed for editors (issue 23).

    One row per record and field (``seeds.importer.conflicts``): a re-import updates it. An
    editor accepts the file's value (written through the record's service, version checked)
    or keeps their own; a kept one stays kept while the import says the same thing.
    """

    model = models.CharField(max_length=100, help_text="Model label, e.g. events.event.")
    key = models.CharField(
        max_length=200, help_text="The record's natural key: slug, or ISO code for a country."
    )
    field = models.CharField(max_length=100, help_text="The field, or the child list, e.g. title or parties.")
    editor_value = models.JSONField(null=True, blank=True, help_text="The value stored, an editor's.")
    file_value = models.JSONField(null=True, blank=True, help_text="The value the import file gives.")
    file = models.CharField(max_length=300, help_text="The seed file or dataset the value came from.")
    editor = optional_link(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the record before the import, when the history says.",
    )
    record_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The record's version when the import saw it (if it has one)."
    )
    run_by = models.CharField(max_length=150, blank=True, help_text="The account the import ran as.")
    first_seen = models.DateTimeField(auto_now_add=True, help_text="The import run that first reported it.")
    last_seen = models.DateTimeField(help_text="The last import run that reported it.")
    runs = models.PositiveIntegerField(default=1, help_text="How many import runs reported it.")
    status = models.CharField(max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    decided_by = optional_link(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the editor decided so.")

    class Meta:
        verbose_name = "import conflict"
        ordering = ["status", "-last_seen", "model", "key", "field"]
        constraints = [
            models.UniqueConstraint(fields=["model", "key", "field"], name="seed_conflict_unique"),
        ]
        indexes = [models.Index(fields=["status", "last_seen"], name="seed_conflict_status_idx")]

    def __str__(self) -> str:
        return f"{self.model} {self.key}: {self.field}"
