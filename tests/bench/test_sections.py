"""The bench section registry: names are checked before any work, and --only parses."""

import pytest

from bench import sections
from bench.run import parse_args


def test_unknown_section_is_refused_with_the_known_names() -> None:
    with pytest.raises(KeyError, match="unknown bench section 'nope'; known: core"):
        sections.load("nope")


def test_only_is_repeatable() -> None:
    args = parse_args(["--only", "core", "--only", "imports"])
    assert args.only == ["core", "imports"]
    assert parse_args([]).only == []
