"""Events, who took part, where they happened, and what backs them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5
from django.urls import reverse

from core.fuzzydates import fuzzy_date_fields
from core.history import history, version_field
from core.model_fields import KeyedBySlug, note_field, optional_link


class EventKind(models.TextChoices):
    VISIT = "VISIT", "Visit"
    MEETING = "MEETING", "Meeting"
    TREATY = "TREATY", "Treaty"
    STATEMENT = "STATEMENT", "Statement"
    MILITARY = "MILITARY", "Military"
    TERRITORIAL_CONTROL = "TERRITORIAL_CONTROL", "Territorial control"
    HUMANITARIAN = "HUMANITARIAN", "Humanitarian"
    CULTURAL = "CULTURAL", "Cultural"
    # Relations between two states (the Office of the Historian's guide, hsg-rdcr).
    RECOGNITION = "RECOGNITION", "Recognition"
    RELATIONS_ESTABLISHED = "RELATIONS_ESTABLISHED", "Diplomatic relations established"
    RELATIONS_SEVERED = "RELATIONS_SEVERED", "Diplomatic relations severed or suspended"
    RELATIONS_RESUMED = "RELATIONS_RESUMED", "Diplomatic relations re-established"
    EMBASSY_ELEVATION = "EMBASSY_ELEVATION", "Legation raised to embassy"
    CONSULAR_RELATIONS = "CONSULAR_RELATIONS", "Consular relations"
    DIPLOMATIC_MISSION = "DIPLOMATIC_MISSION", "Diplomatic mission (opened, closed, raised)"
    # The Department of State's own history (hsg-administrative-timeline): offices created,
    # renamed or abolished, pay scales, buildings; none of the kinds above is an act between states.
    ADMINISTRATIVE = "ADMINISTRATIVE", "Departmental administration"
    # A narrative article spanning years (hsg-milestones): a war, a treaty and its aftermath, a
    # doctrine; one kind, not a guess among the others from the article's words.
    MILESTONE = "MILESTONE", "Milestone in foreign relations (narrative)"
    OTHER = "OTHER", "Other"


class EventStatus(models.TextChoices):
    """How far the database vouches for an event."""

    CONFIRMED = "CONFIRMED", "Confirmed (more than one independent source)"
    REPORTED = "REPORTED", "Reported as fact by a source"
    CLAIMED = "CLAIMED", "Claimed by a party, not independently verified"
    DISPUTED = "DISPUTED", "Disputed by another party or source"
    DENIED = "DENIED", "Denied or retracted"


class ParticipantRole(models.TextChoices):
    VISITOR = "VISITOR", "Visitor"
    HOST = "HOST", "Host"
    SIGNATORY = "SIGNATORY", "Signatory"
    PARTY = "PARTY", "Party"
    SPEAKER = "SPEAKER", "Speaker"
    CLAIMANT = "CLAIMANT", "Claimant"
    SUBJECT = "SUBJECT", "Subject"
    PARTICIPANT = "PARTICIPANT", "Participant"


# The message of every child-row identity constraint (core.relations.identity_problems).
REPEATED = "This entry repeats an earlier one."

# A timeline: earliest day, then latest day, then title, oldest first. Open ends are
# stored as extreme days (core.fuzzydates), so this plain order needs no NULLS clause
# and event_timeline_idx serves it, and keyset paging over it, on every database.
TIMELINE_ORDER = ("date_earliest", "date_latest", "title", "pk")


class EventQuerySet(models.QuerySet["Event"]):
    def timeline_order(self) -> EventQuerySet:
        """Order as a timeline: earliest day, then latest day, then title, oldest first."""
        return self.order_by(*TIMELINE_ORDER)


class Event(KeyedBySlug, models.Model):
    """Something that happened, or is said to have happened, on a (fuzzy) date."""

    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    date, date_earliest, date_latest = fuzzy_date_fields("date", required=True)
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.REPORTED)
    treaty = optional_link(
        "events.Treaty",
        on_delete=models.SET_NULL,
        related_name="events",
        help_text="Set when the event is a step in a treaty's life (signing, ratification...).",
    )
    countries = models.ManyToManyField(
        "places.Country", through="EventCountry", related_name="events", blank=True
    )
    regions = models.ManyToManyField(
        "places.Region", through="EventRegion", related_name="events", blank=True
    )
    note = note_field()
    version = version_field()

    # hevent_id_date_idx serves every read by id (a record's rows, as-of reads, the close of
    # superseded rows): the id copy's own index would only double it.
    history = history(
        no_db_index=["id"],
        indexes=[
            # An as-of timeline (events.asof_timeline) walks the historical rows in timeline
            # order and keeps those current at its moment: the same walk as event_timeline_idx.
            models.Index(fields=["date_earliest", "date_latest", "title", "id"], name="hevent_timeline_idx"),
            # An event's rows in date order: what core.history.close_superseded reads when an edit
            # supersedes them, the feeds' first and last date of an event, and any read by id.
            models.Index(fields=["id", "history_date"], name="hevent_id_date_idx"),
            # The Atom feeds' walk, newest edit first (events.feeds.feed_events): in the feed's
            # order, deletions left out, so the walk never steps over a clean-up's rows.
            models.Index(
                fields=["history_date", "id"],
                name="hevent_edited_idx",
                condition=~models.Q(history_type="-"),
            ),
        ],
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = TIMELINE_ORDER
        indexes = [
            # Timeline order and keyset paging walk this index.
            models.Index(fields=["date_earliest", "date_latest", "title", "id"], name="event_timeline_idx"),
            # Overlap filters: latest >= window start.
            models.Index(fields=["date_latest"], name="event_date_latest_idx"),
            models.Index(fields=["kind", "date_earliest"], name="event_kind_idx"),
            models.Index(fields=["status", "date_earliest"], name="event_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public page (the admin's "View on site" links to it)."""
        return reverse("event", args=[self.slug])


