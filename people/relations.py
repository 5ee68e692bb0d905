"""The child rows of people and their roles (see ``core.relations``)."""

from core.relations import ChildRelation, register

ROLES = ChildRelation(
    "roles",
    "people.person",
    "people.role",
    "person",
    ("title", "country", "post_country", "post_organization", "start"),
)
IDENTIFIERS = ChildRelation(
    "identifiers", "people.person", "people.identifier", "person", ("scheme", "value")
)
# The locator is identity: one dataset backs a record with several of its own records.
ROLE_CITATIONS = ChildRelation(
    "citations", "people.role", "events.citation", "role", ("source", "quote", "locator")
)

register(ROLES, IDENTIFIERS, ROLE_CITATIONS)
