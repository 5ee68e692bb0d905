"""Pause the cyclic garbage collector over a step that makes millions of short-lived objects.

Python's collector runs every few hundred allocations, and each older-generation pass walks
every live object: reading a 100,000-event file, or writing an import's records, history
and changes log, spent as much time collecting as working (issue 25, item 3: 7.8 s of the
20,000-event write's 15.8 s CPU). What those steps make holds no cycles worth collecting
meanwhile: reference counting frees it as it goes, and the few cycles left (a thousand
objects over that write) are collected once the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is on again after it if it was before.

    Nested or overlapping pauses (two threads' writes) end with the collector on: only a pause
    that found it on turns it back on, and it does so at its own end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
