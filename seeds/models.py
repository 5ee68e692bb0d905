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
