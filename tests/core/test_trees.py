"""The one tree walk and cycle rule (core.trees) and the one region path rule (places.paths)."""

from __future__ import annotations

from core.trees import parent_cycle, walk_up
from places.paths import ROOT, path_below, path_ids, region_path


def test_a_walk_reaches_the_top_nearest_parent_first() -> None:
    assert walk_up("c", {"c": "b", "b": "a"}.get) == (["b", "a"], None)
    assert walk_up("a", {}.get) == ([], None)


def test_a_walk_stops_where_the_parents_loop() -> None:
    assert walk_up("a", {"a": "b", "b": "a"}.get) == (["b"], "a")
    # below a cycle: the walk ends on the cycle's first repeated member
    assert walk_up("c", {"c": "a", "a": "b", "b": "a"}.get) == (["a", "b"], "a")


def test_a_cycle_is_the_start_s_own() -> None:
    assert parent_cycle("a", {"a": "a"}.get) == ["a", "a"]
    assert parent_cycle("a", {"a": "b", "b": "c", "c": "a"}.get) == ["a", "b", "c", "a"]
    assert parent_cycle("c", {"c": "a", "a": "b", "b": "a"}.get) is None  # below a cycle, not in it
    assert parent_cycle("c", {"c": "b", "b": "a"}.get) is None


def test_a_region_path_is_its_ancestors_top_first_and_reads_back() -> None:
    assert region_path(()) == ROOT == "/"
    assert region_path([12, 40]) == "/12/40/"
    assert path_ids("/12/40/") == [12, 40] and path_ids(ROOT) == []
    assert path_below("/12/", 40) == "/12/40/"
    assert path_below(ROOT, 12) == "/12/"
