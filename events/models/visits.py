"""Visits: an event in which a person travels to another country."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from core.history import history, version_field
from core.model_fields import KeyedBySlug, note_field


class VisitKind(models.TextChoices):
    STATE = "STATE", "State visit"
    OFFICIAL = "OFFICIAL", "Official visit"
    WORKING = "WORKING", "Working visit"
    PRIVATE = "PRIVATE", "Private visit"
    UNSPECIFIED = "UNSPECIFIED", "Unspecified"


class Visit(KeyedBySlug, models.Model):
    """A person's visit to a host country; its date and sources live on its event."""

    slug = models.SlugField(max_length=160, unique=True)
    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="visit")
    kind = models.CharField(max_length=12, choices=VisitKind.choices, default=VisitKind.UNSPECIFIED)
    # Both lookups are served by the composite indexes in Meta.
    visitor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="visits", db_index=False
    )
    host_country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, related_name="hosted_visits", db_index=False
    )
    destinations = models.ManyToManyField(
        "places.Region", through="VisitDestination", related_name="visits", blank=True
    )
    delegation_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Size of the accompanying delegation where the source gives it.",
    )
    purpose = models.TextField(blank=True)
    note = note_field()
    version = version_field()
    # The event's dates, copied by the database on every write (events.visit_dates), so that a
    # visitor's or a host's visits come in date order from one index (issue 25). Empty only on
    # SQLite, between a visit's INSERT and the trigger that fills it.
    event_date_earliest = models.DateField(
        "event's earliest day", null=True, editable=False, help_text="Copied from its event."
    )
    event_date_latest = models.DateField(
        "event's latest day", null=True, editable=False, help_text="Copied from its event."
    )

    # The copy is derived from the event's own history: not kept twice.
    history = history(excluded_fields=["event_date_earliest", "event_date_latest"])

    class Meta:
        ordering = ["event_date_earliest", "event_date_latest", "slug"]
        indexes = [
            # A visitor's or a host's visits, a page at a time in VISIT_ORDER (events.selectors).
            models.Index(
                fields=["visitor", "event_date_earliest", "event_date_latest", "slug", "id"],
                name="visit_visitor_date_idx",
            ),
            models.Index(
                fields=["host_country", "event_date_earliest", "event_date_latest", "slug", "id"],
                name="visit_host_date_idx",
            ),
            # A busy country's timeline walk probes each event for a visit it hosted.
            models.Index(fields=["host_country", "event"], name="visit_host_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} in {self.host_country.name}"

    def get_absolute_url(self) -> str:
        return reverse("event", args=[self.event.slug])


class VisitDestination(models.Model):
    """A region a visit went to (a city, an oblast)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="destination_links")
    region = models.ForeignKey("places.Region", on_delete=models.PROTECT, related_name="+")

    history = history()

    class Meta:
        verbose_name = "destination"
        constraints = [models.UniqueConstraint(fields=["visit", "region"], name="visit_destination_unique")]

    def __str__(self) -> str:
        return str(self.region)
