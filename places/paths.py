"""A region's materialized path of ancestor ids ("/12/40/"): the one rule that writes and reads it.

``Region`` stores it (``places.models``), the services and the integrity check compute
it from parents, the benchmark dataset writes it in bulk; each through these two
functions (issue 22), so the format is stated once. No Django import: the benchmark's
generator uses it without a configured project.
"""

from __future__ import annotations

from collections.abc import Iterable

ROOT = "/"  # a top-level region's path


def region_path(ancestor_ids: Iterable[int]) -> str:
    """The path of a region below ``ancestor_ids``, top-level first: ``[12, 40]`` gives "/12/40/"."""
    return ROOT + "".join(f"{pk}/" for pk in ancestor_ids)


def path_below(path: str, pk: int) -> str:
    """The path of the regions right below the region ``pk`` whose own path is ``path``."""
    return region_path([*path_ids(path), pk])


def path_ids(path: str) -> list[int]:
    """The ancestor ids a path holds, top-level first (the inverse of ``region_path``)."""
    return [int(part) for part in path.strip("/").split("/") if part]
