"""The child rows of events, visits and treaties (see ``core.relations``)."""

from core.relations import ChildRelation, register

PARTICIPANTS = ChildRelation(
    "participants", "events.event", "events.participation", "event", ("role", "person", "country")
)
COUNTRIES = ChildRelation("countries", "events.event", "events.eventcountry", "event", ("country",))
REGIONS = ChildRelation("regions", "events.event", "events.eventregion", "event", ("region",))
EVENT_CITATIONS = ChildRelation(
    "citations", "events.event", "events.citation", "event", ("source", "quote", "locator")
)
DESTINATIONS = ChildRelation("destinations", "events.visit", "events.visitdestination", "visit", ("region",))
PARTIES = ChildRelation(
    "parties", "events.treaty", "events.treatyparty", "treaty", ("country", "organization")
)
# The summary is part of a provision's identity: a treaty may set out two economic
# obligations with no article number (issue 8), and they are two rows.
PROVISIONS = ChildRelation(
    "provisions", "events.treaty", "events.treatyprovision", "treaty", ("kind", "article", "summary")
)
TREATY_CITATIONS = ChildRelation(
    "citations", "events.treaty", "events.citation", "treaty", ("source", "quote", "locator")
)

register(
    PARTICIPANTS, COUNTRIES, REGIONS, EVENT_CITATIONS, DESTINATIONS, PARTIES, PROVISIONS, TREATY_CITATIONS
)
