"""Treaties, their parties and what they oblige."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from core.fuzzydates import fuzzy_date_fields
from core.history import history


class ProvisionKind(models.TextChoices):
    """Obligation types; the first five follow the ATOP alliance data."""

    MUTUAL_DEFENSE = "MUTUAL_DEFENSE", "Mutual defence (ATOP: defense)"
    OFFENSE = "OFFENSE", "Offense"
    NON_AGGRESSION = "NON_AGGRESSION", "Non-aggression"
    NEUTRALITY = "NEUTRALITY", "Neutrality"
    CONSULTATION = "CONSULTATION", "Consultation"
    ECONOMIC = "ECONOMIC", "Economic"
    CULTURAL = "CULTURAL", "Cultural"
    OTHER = "OTHER", "Other"


class Treaty(models.Model):
    """An agreement between states."""

    slug = models.SlugField(max_length=160, unique=True)
    name = models.CharField(max_length=400, help_text="Official or best-known full name.")
    short_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Short descriptive name, e.g. 'Russia–North Korea mutual-defence treaty'.",
    )
    signed, signed_earliest, signed_latest = fuzzy_date_fields("signed")
    in_force, in_force_earliest, in_force_latest = fuzzy_date_fields("in force")
    note = models.TextField(blank=True, help_text="Editorial note: what was inferred, and from what.")
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts the edits of this record (its fields or its lists); a stale write is refused.",
    )

    history = history()

    class Meta:
        verbose_name_plural = "treaties"
        ordering = ["signed_earliest", "name"]
        indexes = [models.Index(fields=["signed_earliest", "signed_latest"], name="treaty_signed_idx")]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("treaty", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TreatyParty(models.Model):
    """A state party to a treaty, with who signed for it and when."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="parties")
    country = models.ForeignKey("places.Country", on_delete=models.PROTECT, related_name="treaty_parties")
    signatory = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="treaties_signed",
    )
    signed, signed_earliest, signed_latest = fuzzy_date_fields("signed")
    ratified, ratified_earliest, ratified_latest = fuzzy_date_fields("ratified")

    history = history()

    class Meta:
        verbose_name_plural = "treaty parties"
        ordering = ["treaty", "country__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "country"],
                name="treaty_party_unique",
                violation_error_message="This country is already a party to this treaty.",
            )
        ]
        indexes = [models.Index(fields=["country", "treaty"], name="treatyparty_country_idx")]

    def __str__(self) -> str:
        return f"{self.country} — {self.treaty}"


class TreatyProvision(models.Model):
    """One obligation a treaty sets out."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="provisions")
    kind = models.CharField(max_length=16, choices=ProvisionKind.choices)
    article = models.CharField(
        max_length=60, blank=True, help_text="Article or clause where known, e.g. 'Article 4'."
    )
    summary = models.TextField()

    history = history()

    class Meta:
        ordering = ["treaty", "pk"]
        indexes = [models.Index(fields=["kind", "treaty"], name="treatyprovision_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{f' ({self.article})' if self.article else ''}"
