"""The hsg-pocom checker's reading of a note: which set phrases say a term was not served."""

from __future__ import annotations

import pytest

from audit.hsg_pocom import NOT_SERVED


@pytest.mark.parametrize(
    ("note", "not_served"),
    [
        ("Designated, not commissioned, on", False),  # unes-1973-jone: designated, and served
        ("Not commissioned; nomination withdrawn before the Senate acted upon it.", True),
        ("Nomination not confirmed.", True),
        ("Declined appointment.", True),
    ],
)
def test_a_designation_without_commission_is_not_a_term_not_served(note: str, not_served: bool) -> None:
    assert bool(NOT_SERVED.search(note)) is not_served
