"""GGO party rows → one party per state and agreement, with that state's own steps.

The parties file repeats 10,973 (state, treaty) pairs. They are reconciled here,
column by column, and nothing is dropped without a word:

- rows that are the same are one party;
- under a treatyID that names several agreements, a row goes to the agreement whose
  own columns (title, dates) it repeats;
- where rows give different dates for one step, the step is the EDTF set "one of
  these days" (``[1985-09-10,1985-10-21]``) and the disagreement is reported;
- an end date of ``9999-12-31`` (any day of the year 9999) is "no end": the party is
  still bound. Rows that
  disagree on whether it ended keep the dates given, and are reported.

A treatyID with party rows but no agreement row becomes an agreement built from the
agreement-level columns its party rows repeat, and is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from seeds.datasets.ggo.agreements import IDENTITY, Agreement, Kind, agreement_from, unusual_sentinel
from seeds.datasets.ggo.messydates import Converted, Why, one_of, to_edtf
from seeds.datasets.ggo.rows import DataProblem, Row
from seeds.datasets.ggo.states import PartyRef, place

FILE = "ggo_parties.csv"
COLUMNS = ("stateID", "treatyID", "Title", "StateSignature", "StateRatification", "StateForce", "StateEnd")
STEPS = {"signed": "StateSignature", "ratified": "StateRatification", "in_force": "StateForce"}
# What a party's rows are read for once grouped. A row keeps only these: the file's 98,320
# rows as whole CSV dicts (comments, coder, the agreement's columns) were ~200 MB, the
# default import's peak (issue 25, item 3).
GROUPED = ("stateID", *STEPS.values(), "StateEnd")


class PartyKind:
    """Problem kinds this step reports (beside the agreement kinds)."""

    CONFLICT = "party rows disagree"
    UNPLACED = "unknown party"
    AMBIGUOUS = "party row matches no agreement under its id"


@dataclass
class Party:
    """One state's (or organisation's) participation in one agreement."""

    agreement: str  # Agreement.key
    state_id: str
    ref: PartyRef
    line: int  # first row read for it
    lines: list[int] = field(default_factory=list)
    signed: str = ""
    ratified: str = ""
    in_force: str = ""
    ended: str = ""
    open_ended: bool = False


@dataclass
class PartiesResult:
    parties: list[Party]
    problems: list[DataProblem]
    rows: int = 0
    repeated_rows: int = 0  # rows merged into a party already read


def _variant(row: Row, variants: list[Agreement], problems: list[DataProblem]) -> Agreement:
    if len(variants) == 1:
        return variants[0]
    identity = tuple(row[c].strip() for c in IDENTITY)
    # The title names the agreement: a row repeating exactly one variant's title is that one's,
    # whatever its dates (ARG-PRY_1996A: the Convention's parties leave End and Force empty,
    # like the other agreement under the id, and would otherwise follow it).
    titled = [v for v in variants if v.identity[0] == identity[0]]
    if len(titled) == 1:
        return titled[0]
    scores = [sum(a == b for a, b in zip(identity, v.identity, strict=True)) for v in variants]
    best = max(scores)
    if scores.count(best) > 1:
        chosen = variants[scores.index(best)]
        problems.append(
            DataProblem(
                PartyKind.AMBIGUOUS,
                FILE,
                row.line,
                row["treatyID"],
                "Title",
                f"repeats the columns of {scores.count(best)} agreements under this id equally: "
                f"given to {chosen.key!r}",
            )
        )
        return chosen
    return variants[scores.index(best)]


def _step(
    rows: list[Row], column: str, party: Party, problems: list[DataProblem], *, end: bool
) -> tuple[str, bool]:
    """One step's EDTF (and, for the end, whether it is open) from all the rows of one party."""
    if len(rows) == 1:
        # 77,446 of the 87,157 parties have one row: nothing to reconcile.
        row = rows[0]
        converted = to_edtf(row[column], end=end)
        if converted.problem:
            _date_problem(row, column, converted, party, problems)
            return "", False
        if converted.unusual_sentinel:
            problems.append(unusual_sentinel(row, FILE, _record(party), column))
        return converted.edtf, converted.open
    dated: dict[str, int] = {}
    open_lines: list[int] = []
    for row in rows:
        converted = to_edtf(row[column], end=end)
        if converted.problem:
            _date_problem(row, column, converted, party, problems)
        elif converted.open:
            if converted.unusual_sentinel:
                problems.append(unusual_sentinel(row, FILE, _record(party), column))
            open_lines.append(row.line)
        elif converted.edtf:
            dated.setdefault(converted.edtf, row.line)
    if not dated:
        return "", bool(open_lines)
    edtf = one_of(list(dated))
    if len(dated) > 1 or open_lines:
        given = [f"{v!r} (line {n})" for v, n in dated.items()] + [f"no end (line {n})" for n in open_lines]
        kept = f"kept as {edtf!r}" if edtf else "left unknown: EDTF cannot say 'one of' these"
        problems.append(
            DataProblem(
                PartyKind.CONFLICT, FILE, rows[0].line, _record(party), column, f"{', '.join(given)}; {kept}"
            )
        )
    return edtf, False


