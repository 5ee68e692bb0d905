"""GGO agreements and parties → the importer's records (the same ones a seed YAML file gives).

From here on GGO goes through the shared validate → resolve → write steps like any
seed file. A treaty's life is three TREATY events (signed, entered into force,
ended) citing the agreement's row; each party's own steps stay on its TreatyParty,
where the country treaty list and the step filters read them (docs/datasets.md
says why they are not events of their own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seeds.datasets.ggo.agreements import Agreement, slug_for
from seeds.datasets.ggo.eras import era_of, first_step
from seeds.datasets.ggo.parties import Party
from seeds.datasets.ggo.rows import DataProblem
from seeds.datasets.ggo.states import PartyRef

SOURCE = "manytreaties-ggo"
TYPES = {
    "Agreement": "AGREEMENT",
    "Amendment": "AMENDMENT",
    "Protocol": "PROTOCOL",
    "MOU": "MOU",
    "Resolution": "RESOLUTION",
    "Regulation": "REGULATION",
    "Report": "REPORT",
    "Extending": "EXTENSION",
}
TITLE_LIMIT = 300  # Event.title


class Kind:
    UNKNOWN_TYPE = "unknown agreement type"
    UNRESOLVED = "party not in the database"
    SAME_PARTY = "two codes for one party in its era"


@dataclass(frozen=True)
class Resolved:
    """Where a party lands: a country code or an organisation slug."""

    country: str | None = None
    organization: str | None = None


Resolver = Callable[[PartyRef], Resolved | None]


def locator(agreement: Agreement) -> str:
    return f"{agreement.file} line {agreement.line} (treatyID {agreement.treaty_id})"


def _event_title(verb: str, agreement: Agreement) -> str:
    title = f"{verb}: {agreement.title}"
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1].rstrip() + "…"


def treaty_record(
    agreement: Agreement, parties: list[Party], resolve: Resolver, problems: list[DataProblem]
) -> dict[str, object]:
    """The treaty's record as a seed file would give it (validated by the importer's schema)."""
    treaty_type = TYPES.get(agreement.agreement_type)
    if agreement.agreement_type and treaty_type is None:
        problems.append(
            DataProblem(
                Kind.UNKNOWN_TYPE,
                agreement.file,
                agreement.line,
                agreement.key,
                "TypeAgree",
                f"{agreement.agreement_type!r} left empty",
            )
        )
    party_records = []
    by_party: dict[Resolved, dict[str, object]] = {}
    for party in parties:
        day = first_step(party.signed, party.ratified, party.in_force, agreement.signed, agreement.in_force)
        ref, note = era_of(party.ref, party.state_id, day)
        where = resolve(ref)
        if where is None:
            problems.append(
                DataProblem(
                    Kind.UNRESOLVED,
                    "ggo_parties.csv",
                    party.line,
                    f"{party.agreement} {party.state_id}",
                    "stateID",
                    f"{party.ref.kind} {party.ref.key!r} has no record: party not imported",
                )
            )
            continue
        if where in by_party:
            # Two GGO codes of one state of the era (SRB and YUG on a 1980 treaty): one party.
            problems.append(
                DataProblem(
                    Kind.SAME_PARTY,
                    "ggo_parties.csv",
                    party.line,
                    f"{party.agreement} {party.state_id}",
                    "stateID",
                    f"the same party as {by_party[where]['source_code']!r} in its era: first row kept",
                )
            )
            continue
        record: dict[str, object] = {
            "signed": party.signed,
            "ratified": party.ratified,
            "in_force": party.in_force,
            "ended": party.ended,
            "open_ended": party.open_ended,
            "source_code": party.state_id,
            "note": note,
        }
        if where.country:
            record["country"] = where.country
        else:
            record["organization"] = where.organization
        by_party[where] = record
        party_records.append(record)
    return {
        "slug": agreement.slug,
        "name": agreement.title,
        "alternative_name": agreement.title_alt if agreement.title_alt != agreement.title else "",
        "signed": agreement.signed,
        "in_force": agreement.in_force,
        "ended": agreement.ended,
        "open_ended": agreement.open_ended,
        "treaty_type": treaty_type or "",
        "domain": agreement.domain,
        "subject": agreement.subject,
        "ambit": agreement.ambit,
        "parent": slug_for(agreement.parent_key) if agreement.parent_key else None,
        "parties": party_records,
        "citations": [{"source": SOURCE, "locator": locator(agreement)}],
    }


def life_events(agreement: Agreement) -> list[dict[str, object]]:
    """The treaty's signature, entry into force and end as TREATY events, each citing its row."""
    steps = [
        ("signed", "Signed", agreement.signed),
        ("in-force", "Enters into force", agreement.in_force),
        ("ended", "Ends", agreement.ended),
    ]
    citation = {"source": SOURCE, "locator": locator(agreement)}
    return [
        {
            "slug": f"{agreement.slug}-{suffix}",
            "kind": "TREATY",
            "title": _event_title(verb, agreement),
            "date": date,
            "treaty": agreement.slug,
            "citations": [citation],
        }
        for suffix, verb, date in steps
        if date
    ]
