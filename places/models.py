"""Countries and the tree of regions below them."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse

from core.folding import SearchKeyField
from core.fuzzydates import fuzzy_date_fields
from core.history import history
from core.model_fields import KeyedBySlug, aliases_field, optional_code, optional_link
from core.trees import parent_cycle
from places.paths import ROOT, path_below, path_ids


class Country(models.Model):
    """A state, keyed by its ISO 3166-1 alpha-2 code, or a former state by a four-letter code.

    Former states (the USSR, Czechoslovakia...) are countries of their own so a
    record can name the state of its era: their ``code`` is the ISO 3166-3
    alpha-4 code where one exists (SUHH), else a project code starting with X
    (XAHU); docs/api.md lists the rule.
    """

    code = models.CharField(
        "code",
        max_length=4,
        unique=True,
        validators=[
            RegexValidator(
                r"^(?:[A-Z]{2}|[A-Z]{4})$",
                "Two upper-case letters (ISO 3166-1 alpha-2, e.g. PL), or four for a former state (SUHH).",
            )
        ],
        help_text="ISO 3166-1 alpha-2, upper case, e.g. PL, KP; a former state: ISO 3166-3 (SUHH) or XAAA.",
    )
    alpha3 = optional_code(
        "ISO 3166-1 alpha-3",
        max_length=3,
        pattern=r"^[A-Z]{3}$",
        message="Three upper-case letters, e.g. POL.",
        help_text="Empty for a former state ISO never coded.",
    )
    historical = models.BooleanField(
        "former state",
        default=False,
        help_text="A state that no longer exists (USSR, Yugoslavia); its code has four letters.",
    )
    founded, founded_earliest, founded_latest = fuzzy_date_fields("founded")
    dissolved, dissolved_earliest, dissolved_latest = fuzzy_date_fields("dissolved")
    name = models.CharField(max_length=200, help_text="Common English name.")
    aliases = aliases_field("Other names it goes by, e.g. official names, 'DPRK'.")

    history = history()

    class Meta:
        verbose_name_plural = "countries"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("country", args=[self.code])

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def clean(self) -> None:
        self.code = (self.code or "").upper()
        self.alpha3 = (self.alpha3 or "").upper() or None
        # The code's length says which list it is from, so a client can tell them apart.
        if self.historical != (len(self.code) == 4):
            raise ValidationError(
                {
                    "code": "A former state has a four-letter code (SUHH), a current one an "
                    f"ISO 3166-1 alpha-2 code (value {self.code!r})."
                }
            )


def parent_elsewhere(*, country: Any, parent_country: Any) -> bool:
    """Whether a region's parent lies in another country than the region: refused on every surface.

    The one home of the rule (issue 22): ``Region.clean`` compares country ids, the importer's
    validate step (``seeds.importer.validate``) the ISO codes its files give; each words its own
    message.
    """
    return parent_country != country


class RegionQuerySet(models.QuerySet["Region"]):
    def subtree(self, region: Region) -> RegionQuerySet:
        """Return the region and every region below it, in one indexed query."""
        return self.filter(Q(pk=region.pk) | Q(path__startswith=region.descendant_prefix))


class Region(KeyedBySlug, models.Model):
    """A place inside a country: oblast, city, village... at any depth.

    ``path`` is a materialized path of ancestor ids ("/12/40/"), maintained on
    save, so "this region or anything below it" is one indexed prefix match
    (``LIKE '/12/40/57/%'``) instead of a walk up and down the tree.
    """

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=40,
        help_text="Free vocabulary, lower case: oblast, city, village, province...",
        validators=[RegexValidator(r"^[a-z][a-z -]*$", "Lower-case words, e.g. 'oblast'.")],
    )
    iso_code = optional_code(
        "ISO 3166-2 code",
        max_length=6,
        pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        message="e.g. UA-14.",
        help_text="ISO 3166-2 where one exists, e.g. UA-14 (Donetsk oblast).",
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    parent = optional_link(
        "self",
        related_name="children",
        help_text="The region this one lies in; empty for a top-level region.",
    )
    path = models.CharField(max_length=255, editable=False, default="/", db_index=True)
    aliases = aliases_field()
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    search_key = SearchKeyField(
        help_text="Name and aliases folded to lower-case ASCII: what region search matches "
        "(computed on save).",
    )

    # The path and the search key are derived; their rewrites are not editorial changes.
    history = history(excluded_fields=["path", "search_key"])

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.clean()  # a cycle must never reach the database, whoever saves
        old_prefix = None
        if self.pk is not None:
            old = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            old_prefix = path_below(old, self.pk) if old is not None else None
        # Read the parent's path afresh: a cached parent may have moved since.
        parent = Region.objects.only("path").get(pk=self.parent_id) if self.parent_id else None
        self.path = Region.path_under(parent)
        super().save(*args, **kwargs)
        if old_prefix and old_prefix != self.descendant_prefix:
            self._move_descendants(old_prefix)

    def get_absolute_url(self) -> str:
        return reverse("region", args=[self.slug])

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.pk is not None:
            # The parents above the new parent are read from its path: no query per level.
            parent = self.parent
            chain = [self.pk, parent.pk, *parent.ancestor_ids()]
            parent_of: dict[int, int] = {}
            for pk, above in pairwise(chain):
                parent_of.setdefault(pk, above)
            if parent_cycle(self.pk, parent_of.get) is not None:
                raise ValidationError(
                    {"parent": f"{parent} lies below {self}: a region cannot be its own ancestor."}
                )
        if self.country_id and parent_elsewhere(
            country=self.country_id, parent_country=self.parent.country_id
        ):
            raise ValidationError({"parent": f"{self.parent} is in another country than {self.country}."})

    @staticmethod
    def path_under(parent: Region | None) -> str:
        """The path of a region placed under ``parent`` (None: top level)."""
        return ROOT if parent is None else parent.descendant_prefix

    @property
    def descendant_prefix(self) -> str:
        """Path prefix shared by every region below this one."""
        return path_below(self.path, self.pk)

    def ancestor_ids(self) -> list[int]:
        """Ids from the nearest ancestor up to the top-level region."""
        return path_ids(self.path)[::-1]

    def _move_descendants(self, old_prefix: str) -> None:
        # A move rewrites the derived path of the whole subtree in one UPDATE.
        Region.objects.filter(path__startswith=old_prefix).update(
            path=Concat(Value(self.descendant_prefix), Substr("path", len(old_prefix) + 1))
        )