class EventCountry(models.Model):
    """A country an event happened in."""

    # Both lookups are served by the composite unique constraint and index below.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="country_links", db_index=False)
    country = models.ForeignKey("places.Country", on_delete=models.PROTECT, related_name="+", db_index=False)

    history = history()

    class Meta:
        verbose_name = "country"
        constraints = [models.UniqueConstraint(fields=["event", "country"], name="event_country_unique")]
        indexes = [models.Index(fields=["country", "event"], name="eventcountry_country_idx")]

    def __str__(self) -> str:
        return f"{self.event} in {self.country}"


class EventRegion(models.Model):
    """A region an event happened in."""

    # Both lookups are served by the composite unique constraint and index below.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="region_links", db_index=False)
    region = models.ForeignKey("places.Region", on_delete=models.PROTECT, related_name="+", db_index=False)

    history = history()

    class Meta:
        verbose_name = "region"
        constraints = [models.UniqueConstraint(fields=["event", "region"], name="event_region_unique")]
        indexes = [models.Index(fields=["region", "event"], name="eventregion_region_idx")]

    def __str__(self) -> str:
        return f"{self.event} in {self.region}"


class Participation(models.Model):
    """Who took part in an event, and as what. The actor is a person, a country, or both."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices)
    # participation_person_idx (person, event) and participation_country_idx serve the lookups.
    person = optional_link("people.Person", related_name="participations", db_index=False)
    country = optional_link(
        "places.Country",
        related_name="participations",
        db_index=False,
        help_text="The country acting, or the one the person acts for.",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who or what exactly, where narrower than the country, e.g. 'defence ministry'.",
    )

    history = history()

    class Meta:
        ordering = ["event", "pk"]
        # One row per (role, person, country) on an event, the identity events.relations
        # declares (issue 8). NULLs are distinct in a plain unique index, and SQLite has no
        # NULLS NOT DISTINCT, so each way an actor may be missing gets a partial index.
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(country__isnull=False),
                name="participation_has_actor",
                violation_error_message="A participant is a person, a country, or both.",
            ),
            models.UniqueConstraint(
                fields=["event", "role", "person", "country"],
                condition=Q(person__isnull=False, country__isnull=False),
                name="participation_unique",
                violation_error_message=REPEATED,
            ),
            models.UniqueConstraint(
                fields=["event", "role", "person"],
                condition=Q(person__isnull=False, country__isnull=True),
                name="participation_unique_person",
                violation_error_message=REPEATED,
            ),
            models.UniqueConstraint(
                fields=["event", "role", "country"],
                condition=Q(person__isnull=True, country__isnull=False),
                name="participation_unique_country",
                violation_error_message=REPEATED,
            ),
        ]
        indexes = [
            models.Index(fields=["person", "event"], name="participation_person_idx"),
            models.Index(fields=["country", "event"], name="participation_country_idx"),
        ]

    def __str__(self) -> str:
        actor = self.person or self.country
        return f"{actor} ({self.get_role_display()})"


class QuoteRule:
    """The one rule for a citation's quote, on every surface (admin, API, import).

    A source with a text must be cited with the exact words relied on; a quote
    must occur verbatim in that text; a source without a text cannot back a
    quote, since nobody could check it.
    """

    NOT_FOUND = "quote does not occur verbatim in the text of source {source!r} (value {value!r})"
    REQUIRED = "source {source!r} has a text: cite the exact words relied on"
    UNCHECKABLE = "source {source!r} has no text to check the quote against (value {value!r})"

    @classmethod
    def problem(cls, *, source: str, text: str, quote: str) -> str | None:
        """Return what is wrong with citing ``quote`` from a source with ``text``, or None."""
        shown = quote if len(quote) <= 80 else quote[:79] + "…"
        if text and not quote:
            return cls.REQUIRED.format(source=source)
        if quote and not text:
            return cls.UNCHECKABLE.format(source=source, value=shown)
        if quote not in text:
            return cls.NOT_FOUND.format(source=source, value=shown)
        return None


class Citation(models.Model):
    """A source backing an event, a treaty or a role, with the exact words relied on."""

    source = models.ForeignKey("events.Source", on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(blank=True, help_text="Verbatim span of the source text, copied exactly.")
    locator = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where in the source: for a dataset its file and record id, e.g. "
        "'hsg-visits data/2010.xml #2972'.",
    )
    # Exactly one of the three is set (citation_backs_one_record).
    event = optional_link(Event, on_delete=models.CASCADE, related_name="citations")
    treaty = optional_link("events.Treaty", on_delete=models.CASCADE, related_name="citations")
    role = optional_link("people.Role", on_delete=models.CASCADE, related_name="citations")

    # No read looks a historical citation up by its source (as-of reads show the source as it
    # is now, from the live table): its copy carries no index.
    history = history(no_db_index=["source"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(event__isnull=False, treaty__isnull=True, role__isnull=True)
                    | Q(event__isnull=True, treaty__isnull=False, role__isnull=True)
                    | Q(event__isnull=True, treaty__isnull=True, role__isnull=False)
                ),
                name="citation_backs_one_record",
                violation_error_message="A citation backs exactly one event, treaty or role.",
            ),
            # One citation per (source, quote, locator) on a record (events.relations): one dataset
            # backs a record with several of its own records. A quote may be
            # 5,000 characters, past a btree entry's size on PostgreSQL: its MD5 stands in.
            *(
                models.UniqueConstraint(
                    F(parent),
                    F("source"),
                    MD5("quote"),
                    F("locator"),
                    condition=Q(**{f"{parent}__isnull": False}),
                    name=f"citation_unique_{parent}",
                    violation_error_message=REPEATED,
                )
                for parent in ("event", "treaty", "role")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.quote[:60]}" if self.quote else str(self.source)

    def clean(self) -> None:
        if self.source_id is None:
            return
        source = self.source
        if problem := QuoteRule.problem(source=source.slug, text=source.text, quote=self.quote or ""):
            raise ValidationError({"quote": ValidationError(problem, code="quote")})
