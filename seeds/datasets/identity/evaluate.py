"""Precision and recall of the import's automatic merges on a hand-labelled set of person pairs.

    python manage.py evaluate_identity [tests/datasets/identity/pairs.yaml]

The labelled set lists pairs of person slugs as the bundled datasets give them (before any
merge), each ``same: true`` or ``false``, checked by hand. A pair the rules merged (the two
slugs end in one person) and labelled the same is a true positive; merged and labelled
different a false positive; labelled the same and left apart a false negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from seeds.datasets.base import DatasetDocument
from seeds.datasets.identity.cluster import NO_DECISIONS, Decisions, Outcome, group
from seeds.datasets.identity.records import profiles, split_collisions
from seeds.paths import CURATED

PAIRS = Path(settings.BASE_DIR) / "tests" / "datasets" / "identity" / "pairs.yaml"
SEEDS = CURATED


def bundled() -> tuple[list[Any], list[DatasetDocument]]:
    """The curated seed files' documents and the bundled people datasets' (hsg) documents."""
    from seeds.datasets.hsg.pocom import Pocom
    from seeds.datasets.hsg.travels import Travels
    from seeds.datasets.hsg.visits import Visits
    from seeds.importer.loader import load

    curated = [load(path)[0] for path in sorted(SEEDS.glob("*.yaml"))]
    datasets = [doc for adapter in (Pocom(), Travels(), Visits()) for doc in adapter.parse().documents]
    return curated, datasets


def grouped(decisions: Decisions = NO_DECISIONS) -> tuple[Outcome, list[DatasetDocument]]:
    """The rules' outcome on the bundled data (id collisions split first, as the import does)."""
    curated, datasets = bundled()
    split_collisions(datasets)
    return group(profiles(curated, datasets), decisions), datasets


@dataclass(frozen=True)
class Score:
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    wrong: list[tuple[str, str, bool]]  # (slug_a, slug_b, labelled same) the rules got wrong

    @property
    def precision(self) -> float:
        merged = self.true_positive + self.false_positive
        return self.true_positive / merged if merged else 1.0

    @property
    def recall(self) -> float:
        same = self.true_positive + self.false_negative
        return self.true_positive / same if same else 1.0


def labelled(path: Path = PAIRS) -> list[tuple[str, str, bool]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(p["a"], p["b"], bool(p["same"])) for p in data["pairs"]]


def evaluate(outcome: Outcome, pairs: list[tuple[str, str, bool]]) -> Score:
    def person(slug: str) -> str:
        return outcome.survivor.get(slug, slug)

    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    wrong = []
    for a, b, same in pairs:
        merged = person(a) == person(b)
        key = ("t" if merged == same else "f") + ("p" if merged else "n")
        counts[key] += 1
        if merged != same:
            wrong.append((a, b, same))
    return Score(counts["tp"], counts["fp"], counts["fn"], counts["tn"], wrong)


def report(path: Path = PAIRS) -> str:
    """The evaluation as text: counts, precision, recall, and each pair the rules got wrong."""
    pairs = labelled(path)
    outcome, _ = grouped()
    score = evaluate(outcome, pairs)
    lines = [
        f"{len(pairs)} labelled pairs ({path.name})",
        f"merged and the same: {score.true_positive}; merged but different: {score.false_positive}",
        f"the same, left apart: {score.false_negative}; different, left apart: {score.true_negative}",
        f"precision {score.precision:.3f}, recall {score.recall:.3f}",
        *(f"  wrong: {a} / {b} (labelled {'same' if same else 'different'})" for a, b, same in score.wrong),
        f"{len(outcome.merges)} merges, {len(outcome.candidates)} candidate pairs on the bundled data",
    ]
    return "\n".join(lines)
