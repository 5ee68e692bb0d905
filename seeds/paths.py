"""Where the curated seed files live: ``import_seeds seeds/curated`` imports exactly them.

The folder holds only seed-format files (and the texts they cite); the datasets' raw copies
(``seeds/data/``) and the tables their adapters read (``seeds/datasets/``) live beside the
code that reads them, so a folder given to ``import_seeds`` never needs a special case.
"""

from pathlib import Path

from django.conf import settings

CURATED = Path(settings.BASE_DIR) / "seeds" / "curated"
