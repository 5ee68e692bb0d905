# The bundled datasets every default ``import_seeds`` run loads, in this order (when two
# datasets describe one person, the first one's name leads: hsg-pocom's structured names).
from seeds.datasets.base import register
from seeds.datasets.hsg.pocom import Pocom
from seeds.datasets.hsg.travels import Travels
from seeds.datasets.hsg.visits import Visits

register(Pocom())
register(Travels())
register(Visits())
