"""manytreaties-ggo: an agreement (ggo_agreements.csv row) and its state parties (ggo_parties.csv).

Checked: the title, the signature and end (``9999-…`` is "no end"), and every state party
the parties file gives, with its own signature, ratification, entry into force and end. A
party's alpha-3 code names its country through pycountry (historic codes included); a
code naming a successor state before its state existed may be served as the predecessor
(RUS before 1991-12-26 as the Soviet Union, CZE before 1993 as Czechoslovakia, SRB/MNE as
Yugoslavia before 2003-02-04 and Serbia and Montenegro until 2006…): the era mapping is
accepted, not flagged. A served party is matched by its ``sourceCode`` (GGO's code) first;
a code whose era predecessor is served under another code's rows (CSK and CZE on a 1972
treaty: one party, the importer keeps the first and reports the other) is not compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pycountry

from audit.base import NOT_FOUND, Api, ErrorKind, Record, draw, fold, register
from audit.raw import csv_rows

MESSY = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]|XX)(-(0[1-9]|[12]\d|3[01]|XX))?)?[?~]?$")
STEPS = (("signed", "StateSignature"), ("ratified", "StateRatification"), ("inForce", "StateForce"))
# Codes GGO uses that are not ISO 3166 alpha-3, as names (checked against the served name).
OTHER_CODES = {
    "KOS": ("Kosovo",),
    "AUH": ("Austria-Hungary",),
    "PRU": ("Prussia",),
    "DZG": ("Danzig",),
    "EAT": ("Tanganyika",),
    "EAZ": ("Zanzibar",),
    "YAR": ("Yemen Arab Republic",),
}
# Old or variant codes of a state GGO also gives under its ISO code: rows of both are one party.
SAME_STATE = {"LES": "LSO", "ROM": "ROU", "GDR": "DDR"}
# Successor code → its eras, earliest first: (predecessor's name, the day the era ends; ""
# for always). Read from the states' own dates, independently of the importer's table.
ERAS: dict[str, tuple[tuple[str, str], ...]] = {
    "RUS": (("Soviet Union", "1991-12-26"),),
    "CZE": (("Czechoslovakia", "1993-01-01"),),
    "SVK": (("Czechoslovakia", "1993-01-01"),),
    "SRB": (("Yugoslavia", "2003-02-04"), ("Serbia and Montenegro", "2006-06-05")),
    "MNE": (("Yugoslavia", "2003-02-04"), ("Serbia and Montenegro", "2006-06-03")),
    "HRV": (("Yugoslavia", "1991-06-25"),),
    "SVN": (("Yugoslavia", "1991-06-25"),),
    "MKD": (("Yugoslavia", "1991-09-08"),),
    "BIH": (("Yugoslavia", "1992-03-03"),),
    "YEM": (("Yemen Arab Republic", "1990-05-22"),),
    "TZA": (("Tanganyika", "1964-04-26"),),
    "DEU": (("Germany", ""),),
}
QUERY = """query($slug: String!) { treaty(slug: $slug) {
  slug name signed { edtf } ended { edtf } openEnded
  parties {
    sourceCode country { code name aliases }
    signed { edtf } ratified { edtf } inForce { edtf } ended { edtf } openEnded
  }
} }"""


def edtf(value: str) -> str | None:
    """The EDTF a messydate stands for; None when malformed (the importer leaves it unknown)."""
    value = value.strip()
    if not value or value.startswith("9999"):
        return None  # 9999: no such step (in a start column) or no end (see open_end)
    if ".." in value:
        low, _, high = value.partition("..")
        return f"[{low}..{high}]" if MESSY.match(low) and MESSY.match(high) else None
    if not MESSY.match(value):
        return None
    try:  # a full day must be a day of the calendar (GGO has 1976-06-31)
        if "X" not in value and len(value.rstrip("?~")) == 10:
            date.fromisoformat(value.rstrip("?~"))
    except ValueError:
        return None
    return value


def open_end(value: str) -> bool:
    return value.strip().startswith("9999")


def country_forms(code: str) -> tuple[set[str], set[str]]:
    """(alpha-2 / alpha-4 codes, folded names) the state code ``code`` may be served as."""
    codes: set[str] = set()
    names = {fold(n) for n in OTHER_CODES.get(code, ())}
    found = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    if found is not None:
        for attr in ("alpha_2", "alpha_4"):
            if getattr(found, attr, None):
                codes.add(getattr(found, attr))
        for attr in ("name", "official_name", "common_name"):
            if getattr(found, attr, None):
                names.add(fold(getattr(found, attr)))
    return codes, names


def latest(value: str) -> str:
    """The last day an EDTF value may stand for, as an ISO string (a set or range: its last member)."""
    value = value.strip("[]{}").replace("..", ",").split(",")[-1].strip().rstrip("?~")
    year, month, day = ([*value.split("-"), "XX", "XX"])[:3]
    month = "12" if month == "XX" else month
    return f"{year}-{month}-{'31' if day == 'XX' else day}"


def era_day(rows: list[dict[str, str]]) -> str:
    """The day of a party's first own step (signature, else ratification, else entry into
    force; else the agreement's signature), its latest reading over all its rows."""
    for column in ("StateSignature", "StateRatification", "StateForce", "Signature"):
        values = [latest(v) for r in rows if (v := edtf(r[column]))]
        if values:
            return max(values)
    return ""


