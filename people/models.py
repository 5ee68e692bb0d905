"""People and the offices they hold."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.folding import SearchKeyField
from core.fuzzydates import fuzzy_date_fields
from core.history import history, version_field
from core.model_fields import KeyedBySlug, aliases_field, note_field, optional_code, optional_link


class Person(KeyedBySlug, models.Model):
    """Someone who acts in events: visits, signs, speaks, claims."""

    slug = models.SlugField(max_length=120, unique=True, help_text="e.g. andrzej-duda")
    name = models.CharField(max_length=200, help_text="Name as usually written in English.")
    aliases = aliases_field("Other spellings and transliterations, e.g. 'Volodymyr Zelensky'.")
    wikidata_id = optional_code(
        "Wikidata id", max_length=20, pattern=r"^Q[1-9]\d*$", message="A Wikidata item id, e.g. Q11734."
    )
    nationality = optional_link("places.Country", related_name="nationals")
    born, born_earliest, born_latest = fuzzy_date_fields("born")
    died, died_earliest, died_latest = fuzzy_date_fields("died")
    note = note_field()
    version = version_field()
    search_key = SearchKeyField(
        short_forms=True,
        help_text="Every form of the name and aliases folded to lower-case ASCII, with given + family "
        "name without middle names; what name search matches (computed on save).",
    )

    # The search key is derived from name and aliases: history keeps those, not their folding.
    history = history(excluded_fields=["search_key"])

    class Meta:
        verbose_name_plural = "people"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person", args=[self.slug])


class Identifier(models.Model):
    """An id another dataset gives the person (Popolo ``identifiers``), e.g. hsg-pocom pompeo-michael-r."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(
        max_length=40,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9.-]*$", "Lower-case words, e.g. hsg-pocom.")],
        help_text="Who issued the id: the dataset's name, e.g. hsg-pocom.",
    )
    value = models.CharField(max_length=200)

    history = history()

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            # One id names one person: that is what lets two datasets be joined on it.
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class Organization(KeyedBySlug, models.Model):
    """An international organisation (Popolo ``Organization``): UN, NATO, OSCE...

    A record of its own so offices can be held at it (U.S. Representative to
    NATO) and later data can name it as an actor or a treaty party.
    """

    slug = models.SlugField(max_length=120, unique=True, help_text="e.g. nato")
    name = models.CharField(max_length=200, help_text="Name as usually written in English.")
    abbreviation = models.CharField(max_length=40, blank=True, help_text="e.g. NATO, OSCE.")
    classification = models.CharField(
        max_length=60,
        blank=True,
        validators=[RegexValidator(r"^[a-z][a-z -]*$", "Lower-case words, e.g. 'intergovernmental'.")],
        help_text="Free vocabulary, lower case: intergovernmental, supranational, alliance...",
    )
    founded, founded_earliest, founded_latest = fuzzy_date_fields("founded")
    dissolved, dissolved_earliest, dissolved_latest = fuzzy_date_fields("dissolved")
    aliases = aliases_field("Other names, e.g. 'North Atlantic Treaty Organization' in French.")
    note = note_field()

    history = history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleOutcome(models.TextChoices):
    """Whether the office was taken up: a nomination that was not is still a fact worth keeping."""

    SERVED = "SERVED", "Served"
    DECLINED = "DECLINED", "Declined the appointment"
    WITHDRAWN = "WITHDRAWN", "Nomination withdrawn"
    NOT_CONFIRMED = "NOT_CONFIRMED", "Not confirmed (rejected, tabled or not acted upon)"
    NOT_AT_POST = "NOT_AT_POST", "Appointed, did not take up the post"
    DIED = "DIED", "Died before taking up the post"
    NOT_SERVED = "NOT_SERVED", "Nominated or appointed, did not serve (reason not given)"


class RoleQuerySet(models.QuerySet):
    def served(self) -> RoleQuerySet:
        """Return the terms actually held: the one place "held" excludes nominations."""
        return self.filter(outcome=RoleOutcome.SERVED)


