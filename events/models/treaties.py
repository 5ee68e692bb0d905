"""Treaties, their parties and what they oblige."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5
from django.urls import reverse

from core.fuzzydates import fuzzy_date_fields
from core.history import history, version_field
from core.model_fields import KeyedBySlug, note_field, optional_link
from core.trees import parent_cycle


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


class TreatyType(models.TextChoices):
    """What kind of instrument a treaty is (GGO's TypeAgree vocabulary)."""

    AGREEMENT = "AGREEMENT", "Agreement (treaty, convention)"
    PROTOCOL = "PROTOCOL", "Protocol"
    AMENDMENT = "AMENDMENT", "Amendment"
    EXTENSION = "EXTENSION", "Extension"
    MOU = "MOU", "Memorandum of understanding"
    RESOLUTION = "RESOLUTION", "Resolution"
    REGULATION = "REGULATION", "Regulation"
    REPORT = "REPORT", "Report"


OPEN_END_HELP = (
    "No end: the source says it is still in force (GGO writes 9999-12-31). "
    "Leave the end date empty when this is set."
)


def _open_end_rule(instance: models.Model, *, what: str) -> None:
    """An end date and "no end" contradict each other: refuse both together."""
    if instance.open_ended and instance.ended:  # type: ignore[attr-defined]
        raise ValidationError(
            {"open_ended": ValidationError(f"{what} cannot both end on a date and have no end.", code="open")}
        )


class Treaty(KeyedBySlug, models.Model):
    """An agreement between states (or states and international organisations)."""

    slug = models.SlugField(max_length=160, unique=True)
    name = models.CharField(max_length=600, help_text="Official or best-known full name.")
    short_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Short descriptive name, e.g. 'Russia–North Korea mutual-defence treaty'.",
    )
    alternative_name = models.CharField(
        max_length=600, blank=True, help_text="Another official title, e.g. in the parties' own wording."
    )
    treaty_type = models.CharField(
        "type", max_length=12, choices=TreatyType.choices, blank=True, help_text="Empty when unknown."
    )
    domain = models.CharField(
        max_length=40, blank=True, help_text="Policy field, e.g. Environment, Trade, Health."
    )
    subject = models.CharField(max_length=100, blank=True, help_text="e.g. Fishing, Nuclear Safety.")
    ambit = models.CharField(max_length=20, blank=True, help_text="Bilateral, Multilateral, Regional…")
    parent = optional_link(
        "self",
        on_delete=models.SET_NULL,
        related_name="amendments",
        help_text="The treaty this one amends, extends or is a protocol to.",
    )
    signed, signed_earliest, signed_latest = fuzzy_date_fields("signed")
    in_force, in_force_earliest, in_force_latest = fuzzy_date_fields("in force")
    ended, ended_earliest, ended_latest = fuzzy_date_fields("ended")
    open_ended = models.BooleanField("no end", default=False, help_text=OPEN_END_HELP)
    note = note_field()
    version = version_field()

    history = history()

    class Meta:
        verbose_name_plural = "treaties"
        ordering = ["signed_earliest", "name"]
        indexes = [
            models.Index(fields=["signed_earliest", "signed_latest"], name="treaty_signed_idx"),
            models.Index(fields=["treaty_type", "signed_earliest"], name="treaty_type_idx"),
            models.Index(fields=["domain", "signed_earliest"], name="treaty_domain_idx"),
            # "in force on a day": entered into force by then, not ended before.
            models.Index(fields=["in_force_latest", "ended_earliest"], name="treaty_in_force_idx"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("treaty", args=[self.slug])

    def clean(self) -> None:
        _open_end_rule(self, what="A treaty")
        if self.parent_id is not None and self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "A treaty cannot amend itself."})

    def validate_constraints(self, exclude: Any = None) -> None:
        # The cycle check reads the stored parents, so it runs with the checks that query
        # (uniqueness, constraints): every single-record write (admin, API, services) runs
        # them; a batch import checks its whole plan with the same rule first.
        super().validate_constraints(exclude=exclude)
        if exclude and "parent" in exclude:
            return
        self.check_amendment_cycle()

    def check_amendment_cycle(self) -> None:
        """Refuse a parent that already amends this treaty, directly or through others."""
        if self.parent_id is None or self.pk is None or self.parent_id == self.pk:
            return  # a new treaty amends nothing that amends it; self-amendment is clean()'s
        stored = Treaty._base_manager.values_list("parent_id", flat=True)

        def parent_of(pk: Any) -> Any:
            return self.parent_id if pk == self.pk else stored.filter(pk=pk).first()

        if (chain := parent_cycle(self.pk, parent_of)) is None:
            return
        slugs = dict(Treaty._base_manager.filter(pk__in=chain).values_list("pk", "slug"))
        slugs[self.pk] = self.slug
        path = " → ".join(slugs[pk] for pk in chain)
        raise ValidationError(
            {"parent": ValidationError(f"A treaty cannot amend itself through others: {path}.", code="cycle")}
        )


