"""How a fuzzy date is drawn on a time axis and written into exports.

Every meaning comes from :class:`core.fuzzydates.FuzzyDate`; this module only turns it
into what a renderer needs: which shape (a point, a faint band over the days a single
day may be, a solid bar), where it starts and ends, and how each end is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.fuzzydates import DateKind, EndState, FuzzyDate

Shape = Literal["point", "within", "span", "multiple"]
EndState_ = Literal["known", "open", "unknown"]


@dataclass(frozen=True)
class Drawing:
    """A fuzzy date as an axis draws it: a point, a faint band (``within``: one day somewhere in it;
    ``multiple``: several days in it), or a bar (``span``), with the state of each end."""

    shape: Shape
    start: date | None  # first day drawn; None when the start is open or unknown
    end: date | None  # last day drawn; None when the end is open or unknown
    start_state: EndState_
    end_state: EndState_
    display: str

    @property
    def description(self) -> str:
        """What the axis shows, in words (the text alternative of one item)."""
        if self.shape == "point":
            return f"on {self.display}"
        if self.shape == "within":
            return f"one day, not known exactly: {self.display}"
        if self.shape == "multiple":
            return f"on each of: {self.display}"
        ends = {"open": "still going", "unknown": "end not known"}
        tail = f" ({ends[self.end_state]})" if self.end_state in ends else ""
        head = {"open": " (no known beginning)", "unknown": " (beginning not known)"}.get(
            self.start_state, ""
        )
        return f"lasting {self.display}{head}{tail}"


_SHAPES: dict[DateKind, Shape] = {
    DateKind.POINT: "point",
    DateKind.WITHIN: "within",
    DateKind.SPAN: "span",
    DateKind.MULTIPLE: "multiple",
}


def _state(state: EndState | None, day: date | None) -> EndState_:
    if state is not None:
        return state.value.lower()  # type: ignore[return-value]
    return "known" if day is not None else "open"  # a one-of set open at one end ("[..2025-08-06]")


def drawing_of(fd: FuzzyDate) -> Drawing:
    """Return how ``fd`` is drawn, from what :class:`FuzzyDate` says it means (``kind``, end states)."""
    return Drawing(
        _SHAPES[fd.kind],
        fd.earliest,
        fd.latest,
        _state(fd.start_state, fd.earliest),
        _state(fd.end_state, fd.latest),
        fd.display,
    )
