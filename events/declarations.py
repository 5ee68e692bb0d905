"""What an editor may write on events, visits, treaties, sources and citations (see ``core.declarations``)."""

from core.declarations import Editable
from events.models import Citation, QuoteRule, Treaty, TreatyParty
from events.relations import (
    COUNTRIES,
    DESTINATIONS,
    EVENT_CITATIONS,
    PARTICIPANTS,
    PARTIES,
    PROVISIONS,
    REGIONS,
    TREATY_CITATIONS,
)

EVENT = Editable(
    "events.event",
    # In the order every surface shows them: the admin form, the API's inputs, the seed record.
    fields=("slug", "kind", "title", "date", "summary", "status", "treaty", "note"),
    children=(PARTICIPANTS, COUNTRIES, REGIONS, EVENT_CITATIONS),
    rules=(QuoteRule.problem,),
)
VISIT = Editable(
    "events.visit",
    fields=("slug", "event", "kind", "visitor", "host_country", "delegation_size", "purpose", "note"),
    children=(DESTINATIONS,),
)
TREATY = Editable(
    "events.treaty",
    fields=(
        "slug",
        "name",
        "short_name",
        "alternative_name",
        "treaty_type",
        "domain",
        "subject",
        "ambit",
        "parent",
        "signed",
        "in_force",
        "ended",
        "open_ended",
        "note",
    ),
    children=(PARTIES, PROVISIONS, TREATY_CITATIONS),
    # An end date or no end; no amendment cycle; a party is a country or an organisation.
    rules=(Treaty.clean, Treaty.check_amendment_cycle, TreatyParty.clean, QuoteRule.problem),
)
SOURCE = Editable(
    "events.source",
    fields=(
        "slug",
        "title",
        "publisher",
        "url",
        "commit",
        "licence",
        "licence_url",
        "attribution",
        "published_on",
        "text",
        "note",
    ),
)
# A citation on its own (the admin's citation list): which record it backs is one of its fields.
CITATION = Editable(
    "events.citation",
    fields=("source", "quote", "locator", "event", "treaty", "role"),
    rules=(Citation.clean, QuoteRule.problem),
)

DECLARED = (EVENT, VISIT, TREATY, SOURCE, CITATION)
