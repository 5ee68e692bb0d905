"""Bundled datasets (seeds/data/): each adapter registered here is part of every default ``import_seeds``.

They load in registration order (when two datasets describe one person, the first one's name
leads: hsg-pocom's structured names).
"""

from seeds.datasets.base import register
from seeds.datasets.ggo.adapter import GGOAdapter
from seeds.datasets.hsg.milestones import Milestones
from seeds.datasets.hsg.pocom import Pocom
from seeds.datasets.hsg.timeline import Timeline
from seeds.datasets.hsg.travels import Travels
from seeds.datasets.hsg.visits import Visits
from seeds.datasets.rdcr.adapter import RDCRAdapter

register(Pocom())
register(Travels())
register(Visits())
register(GGOAdapter())
register(RDCRAdapter())
register(Timeline())
register(Milestones())
