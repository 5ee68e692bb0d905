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
    fields=("slug", "name", "kind", "iso_code", "country", "parent", "aliases", "latitude", "longitude"),
    rules=(Region.clean,),
)

DECLARED = (COUNTRY, REGION)