def _date_problem(
    row: Row, column: str, converted: Converted, party: Party, problems: list[DataProblem]
) -> None:
    kind = Kind.OPEN_START if converted.problem == Why.OPEN_NOT_AN_END else Kind.MALFORMED_DATE
    message = f"{row[column]!r} left unknown"
    problems.append(DataProblem(kind, FILE, row.line, _record(party), column, message))


def _record(party: Party) -> str:
    return f"{party.agreement} {party.state_id}"


def parse_parties(
    rows: Iterable[Row], agreements: dict[str, list[Agreement]]
) -> tuple[PartiesResult, list[Agreement]]:
    """Reconciled parties, and the agreements known only from the parties file (added to ``agreements``)."""
    problems: list[DataProblem] = []
    groups: dict[tuple[str, str], list[Row]] = {}
    added: list[Agreement] = []
    count = 0
    for row in rows:
        count += 1
        treaty_id = row["treatyID"].strip()
        variants = agreements.get(treaty_id)
        if not variants:
            found: list[DataProblem] = []
            agreement = agreement_from(row, treaty_id, FILE, found)
            problems.extend(found)
            problems.append(
                DataProblem(
                    Kind.PARTIES_ONLY,
                    FILE,
                    row.line,
                    treaty_id,
                    "treatyID",
                    "no row in ggo_agreements.csv: built from the agreement columns of its party rows",
                )
            )
            agreements[treaty_id] = variants = [agreement]
            added.append(agreement)
        agreement = _variant(row, variants, problems)
        state_id = row["stateID"].strip()
        ref = place(state_id)
        # Two ids for one party (EUE and EUU, DDR and GDR) on one agreement are one party.
        kept = Row(row.line, {c: row.values[c] for c in GROUPED if c in row.values})
        groups.setdefault(
            (agreement.key, ref.kind, ref.key if ref.kind != "unknown" else state_id), []
        ).append(kept)
    parties: list[Party] = []
    repeated = 0
    for (key, _kind, _ref), group in groups.items():
        state_id = group[0]["stateID"].strip()
        ref = place(state_id)
        if ref.kind == "unknown":
            problems.append(
                DataProblem(
                    PartyKind.UNPLACED,
                    FILE,
                    group[0].line,
                    key,
                    "stateID",
                    f"{state_id!r} is not a party record ({ref.why}): not imported",
                )
            )
            continue
        party = Party(key, state_id, ref, group[0].line, [r.line for r in group])
        repeated += len(group) - 1
        for name, column in STEPS.items():
            setattr(party, name, _step(group, column, party, problems, end=False)[0])
        party.ended, party.open_ended = _step(group, "StateEnd", party, problems, end=True)
        parties.append(party)
    return PartiesResult(parties, problems, count, repeated), added
