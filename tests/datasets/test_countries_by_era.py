"""hsg and RDCR records name the state of their era (issue 21)."""

from __future__ import annotations

import pytest

from seeds.datasets.hsg import countries as hsg
from seeds.datasets.rdcr import countries as rdcr


@pytest.mark.parametrize(
    ("slug", "day", "code"),
    [
        ("china", "1945-08-14", "CN"),  # the Republic of China governed China
        ("taiwan", "1945-08-14", "CN"),  # "China, Republic of" in 1945
        ("taiwan", "1960-01-01", "TW"),
        ("tanzania", "1962-10-03", "XTAN"),
        ("tanzania", "1966-01-03", "TZ"),
        ("yemen", "1975-01-21", "XYAR"),
        ("yemen", "1995-01-01", "YE"),
    ],
)
def test_hsg_slugs_name_the_state_of_their_era(slug: str, day: str, code: str) -> None:
    assert hsg.code_for(slug, day) == code


def test_rdcr_tells_south_yemen_by_its_words_and_north_yemen_by_its_years() -> None:
    south = "Severance of Diplomatic Relations. The Government of South Yemen severed relations."
    assert rdcr.code_for("yemen", "Yemen", "1969-10-24", south) == "YDYE"
    assert rdcr.code_for("yemen", "Yemen", "1967-06-07", "Diplomatic Relations Severed. Yemen Arab") == "XYAR"
    assert (
        rdcr.code_for("yemen", "Yemen", "1990-05-22", "Unification of the People’s Democratic Republic")
        == "YE"
    )
    assert rdcr.code_for("tanzania", "Tanzania", "1961-12-09") == "XTAN"
