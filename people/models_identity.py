"""Who is who: pairs of person records that may be one real person, and the editors' decisions on them.

A ``PersonCandidate`` is a pair the importer proposed (or an editor found), with
the evidence and the rule that scored it; an editor merges it or marks it
distinct, and that decision outlives every re-import. A ``PersonMerge`` records
one merge: the slug merged away keeps answering for the survivor, and what the
merge moved is kept so it can be split again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q

from core.history import history


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Open"
    MERGED = "merged", "Merged"
    DISTINCT = "distinct", "Not the same person"


class PersonCandidate(models.Model):
    """Two person records that may be one real person, and what an editor decided.

    The pair is kept by slug too (``slug_a`` < ``slug_b``): a decision outlives the
    record merged away, and the importer and the seed files name people by slug.
    """

    person_a = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_b = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    slug_a = models.SlugField(max_length=120)
    slug_b = models.SlugField(max_length=120)
    score = models.FloatField(null=True, blank=True, help_text="The rule's score, 0 to 1.")
    rule = models.CharField(max_length=200, blank=True, help_text="The rule that proposed the pair.")
    evidence = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the editor decided so.")

    history = history()

    class Meta:
        ordering = ["status", "-score", "slug_a", "slug_b"]
        verbose_name = "possible duplicate"
        constraints = [
            models.UniqueConstraint(fields=["slug_a", "slug_b"], name="person_candidate_unique"),
            # One order per pair, so (a, b) and (b, a) cannot both be stored.
            models.CheckConstraint(condition=Q(slug_a__lt=F("slug_b")), name="person_candidate_ordered"),
        ]
        indexes = [models.Index(fields=["status", "score"], name="person_candidate_status_idx")]

    def __str__(self) -> str:
        return f"{self.slug_a} / {self.slug_b}"


class PersonMerge(models.Model):
    """One merge: ``merged_slug`` now names ``survivor``; ``moved`` says what to give back on a split."""

    survivor = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="merges")
    merged_slug = models.SlugField(max_length=120, unique=True, help_text="The slug merged away.")
    merged_pk = models.PositiveIntegerField(
        null=True, blank=True, help_text="The id the merged record had (none when read from seed files)."
    )
    merged_name = models.CharField(max_length=200)
    # {"participations": [pk…], "visits": […], "roles": […], "identifiers": […],
    #  "treaty_parties": […], "merges": […], "aliases": [text…], "filled": [field…]}
    moved = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    edit = models.UUIDField(help_text="The id of the edit that merged: its history holds what it deleted.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    history = history()

    class Meta:
        ordering = ["-decided_at", "merged_slug"]
        verbose_name = "merge of people"
        verbose_name_plural = "merges of people"

    def __str__(self) -> str:
        return f"{self.merged_slug} → {self.survivor.slug}"
