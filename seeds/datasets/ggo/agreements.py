"""GGO agreements → one record per agreement, keyed by ``treatyID``.

``treatyID`` is not unique in the file: 181 ids occur more than once. Rows that are
identical are one agreement; rows that differ are different agreements coded under
one id (a convention and its protocol, two fishing agreements of one year), so each
is kept, the later ones under ``<id>#2``, ``#3``…, and reported with both lines.
An id with ``:`` names the agreement it amends or extends after the colon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from seeds.datasets.ggo.messydates import Converted, Why, to_edtf
from seeds.datasets.ggo.rows import DataProblem, Row

FILE = "ggo_agreements.csv"
COLUMNS = ("treatyID", "Title", "Begin", "End", "Signature", "Force", "Term", "TypeAgree", "TypeDomain")
# Columns that say what the agreement is; the rest (coder, comments, links) are bookkeeping.
IDENTITY = ("Title", "Begin", "End", "Signature", "Force", "Term")


class Kind:
    """Problem kinds this step reports."""

    DUPLICATE_ID = "treatyID names different agreements"
    MALFORMED_DATE = "malformed date"
    OPEN_START = "open-end sentinel in a start date"
    UNUSUAL_SENTINEL = "no-end sentinel other than 9999-12-31"
    NO_TITLE = "agreement without a title"
    UNKNOWN_PARENT = "amends an agreement not in the data"
    PARTIES_ONLY = "agreement only in the parties file"


@dataclass
class Agreement:
    """One agreement as the data gives it, dates already EDTF (empty = unknown)."""

    key: str  # treatyID, or treatyID#n for a later agreement under the same id
    treaty_id: str
    line: int
    file: str
    title: str
    title_alt: str = ""
    agreement_type: str = ""
    domain: str = ""
    subject: str = ""
    ambit: str = ""
    signed: str = ""
    in_force: str = ""
    ended: str = ""
    open_ended: bool = False
    parent_id: str = ""  # treatyID of the agreement amended, as written after the colon
    parent_key: str = ""  # resolved key of that agreement, "" when not in the data
    url: str = ""
    identity: tuple[str, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        return slug_for(self.key)


def slug_for(key: str) -> str:
    """The Treaty slug for an agreement key: ``GTM-MEX_1987A`` → ``ggo-gtm-mex_1987a``."""
    return "ggo-" + re.sub(r"[^a-z0-9_-]+", "-", key.lower().replace(":", "--").replace("#", "-")).strip("-")


def _date(
    row: Row, file: str, key: str, column: str, problems: list[DataProblem], *, end: bool = False
) -> Converted:
    converted = to_edtf(row[column], end=end)
    if converted.problem:
        kind = Kind.OPEN_START if converted.problem == Why.OPEN_NOT_AN_END else Kind.MALFORMED_DATE
        problems.append(
            DataProblem(
                kind, file, row.line, key, column, f"{row[column]!r} left unknown ({converted.problem})"
            )
        )
    elif converted.unusual_sentinel:
        problems.append(unusual_sentinel(row, file, key, column))
    return converted


def unusual_sentinel(row: Row, file: str, record: str, column: str) -> DataProblem:
    """The report of an end written as a day of 9999 other than 9999-12-31 (``LBLONS_1962A``)."""
    return DataProblem(
        Kind.UNUSUAL_SENTINEL, file, row.line, record, column, f"{row[column]!r} {Why.UNUSUAL_SENTINEL}"
    )


def agreement_from(row: Row, key: str, file: str, problems: list[DataProblem]) -> Agreement:
    """Build one agreement from a row (of either file: both carry the agreement-level columns)."""
    treaty_id = row["treatyID"].strip()
    signed = _date(row, file, key, "Signature", problems)
    if not signed.edtf and not row["Signature"].strip():
        # Six agreements give no signature; Begin is then the earliest date the data knows.
        signed = _date(row, file, key, "Begin", problems)
    force = _date(row, file, key, "Force", problems)
    end = _date(row, file, key, "End", problems, end=True)
    if not end.edtf and not end.open and not row["End"].strip():
        end = _date(row, file, key, "Term", problems, end=True)
    title = " ".join(row["Title"].split())
    if not title:
        problems.append(DataProblem(Kind.NO_TITLE, file, row.line, key, "Title", "titled by its treatyID"))
    return Agreement(
        key=key,
        treaty_id=treaty_id,
        line=row.line,
        file=file,
        title=title or treaty_id,
        title_alt=" ".join(row["TitleAlt"].split()),
        agreement_type=row["TypeAgree"].strip(),
        domain=row["TypeDomain"].strip(),
        subject=row["TypeSubject"].strip(),
        ambit=row["TypeAmbit"].strip(),
        signed=signed.edtf,
        in_force=force.edtf,
        ended=end.edtf,
        open_ended=end.open,
        parent_id=treaty_id.split(":", 1)[1] if ":" in treaty_id else "",
        url=row["TextURL"].strip() if row["TextURL"].startswith(("http://", "https://")) else "",
        identity=tuple(row[c].strip() for c in IDENTITY),
    )


def parse_agreements(rows: Iterable[Row]) -> tuple[dict[str, list[Agreement]], list[DataProblem]]:
    """Agreements by treatyID (several when the id names different agreements), and the problems."""
    by_id: dict[str, list[Agreement]] = {}
    seen_rows: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    problems: list[DataProblem] = []
    for row in rows:
        treaty_id = row["treatyID"].strip()
        whole = tuple(sorted((k, v) for k, v in row.values.items()))
        earlier = seen_rows.setdefault(treaty_id, [])
        if any(whole == values for values, _ in earlier):
            continue  # an exact repeat of a row already read: the same agreement
        variants = by_id.setdefault(treaty_id, [])
        key = treaty_id if not variants else f"{treaty_id}#{len(variants) + 1}"
        found: list[DataProblem] = []
        agreement = agreement_from(row, key, FILE, found)
        problems.extend(found)
        if variants:
            first = variants[0]
            differs = [
                c for c, a, b in zip(IDENTITY, first.identity, agreement.identity, strict=True) if a != b
            ]
            differs = differs or ["TypeAgree, TextURL or other columns"]
            problems.append(
                DataProblem(
                    Kind.DUPLICATE_ID,
                    FILE,
                    row.line,
                    treaty_id,
                    "treatyID",
                    f"line {first.line} and line {row.line} differ in {', '.join(differs)}: "
                    f"both kept, this one as {key!r} ({agreement.title!r})",
                )
            )
        earlier.append((whole, row.line))
        variants.append(agreement)
    return by_id, problems


def link_parents(by_id: dict[str, list[Agreement]], problems: list[DataProblem]) -> None:
    """Point each amendment or protocol at the agreement its id names after the colon."""
    for variants in by_id.values():
        for agreement in variants:
            if not agreement.parent_id:
                continue
            parents = by_id.get(agreement.parent_id)
            if parents:
                agreement.parent_key = parents[0].key
            else:
                problems.append(
                    DataProblem(
                        Kind.UNKNOWN_PARENT,
                        agreement.file,
                        agreement.line,
                        agreement.key,
                        "treatyID",
                        f"amends {agreement.parent_id!r}, which neither file lists: no parent link",
                    )
                )
