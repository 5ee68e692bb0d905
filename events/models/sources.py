"""Where facts come from."""

from django.db import models

from core.fuzzydates import fuzzy_date_fields
from core.history import history
from core.model_fields import KeyedBySlug, note_field


class Source(KeyedBySlug, models.Model):
    """A document facts are taken from: an article, a communiqué, a treaty text."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    commit = models.CharField(
        max_length=64, blank=True, help_text="For a dataset: the version (git commit) the copy was taken at."
    )
    licence = models.CharField(max_length=200, blank=True, help_text="e.g. CC0 1.0, CC BY 4.0.")
    licence_url = models.URLField("licence URL", max_length=500, blank=True)
    attribution = models.TextField(
        blank=True, help_text="The credit the licence asks for, as it should be shown."
    )
    published_on, published_on_earliest, published_on_latest = fuzzy_date_fields("published on")
    text = models.TextField(
        "full text",
        blank=True,
        help_text="The source's text exactly as received; quotes citing it must occur in it.",
    )
    note = note_field("Editorial note on the source itself.")

    history = history()

    # Read by core.asof when it rebuilds lists from history: a dataset's full text can be
    # megabytes, and no list shows it.
    deferred_in_lists = ("text",)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
