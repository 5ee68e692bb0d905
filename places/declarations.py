"""What an editor may write on countries and regions (see ``core.declarations``)."""

from core.declarations import Editable
from places.models import Country, Region

COUNTRY = Editable(
    "places.country",
    fields=("code", "alpha3", "name", "aliases", "historical", "founded", "dissolved"),
    rules=(Country.clean,),
)
# A region's path is derived from its parent (places.services), never written by an editor.
REGION = Editable(
    "places.region",
    # In the order the admin form shows them (the slug is filled in from the name).
    fields=("name", "slug", "kind", "country", "parent", "iso_code", "aliases", "latitude", "longitude"),
    rules=(Region.clean,),
)

DECLARED = (COUNTRY, REGION)
