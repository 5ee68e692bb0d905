"""Accuracy audit: seeded samples of each bundled dataset's raw records, checked through /graphql/.

``python -m audit`` (``make audit``) prints, per dataset, how many sampled records the API
serves fully right and how the others differ. One module per dataset registers its checker
(``audit.base.Checker``); adding a dataset is adding one module to ``CHECKERS`` below.

The package sits outside ``seeds/`` on purpose: the importer fingerprints every file under
``seeds/`` to decide a re-run is "Up to date", and a change to the audit must not re-import.
"""

from __future__ import annotations

import importlib

CHECKERS = ("hsg_pocom", "hsg_travels", "hsg_visits", "ggo", "rdcr", "hsg_timeline", "hsg_milestones")


def load() -> None:
    """Import every checker module, each registering its checker."""
    for module in CHECKERS:
        importlib.import_module(f"audit.{module}")
