"""Seed files give treaties their type, domain, parent and each party's steps; the importer writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import SeedError
from events.models import Treaty, TreatyParty
from seeds.importer import seeds_import

FILE = """
treaties:
  - slug: test-amendment
    name: Amendment To The Test Convention
    treaty_type: AMENDMENT
    parent: test-convention
    signed: "1979"
    parties:
      - {country: PL, ratified: "1990~"}
  - slug: test-convention
    name: Test Convention
    treaty_type: AGREEMENT
    domain: Environment
    signed: 1951-12-06
    open_ended: true
    parties:
      - {country: PL, signed: 1951-12-06, ratified: "1997-06-03?", in_force: 1997-09, open_ended: true}
      - {country: KP, ratified: "[1981-09..1981-10]", ended: 2001-05-04}
"""


@pytest.mark.django_db
def test_parents_are_written_before_their_amendments_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "treaties.yaml"
    path.write_text(FILE)
    seeds_import(paths=[path])
    amendment = Treaty.objects.get(slug="test-amendment")
    assert amendment.parent is not None and amendment.parent.slug == "test-convention"
    assert amendment.treaty_type == "AMENDMENT"
    pl = TreatyParty.objects.get(treaty__slug="test-convention", country__code="PL")
    assert (pl.ratified, pl.in_force, pl.open_ended, pl.ended) == ("1997-06-03?", "1997-09", True, "")
    kp = TreatyParty.objects.get(treaty__slug="test-convention", country__code="KP")
    assert (kp.ratified_earliest.isoformat(), kp.ratified_latest.isoformat()) == ("1981-09-01", "1981-10-31")
    again = seeds_import(paths=[path])
    assert again.written == 0


@pytest.mark.django_db
def test_an_unknown_parent_or_a_cycle_is_refused_and_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "treaties.yaml"
    path.write_text(
        "treaties:\n"
        "  - {slug: a-treaty, name: A, parent: b-treaty}\n"
        "  - {slug: b-treaty, name: B, parent: a-treaty}\n"
        "  - {slug: c-treaty, name: C, parent: nowhere}\n"
    )
    with pytest.raises(SeedError) as caught:
        seeds_import(paths=[path])
    text = "\n".join(caught.value.problems)
    assert "treaty 'a-treaty' amends itself (through its parents)" in text
    assert "treaty 'b-treaty' amends itself (through its parents)" in text
    assert "no treaty 'nowhere' in these files or the database" in text
    assert not Treaty.objects.filter(slug__in=["a-treaty", "b-treaty", "c-treaty"]).exists()
