"""People and the offices they hold."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.fuzzydates import fuzzy_date_fields
from core.history import history
from core.validators import validate_aliases


class Person(models.Model):
    """Someone who acts in events: visits, signs, speaks, claims."""

    slug = models.SlugField(max_length=120, unique=True, help_text="e.g. andrzej-duda")
    name = models.CharField(max_length=200, help_text="Name as usually written in English.")
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_aliases],
        help_text="Other spellings and transliterations, e.g. 'Volodymyr Zelensky'.",
    )
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9]\d*$", "A Wikidata item id, e.g. Q11734.")],
    )
    nationality = models.ForeignKey(
        "places.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nationals",
    )
    note = models.TextField(blank=True, help_text="Editorial note: what was inferred, and from what.")
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts the edits of this record (its fields or its lists); a stale write is refused.",
    )

    history = history()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


# Partial constraints cannot give Django's "… already exists" message themselves.
ROLE_REPEATED = "Role with this Person, Title, Country and Start already exists."


class Role(models.Model):
    """An office a person held over time, e.g. President of Poland until 6 August 2025."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, help_text="e.g. President, Minister of Culture.")
    country = models.ForeignKey(
        "places.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="office_holders",
    )
    start, start_earliest, start_latest = fuzzy_date_fields("start")
    end, end_earliest, end_latest = fuzzy_date_fields("end")
    note = models.TextField(blank=True, help_text="Editorial note: what was inferred, and from what.")

    history = history()

    class Meta:
        ordering = ["person", "start_earliest", "title"]
        # The identity people.relations declares; a role of no country needs its own
        # partial index, since NULLs are distinct in a unique one.
        constraints = [
            models.UniqueConstraint(
                fields=["person", "title", "country", "start"],
                condition=Q(country__isnull=False),
                name="role_unique_per_start",
                violation_error_message=ROLE_REPEATED,
            ),
            models.UniqueConstraint(
                fields=["person", "title", "start"],
                condition=Q(country__isnull=True),
                name="role_unique_per_start_stateless",
                violation_error_message=ROLE_REPEATED,
            ),
        ]

    def __str__(self) -> str:
        where = f" of {self.country.name}" if self.country_id else ""
        return f"{self.title}{where}"