def era_name(code: str, on: str) -> str | None:
    """The predecessor ``code`` names on the day ``on``, or None when it names its own state."""
    for name, until in ERAS.get(code, ()):
        if not until or (on and on < until):
            return name
    return None


def served_as(code: str, country: dict[str, Any], on: str | None = None) -> bool:
    """Whether ``country`` is the state of ``code`` (``on`` given: or its predecessor of that day)."""
    served = {fold(n) for n in [country["name"], *country["aliases"]]}
    if on is not None:
        name = era_name(code, on)
        return bool(name) and fold(name) in served
    codes, names = country_forms(code)
    return country["code"] in codes or bool(names & served)


@dataclass
class GGO:
    name: str = "manytreaties-ggo"

    def sample(self, raw_dir: Path, seed: int, n: int) -> list[Record]:
        rows: dict[tuple[str, ...], tuple[int, dict[str, str]]] = {}
        titles: dict[str, list[str]] = defaultdict(list)  # distinct agreements under one id, in file order
        for line, row in csv_rows(raw_dir, "ggo_agreements.csv"):
            key = tuple(row.values())
            if key not in rows:
                rows[key] = (line, row)
                titles[row["treatyID"]].append(row["Title"])
        chosen = draw(list(rows.values()), seed, n)
        wanted = {row["treatyID"] for _line, row in chosen}
        parties: dict[str, list[dict[str, str]]] = defaultdict(list)
        for _line, row in csv_rows(raw_dir, "ggo_parties.csv"):
            if row["treatyID"] in wanted:
                parties[row["treatyID"]].append(row)
        records = []
        for line, row in chosen:
            mine = parties[row["treatyID"]]
            if len(titles[row["treatyID"]]) > 1:
                # Several agreements under one id: the party rows repeat their title and signature.
                mine = [
                    p
                    for p in mine
                    if fold(p["Title"]) == fold(row["Title"]) and p["Signature"] == row["Signature"]
                ]
            records.append(
                Record(
                    f"ggo_agreements.csv line {line} {row['treatyID']}",
                    {**row, "parties": mine, "n": len(titles[row["treatyID"]])},
                )
            )
        return records

    def lookup(self, client: Api, record: Record) -> list[dict[str, Any]]:
        slug = "ggo-" + re.sub(
            r"[^a-z0-9_-]+", "-", record.fields["treatyID"].lower().replace(":", "--")
        ).strip("-")
        found = []
        for candidate in [slug, *(f"{slug}-{i}" for i in range(2, record.fields["n"] + 1))]:
            treaty = client.query(QUERY, slug=candidate)["treaty"]
            if treaty:
                found.append(treaty)
        return found

    def compare(self, expected: Record, got: list[dict[str, Any]]) -> list[ErrorKind]:
        f = expected.fields
        if not got:
            return [ErrorKind(NOT_FOUND, f["Title"][:100])]
        # Several agreements under one id: the one of this title is this row's.
        titled = [t for t in got if fold(t["name"]) == fold(f["Title"])]
        signed = [t for t in titled if (t["signed"] or {}).get("edtf") == edtf(f["Signature"])]
        treaty = (signed or titled or [None])[0]
        if treaty is None:
            return [ErrorKind("title", f"raw {f['Title']!r}, served {[t['name'] for t in got]}")]
        errors = []
        if (treaty["signed"] or {}).get("edtf") != edtf(f["Signature"]):
            errors.append(ErrorKind("signature date", f"raw {f['Signature']!r}, served {treaty['signed']}"))
        # An empty End with a termination date (Term) ends the agreement then.
        errors += _end("end", f["End"] if f["End"].strip() else f["Term"], treaty)
        errors += self._parties(f, treaty)
        return errors

    def _parties(self, f: dict[str, Any], treaty: dict[str, Any]) -> list[ErrorKind]:
        errors = []
        by_state: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in f["parties"]:
            by_state[SAME_STATE.get(row["stateID"], row["stateID"])].append(row)
        for code, rows in sorted(by_state.items()):
            codes, names = country_forms(code)
            if not codes and not names and code not in ERAS:
                continue  # an organisation or a code naming no state: not a state party
            on = era_day(rows)
            mine = {code, *(old for old, new in SAME_STATE.items() if new == code)}
            own = [p for p in treaty["parties"] if p.get("sourceCode") in mine]
            if own:
                # GGO's code kept on the party: it must be the code's state or its era's predecessor.
                served = [
                    p for p in own if served_as(code, p["country"]) or served_as(code, p["country"], on)
                ]
                if not served:
                    errors.append(
                        ErrorKind(
                            "party under another state",
                            f"{code} (on {on}); served {[p['country']['name'] for p in own]}",
                        )
                    )
                    continue
            else:
                # Its own state first; the predecessor of its era only when GGO gives no row for that one.
                served = [p for p in treaty["parties"] if served_as(code, p["country"])]
                served = served or [p for p in treaty["parties"] if served_as(code, p["country"], on)]
                if served and served[0].get("sourceCode"):
                    if _folded(served[0], by_state):
                        continue  # one party with another code's rows in its era (the importer reports it)
                    served = []
            if not served:
                names_served = sorted(p["country"]["name"] for p in treaty["parties"])[:8]
                errors.append(
                    ErrorKind(
                        "party missing or under another state", f"{code} (on {on}); served {names_served}"
                    )
                )
                continue
            party = served[0]
            for field, column in STEPS:
                values = {v for r in rows if (v := edtf(r[column]))}
                got = (party[field] or {}).get("edtf")
                if not _agrees(values, got):
                    errors.append(ErrorKind(f"party {field}", f"{code}: raw {sorted(values)}, served {got}"))
            ends = {r["StateEnd"].strip() for r in rows if r["StateEnd"].strip()}
            dated = {v for e in ends if (v := edtf(e))}
            got = (party["ended"] or {}).get("edtf")
            # No end (9999) is open; a malformed end (2020-99-99) the importer leaves unknown.
            if not dated and any(open_end(e) for e in ends):
                if got is not None or not party["openEnded"]:
                    errors.append(
                        ErrorKind("party ended: 9999 sentinel not read as no end", f"{code}: served {got}")
                    )
            elif not _agrees(dated, got):
                errors.append(ErrorKind("party ended", f"{code}: raw {sorted(ends)}, served {got}"))
        return errors


def _folded(party: dict[str, Any], by_state: dict[str, list[dict[str, str]]]) -> bool:
    """Whether the party's own code (another of this agreement's) also names its state in its era."""
    other = SAME_STATE.get(party["sourceCode"], party["sourceCode"])
    rows = by_state.get(other)
    return bool(rows) and (
        served_as(other, party["country"]) or served_as(other, party["country"], era_day(rows or []))
    )


def _agrees(values: set[str], got: str | None) -> bool:
    """The served value is the raw one, or (rows disagreeing) the set "one of" all of them."""
    if not values:
        return got is None
    if len(values) == 1:
        return got == next(iter(values))
    return bool(got) and all(v in got for v in values)


def _end(kind: str, raw: str, served: dict[str, Any], who: str = "") -> list[ErrorKind]:
    got = (served["ended"] or {}).get("edtf")
    if open_end(raw):
        if got is not None or not served["openEnded"]:
            return [
                ErrorKind(
                    f"{kind}: 9999 sentinel not read as no end", f"{who} raw {raw!r}, served {got}".strip()
                )
            ]
        return []
    if got != edtf(raw):
        return [ErrorKind(kind, f"{who} raw {raw!r}, served {got}".strip())]
    return []


register(GGO())
