"""A timeline entry's title is its first sentence: abbreviations do not end it (issue 21 audit)."""

from __future__ import annotations

import pytest

from seeds.datasets.hsg.tei import first_sentence


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # The three titles the accuracy audit found cut inside a case name.
        ("In Palmer v. Shultz, the court ruled. Later text.", "In Palmer v. Shultz, the court ruled."),
        ("In Bergstrom et al. v. Vance, it held. More.", "In Bergstrom et al. v. Vance, it held."),
        ("The U.S. Minister arrived. He left.", "The U.S. Minister arrived."),
        ("Congress passed 1 Stat. 28 on that day. Then.", "Congress passed 1 Stat. 28 on that day."),
        ("No full stop at all", "No full stop at all"),
    ],
)
def test_the_first_sentence_ends_at_a_real_sentence_end(text: str, title: str) -> None:
    assert first_sentence(text) == title
