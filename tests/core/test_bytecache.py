"""The response cache's store is bounded in bytes per worker (core/bytecache.py; issue 19)."""

from __future__ import annotations

import pickle
from itertools import count

import pytest
from django.core.cache import caches

from core.bytecache import ByteBoundedCache

names = count()


@pytest.fixture
def store() -> ByteBoundedCache:
    """A fresh store of 10 kB, none of its entries over 4 kB."""
    return ByteBoundedCache(
        f"test-bytes-{next(names)}",
        {"OPTIONS": {"MAX_ENTRIES": 1000, "MAX_BYTES": 10_000, "MAX_ENTRY_BYTES": 4_000}},
    )


def blob(size: int) -> str:
    """A value whose pickled size is a little over ``size`` bytes."""
    return "x" * size


def test_the_store_never_holds_more_than_its_byte_bound(store: ByteBoundedCache) -> None:
    for i in range(100):
        store.set(f"k{i}", blob(1_500))
        assert store.size() <= 10_000
    assert store.get("k99") == blob(1_500)
    assert store.get("k0") is None  # the oldest went first
    assert len(store._cache) == 10_000 // len(pickle.dumps(blob(1_500), pickle.HIGHEST_PROTOCOL))


def test_an_answer_over_the_entry_bound_is_not_kept_and_keeps_the_rest(store: ByteBoundedCache) -> None:
    store.set("small", blob(100))
    store.set("huge", blob(5_000))
    assert store.get("huge") is None
    assert store.get("small") == blob(100)
    store.set("small", blob(5_000))  # replacing an entry by an oversized one drops it
    assert store.get("small") is None and store.size() == 0


def test_a_recently_read_answer_outlives_older_unread_ones(store: ByteBoundedCache) -> None:
    for key in ("a", "b", "c", "d", "e", "f"):
        store.set(key, blob(1_500))
    store.get("a")  # read: now the most recently used
    for key in ("g", "h"):
        store.set(key, blob(1_500))
    assert store.get("a") is not None
    assert store.get("b") is None and store.get("c") is None


def test_the_graphql_cache_is_the_byte_bounded_store() -> None:
    cache = caches["graphql"]
    assert isinstance(cache, ByteBoundedCache)
    assert (cache.max_bytes, cache.max_entry_bytes) == (64 * 2**20, 2**20)