class TreatyParty(models.Model):
    """A party to a treaty, with who signed for it and its own steps: signed, ratified, in force, ended."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="parties")
    country = optional_link(
        "places.Country",
        related_name="treaty_parties",
        help_text="The state party (a current or former state); empty when the party is an organisation.",
    )
    organization = optional_link(
        "people.Organization",
        related_name="treaty_parties",
        help_text="An international organisation party (EURATOM, the IAEA...); empty for a state.",
    )
    signatory = optional_link("people.Person", related_name="treaties_signed")
    signed, signed_earliest, signed_latest = fuzzy_date_fields("signed")
    # Ratification, accession, acceptance or approval: when it consented to be bound.
    ratified, ratified_earliest, ratified_latest = fuzzy_date_fields("ratified")
    in_force, in_force_earliest, in_force_latest = fuzzy_date_fields("in force")
    # When the treaty stopped binding this party (withdrawal, termination, the treaty's end).
    ended, ended_earliest, ended_latest = fuzzy_date_fields("ended")
    open_ended = models.BooleanField("no end", default=False, help_text=OPEN_END_HELP)
    source_code = models.CharField(
        max_length=100,
        blank=True,
        help_text="The party's code in the dataset it came from, as written there (GGO stateID: RUS), "
        "even when the party is recorded as another state of the era (the Soviet Union).",
    )
    note = note_field()

    history = history()

    class Meta:
        verbose_name_plural = "treaty parties"
        ordering = ["treaty", "country__code"]
        constraints = [
            # One constraint per kind of party: NULLs are distinct in SQL, so one over both
            # columns would let a repeated party through. Each condition names the other column
            # NULL, so together they enforce the identity (country, organization) that
            # events.relations declares (core.E001).
            models.UniqueConstraint(
                fields=["treaty", "country"],
                condition=Q(country__isnull=False, organization__isnull=True),
                name="treaty_party_unique",
                violation_error_message="This country is already a party to this treaty.",
            ),
            models.UniqueConstraint(
                fields=["treaty", "organization"],
                condition=Q(country__isnull=True, organization__isnull=False),
                name="treaty_party_organization_unique",
                violation_error_message="This organisation is already a party to this treaty.",
            ),
            models.CheckConstraint(
                condition=Q(country__isnull=False, organization__isnull=True)
                | Q(country__isnull=True, organization__isnull=False),
                name="treaty_party_one_party",
                violation_error_message="A party is a country or an organisation: exactly one of them.",
            ),
        ]
        indexes = [
            # The parties filter (EXISTS per listed country) and a country's treaty list.
            models.Index(fields=["country", "treaty"], name="treatyparty_country_idx"),
            # A country's steps in a window: "which treaties did Poland ratify in 1997?"
            models.Index(fields=["country", "ratified_earliest"], name="treatyparty_ratified_idx"),
            models.Index(fields=["country", "signed_earliest"], name="treatyparty_signed_idx"),
            models.Index(fields=["organization", "treaty"], name="treatyparty_organization_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.country or self.organization} — {self.treaty}"

    def clean(self) -> None:
        _open_end_rule(self, what="A party")
        if (self.country_id is None) == (self.organization_id is None):
            raise ValidationError(
                {"country": "A party is a country or an organisation: give exactly one of them."}
            )


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
        # The identity events.relations declares; a summary may outgrow a btree entry on
        # PostgreSQL, so its MD5 stands in.
        constraints = [
            models.UniqueConstraint(
                F("treaty"),
                F("kind"),
                F("article"),
                MD5("summary"),
                name="treaty_provision_unique",
                violation_error_message="This entry repeats an earlier one.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{f' ({self.article})' if self.article else ''}"
