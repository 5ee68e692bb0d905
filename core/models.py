"""What the core app stores itself: the data version that response caches key on, and the changes log."""

from django.conf import settings
from django.db import models


class DataVersion(models.Model):
    """One row whose ``version`` changes in the same transaction as every write to the data.

    Database triggers bump it (core/dataversion.py), so every write path counts — services,
    admin, imports, ``QuerySet.update()``, bulk inserts, raw SQL and COPY alike — and a reader
    sees a new version exactly when it can see the new data.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"data version {self.version}"


class Change(models.Model):
    """One edit of one public record, as the ``changes`` feed serves it (core/changelog.py).

    Written by the one write path (``core.edits.edit``) just before its transaction commits,
    while it holds the data-version row's lock: ids are therefore handed out in commit order,
    and a reader that has seen id N has already seen every change that will ever have an id
    below N. That is what makes "every row after my cursor" exact under racing writes.
    """

    edit = models.UUIDField(help_text="The write (admin save, mutation, import run) it belongs to.")
    at = models.DateTimeField(help_text="When the edit wrote the record.")
    kind = models.CharField(max_length=8)  # CREATED, CHANGED or DELETED (core.revisions)
    model = models.CharField(max_length=16)  # the feed's name for the record's model, e.g. "event"
    object_id = models.BigIntegerField()
    slug = models.CharField(max_length=160, help_text="The record's slug (a country's code) after the edit.")
    previous_slug = models.CharField(max_length=160, blank=True, help_text="Its slug before, when renamed.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=list, help_text="[field, old, new] triples, as revisions show them.")

    class Meta:
        indexes = [
            # "After the cursor" for one model, or one record, is one range scan.
            models.Index(fields=["model", "id"], name="change_model_idx"),
            models.Index(fields=["model", "object_id", "id"], name="change_record_idx"),
            # Which record a slug filter names, under its slug now or one it had.
            models.Index(fields=["slug"], name="change_slug_idx"),
            models.Index(
                fields=["previous_slug"],
                name="change_previous_slug_idx",
                condition=~models.Q(previous_slug=""),
            ),
            # `since`: where to start the id range.
            models.Index(fields=["at", "id"], name="change_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.model} {self.slug}"
