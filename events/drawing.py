"""How a fuzzy date is drawn on a time axis and written into exports.

Every meaning comes from :class:`core.fuzzydates.FuzzyDate`; this module only turns it
into what a renderer needs: which shape (a point, a faint band over the days a single
day may be, a solid bar), where it starts and ends, and how each end is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.fuzzydates import FuzzyDate

Shape = Literal["point", "within", "span"]
EndState = Literal["known", "open", "unknown"]


@dataclass(frozen=True)
class Drawing:
    """A fuzzy date as an axis draws it."""

    shape: Shape
    start: date | None  # first day drawn; None when the start is open or unknown
    end: date | None  # last day drawn; None when the end is open or unknown
    start_state: EndState
    end_state: EndState
    display: str

    @property
    def description(self) -> str:
        """What the axis shows, in words (the text alternative of one item)."""
        if self.shape == "point":
            return f"on {self.display}"
        if self.shape == "within":
            return f"one day, not known exactly: {self.display}"
        ends = {"open": "still going", "unknown": "end not known"}
        tail = f" ({ends[self.end_state]})" if self.end_state in ends else ""
        head = {"open": " (no known beginning)", "unknown": " (beginning not known)"}.get(
            self.start_state, ""
        )
        return f"lasting {self.display}{head}{tail}"


def _end_state(date_fd: FuzzyDate, side: int) -> EndState:
    # The EDTF text of an interval end: ".." is open (it goes on), "" is unknown.
    text = date_fd.edtf.split("/", 1)[side]
    return "open" if text == ".." else "unknown" if text == "" else "known"


def drawing_of(fd: FuzzyDate) -> Drawing:
    """Return how ``fd`` is drawn: a span for EDTF intervals, else a point or a band of days."""
    if fd.is_interval:
        start_state, end_state = _end_state(fd, 0), _end_state(fd, 1)
        return Drawing("span", fd.earliest, fd.latest, start_state, end_state, fd.display)
    if fd.earliest is None or fd.latest is None:
        # An open-ended set ("[..2025-08-06]"): one day on or before / after a day.
        start_state = "open" if fd.earliest is None else "known"
        end_state = "open" if fd.latest is None else "known"
        return Drawing("within", fd.earliest, fd.latest, start_state, end_state, fd.display)
    shape: Shape = "point" if fd.earliest == fd.latest else "within"
    return Drawing(shape, fd.earliest, fd.latest, "known", "known", fd.display)
