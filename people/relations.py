"""The child rows of people and their roles (see ``core.relations``)."""

from core.relations import ChildRelation, register

ROLES = ChildRelation("roles", "people.person", "people.role", "person", ("title", "country", "start"))
ROLE_CITATIONS = ChildRelation("citations", "people.role", "events.citation", "role", ("source", "quote"))

register(ROLES, ROLE_CITATIONS)
