"""The import lets records go once they are planned and written (issue 25, item 3).

Guards the streaming design by references, not by resident size: a batch handed to the
writer is no longer held by the plan, the treaty levels hold no reference cycle (which kept
every planned treaty alive until a full collection), and a dataset document keeps no copy
of the values it validated.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from seeds.datasets.base import Item, document
from seeds.importer.loader import share_fields_sets
from seeds.importer.plan import Plan, Planned
from seeds.importer.schema import TreatyRecord
from seeds.importer.write_base import drain
from seeds.importer.write_events import treaty_levels


def _treaty(slug: str, parent: str | None = None) -> Planned:
    return Planned(SimpleNamespace(slug=slug, parent=parent), None, "treaties", 0, "test")


def test_drain_hands_out_batches_the_list_no_longer_holds() -> None:
    items = list(range(7))
    held = []
    for chunk in drain(items, size=3):
        held.append((list(chunk), len(items)))
    assert held == [([0, 1, 2], 4), ([3, 4, 5], 1), ([6], 0)]


def test_plan_take_leaves_the_plan_without_the_section() -> None:
    plan = Plan(treaties=[_treaty("a")])
    taken = plan.take("treaties")
    assert [i.record.slug for i in taken] == ["a"]
    assert plan.treaties == []


def test_treaty_levels_let_each_treaty_go_without_a_collection() -> None:
    items = [_treaty("a"), _treaty("b", "a"), _treaty("c", "b"), _treaty("d")]
    refs = [weakref.ref(i) for i in items]
    enabled = gc.isenabled()
    gc.disable()  # what a cycle would keep, only a collection frees: none runs here
    try:
        levels = treaty_levels(items)
        assert [[i.record.slug for i in level] for level in levels] == [["a", "d"], ["b"], ["c"]]
        del items, levels
        assert [r() for r in refs] == [None] * 4
    finally:
        if enabled:
            gc.enable()


@pytest.mark.django_db
def test_a_dataset_document_takes_items_one_at_a_time_and_keeps_no_copy() -> None:
    given: list[int] = []

    def items() -> Iterator[Item]:
        for n in range(3):
            given.append(n)
            values = {"slug": f"source-{n}", "title": f"Source {n}"}
            yield Item("sources", values, f"row-{n}", line=n + 1)

    doc, problems = document("fake-data", "file.csv", items())
    assert problems == []
    assert given == [0, 1, 2]
    assert doc.raw == {}
    assert [(i, r.slug) for i, r in doc.records["sources"]] == [
        (0, "source-0"),
        (1, "source-1"),
        (2, "source-2"),
    ]
    assert doc.record_key("sources", 2) == "row-2"
    assert doc.line(("sources", 1)) == 2
    doc.release()
    assert doc.records == {} and doc.line(("sources", 1)) == 2


def test_records_given_the_same_fields_share_one_fields_set() -> None:
    party = {"country": "FR", "signed": "1990"}
    treaties = [
        share_fields_sets(TreatyRecord.model_validate({"slug": f"t-{n}", "name": "T", "parties": [party]}))
        for n in range(2)
    ]
    first, second = treaties
    assert first.model_fields_set is second.model_fields_set
    assert first.parties[0].model_fields_set is second.parties[0].model_fields_set
    # model_copy copies the set before adding to it: the other records' set is unchanged.
    copied = first.model_copy(update={"note": "n"})
    assert "note" in copied.model_fields_set
    assert second.model_fields_set == {"slug", "name", "parties"}
