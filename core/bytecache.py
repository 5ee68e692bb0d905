"""A per-process memory cache bounded in bytes, for the GraphQL response cache (issue 19).

Django's LocMemCache bounds entries, not bytes: 2,000 answers of up to 3.5 MB each grew two
workers by 100–170 MB in the probe. This one also keeps the total size of its (pickled)
entries under ``MAX_BYTES``, dropping the least recently used first, and does not keep an
entry over ``MAX_ENTRY_BYTES`` at all: such an answer is rare, and would push out hundreds
of small ones.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class ByteBoundedCache(LocMemCache):
    """LocMemCache with ``OPTIONS`` ``MAX_BYTES`` (all entries) and ``MAX_ENTRY_BYTES`` (one)."""

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        options = params.get("OPTIONS", {})
        self.max_bytes = int(options["MAX_BYTES"])
        self.max_entry_bytes = int(options["MAX_ENTRY_BYTES"])

    def size(self) -> int:
        """Bytes held by the entries (their pickled size)."""
        with self._lock:
            return sum(map(len, self._cache.values()))

    def _set(self, key: str, value: bytes, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        # Called with the lock held and ``value`` pickled (LocMemCache.set and add).
        self._delete(key)
        if len(value) > self.max_entry_bytes:
            return
        # Summed afresh (a few thousand lengths) rather than counted: every path that drops an
        # entry (expiry, culling, delete, clear) would otherwise have to keep a count right.
        held = sum(map(len, self._cache.values()))
        while self._cache and held + len(value) > self.max_bytes:
            # The least recently used is last (LocMemCache moves each hit to the front).
            old, pickled = self._cache.popitem()
            self._expire_info.pop(old, None)
            held -= len(pickled)
        super()._set(key, value, timeout)