# Partial constraints cannot give Django's "… already exists" message themselves.
ROLE_REPEATED = "Role with this Person, Title, Country, Post and Start already exists."


class Role(models.Model):
    """An office a person held over time, e.g. President of Poland until 6 August 2025.

    ``country`` is whose office it is (the United States for a U.S. ambassador);
    ``post_country`` or ``post_organization`` is where it is held (Poland, NATO).
    An empty ``end`` means the end is unknown unless ``ongoing`` says the person
    is still in office: the two are different facts.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, help_text="e.g. President, Minister of Culture.")
    country = optional_link(
        "places.Country",
        related_name="office_holders",
        help_text="Whose office it is, e.g. the United States for a U.S. ambassador.",
    )
    post_country = optional_link(
        "places.Country",
        related_name="posts_held",
        help_text="The country the office is held in or accredited to (Ambassador to Poland).",
    )
    post_organization = optional_link(
        Organization,
        related_name="posts_held",
        help_text="The organisation the office is held at (Representative to NATO).",
    )
    start, start_earliest, start_latest = fuzzy_date_fields("start")
    end, end_earliest, end_latest = fuzzy_date_fields("end")
    ongoing = models.BooleanField(
        "still in office",
        default=False,
        help_text="Tick only when the person still holds the office; an empty end without it means "
        "the end is unknown.",
    )
    outcome = models.CharField(
        max_length=20,
        choices=RoleOutcome.choices,
        default=RoleOutcome.SERVED,
        help_text="Served, or nominated and not served (and why): only served terms count as held.",
    )
    note = note_field()

    objects = RoleQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["person", "start_earliest", "title"]
        # The identity people.relations declares (person, title, country, post, start). Unique
        # indexes treat NULLs as distinct, so there is one partial constraint per combination
        # of the nullable parts: with or without a country, held nowhere, in a country or at
        # an organisation (role_one_post forbids both).
        constraints = [
            *(
                models.UniqueConstraint(
                    fields=["person", "title", *country, *post, "start"],
                    condition=Q(country__isnull=not country)
                    & Q(post_country__isnull=post != ["post_country"])
                    & Q(post_organization__isnull=post != ["post_organization"]),
                    name=f"role_unique_{'country' if country else 'stateless'}_{name}",
                    violation_error_message=ROLE_REPEATED,
                )
                for country in (["country"], [])
                for name, post in (
                    ("nopost", []),
                    ("postcountry", ["post_country"]),
                    ("postorg", ["post_organization"]),
                )
            ),
            models.CheckConstraint(
                condition=Q(post_country__isnull=True) | Q(post_organization__isnull=True),
                name="role_one_post",
                violation_error_message="An office is held in a country or at an organisation, not both.",
            ),
            models.CheckConstraint(
                condition=Q(ongoing=False) | Q(end=""),
                name="role_ongoing_no_end",
                violation_error_message="An office still held has no end date.",
            ),
        ]
        indexes = [
            models.Index(fields=["post_country", "start_earliest"], name="role_post_country_idx"),
            models.Index(fields=["post_organization", "start_earliest"], name="role_post_org_idx"),
            models.Index(fields=["title", "start_earliest"], name="role_title_idx"),
        ]

    def __str__(self) -> str:
        where = f" of {self.country.name}" if self.country_id else ""
        if self.post_country_id:
            where += f" to {self.post_country.name}"
        elif self.post_organization_id:
            where += f" to {self.post_organization.name}"
        return f"{self.title}{where}"

    def clean(self) -> None:
        if self.ongoing and self.end:
            raise ValidationError({"ongoing": "An office still held has no end date: clear one of them."})
        if self.post_country_id and self.post_organization_id:
            raise ValidationError(
                {"post_organization": "An office is held in a country or at an organisation, not both."}
            )


# Identity decisions live in their own module; imported here so Django registers them with the app.
from people.models_identity import CandidateStatus, PersonCandidate, PersonMerge  # noqa: E402, F401
