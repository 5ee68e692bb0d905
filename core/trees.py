"""The one cycle rule of every tree of records: regions under regions, treaties amending treaties.

A tree is given by ``parent_of(key)``: the stored parents (a model's check), the
planned ones over the stored ones (the seed importer's validation of a whole
file), or rows read in bulk (the integrity check). Each caller walks it here,
so every surface refuses the same cycles with the same rule (issue 22).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def walk_up(start: K, parent_of: Callable[[K], K | None]) -> tuple[list[K], K | None]:
    """The parents above ``start``, nearest first, and the key where they loop (None: a top was reached).

    The walk stops at the first key met twice, so it ends on any tree, cycles included.
    """
    chain: list[K] = []
    seen = {start}
    current: K | None = start
    while (current := parent_of(current)) is not None:  # type: ignore[arg-type]
        if current in seen:
            return chain, current
        seen.add(current)
        chain.append(current)
    return chain, None


def parent_cycle(start: K, parent_of: Callable[[K], K | None]) -> list[K] | None:
    """The cycle from ``start`` back to itself through its parents (``[a, b, a]``), or None.

    A cycle further up that does not pass through ``start`` is its own members'
    to report: ``start`` only lies below it.
    """
    chain, looped = walk_up(start, parent_of)
    if looped != start:
        return None
    return [start, *chain, start]
