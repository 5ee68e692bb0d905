"""The package path: any EDTF value (levels 0-2) read through the ``edtf`` package's parse tree.

The package is the authority for every form the fast path leaves to it.
"""

from __future__ import annotations

from typing import Any

from edtf import parse_edtf
from edtf.parser.parser_classes import (
    Consecutives,
    DateAndTime,
    EarlierConsecutives,
    Interval,
    LaterConsecutives,
    MultipleDates,
    OneOfASet,
    PartialUncertainOrApproximate,
    Season,
    UncertainOrApproximate,
    Unspecified,
    UnspecifiedIntervalSection,
)

from core.fuzzydates.describe import (
    _PLAIN,
    _flags,
    _merge,
    _Refused,
    _set,
    _set_member,
    _single,
    _span,
    _struct_day,
)
from core.fuzzydates.value import EndState, FuzzyDate, invalid


def read_with_package(value: str) -> FuzzyDate:
    """Read any EDTF value through the ``edtf`` package; ValidationError when it is not one."""
    try:
        node = parse_edtf(value)
    except Exception:
        # Besides EDTFParseException the package raises AttributeError, TypeError... on
        # some malformed input ("2022-1X"); to a caller, all of them mean "not EDTF".
        raise invalid(value) from None
    try:
        return _read_node(value, node)
    except _Refused as refused:
        raise invalid(value, refused.why) from None
    except Exception:
        # The package's own bounding fails on some values it parses ("../..": infinities).
        raise invalid(value) from None


def _read_node(value: str, node: Any) -> FuzzyDate:
    if isinstance(node, (OneOfASet, MultipleDates)):
        one_of = isinstance(node, OneOfASet)
        texts = value[1:-1].split(",")
        if len(texts) != len(node.objects):
            raise _Refused()
        members = [
            _read_member(text.strip(), obj, one_of=one_of)
            for text, obj in zip(texts, node.objects, strict=True)
        ]
        return _set(value, members, one_of=one_of)
    if isinstance(node, Interval):  # Level 0, 1 and 2 intervals
        parts = value.split("/", 1)
        ends = [_read_end(text, end) for text, end in zip(parts, (node.lower, node.upper), strict=True)]
        return _span(value, ends[0], ends[1])
    return _read_date(value, node)


def _read_end(text: str, node: Any) -> FuzzyDate | EndState:
    if isinstance(node, UnspecifiedIntervalSection):
        return EndState.OPEN if node.is_open else EndState.UNKNOWN
    return _read_date(text, node)


def _read_member(text: str, node: Any, *, one_of: bool) -> FuzzyDate:
    if isinstance(node, (EarlierConsecutives, LaterConsecutives)):
        low_text, _, high_text = text.partition("..")
        low = None if isinstance(node.lower, UnspecifiedIntervalSection) else _read_date(low_text, node.lower)
        high = (
            None if isinstance(node.upper, UnspecifiedIntervalSection) else _read_date(high_text, node.upper)
        )
        return _set_member(low, high, ranged=True, one_of=one_of)
    if isinstance(node, Consecutives):
        low_text, _, high_text = text.partition("..")
        low, high = _read_date(low_text, node.lower), _read_date(high_text, node.upper)
        return _set_member(low, high, ranged=True, one_of=one_of)
    return _read_date(text, node)


def _read_date(value: str, node: Any) -> FuzzyDate:
    """One date node (any level) into a FuzzyDate, with the package's strict bounds."""
    bounds = (_struct_day(node.lower_strict()), _struct_day(node.upper_strict()))
    if isinstance(node, DateAndTime):
        day = node.date
        return _single(value, day.year, day.month, day.day, bounds=bounds, suffix=f", {node.time}")
    whole = _PLAIN
    if isinstance(node, UncertainOrApproximate):
        whole, node = _flags(node.ua), node.date
    if isinstance(node, Unspecified):
        whole = _merge(whole, _flags(node.ua))
    flags = {"year": whole, "month": whole, "day": whole}
    if isinstance(node, PartialUncertainOrApproximate):
        # A qualifier right of a component covers it and those to its left (2004-06?-11:
        # year and month); one left of a component covers that component only (2004-06-~11).
        year_month = _flags(node.year_month_ua)
        month_day = _flags(node.month_day_ua)
        all_ua = _flags(node.all_ua)
        flags = {
            "year": _merge(whole, all_ua, _flags(node.year_ua), _flags(node.year_ua_b), year_month),
            "month": _merge(whole, all_ua, _flags(node.month_ua), year_month, month_day),
            "day": _merge(whole, all_ua, _flags(node.day_ua), month_day),
        }
    if isinstance(node, Season):
        return _single(value, node.year, None, None, season=int(node.season), flags=flags, bounds=bounds)
    significant = getattr(node, "significant_digits", None)
    suffix = f" ({significant} significant digits)" if significant else ""
    return _single(value, node.year, node.month, node.day, flags=flags, bounds=bounds, suffix=suffix)
