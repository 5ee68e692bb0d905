"""What the seed import last wrote, per record it owns: the baseline that tells an editor's change apart."""

from __future__ import annotations

from django.db import models


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
