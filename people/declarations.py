"""What an editor may write on people, their roles and organisations (see ``core.declarations``)."""

from core.declarations import Editable
from events.models import QuoteRule
from people.models import Role
from people.relations import IDENTIFIERS, ROLE_CITATIONS, ROLES

PERSON = Editable(
    "people.person",
    fields=("slug", "name", "aliases", "wikidata_id", "nationality", "born", "died", "note"),
    children=(ROLES, IDENTIFIERS),
)
ROLE = Editable(
    "people.role",
    fields=(
        "person",
        "title",
        "country",
        "post_country",
        "post_organization",
        "start",
        "end",
        "ongoing",
        "outcome",
        "note",
    ),
    children=(ROLE_CITATIONS,),
    rules=(Role.clean, QuoteRule.problem),
)
ORGANIZATION = Editable(
    "people.organization",
    fields=("slug", "name", "abbreviation", "classification", "founded", "dissolved", "aliases", "note"),
)

DECLARED = (PERSON, ROLE, ORGANIZATION)
