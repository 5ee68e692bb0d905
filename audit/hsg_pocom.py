"""hsg-pocom: a chief of mission or principal officer (``<chief>``, ``<principal>``) against the served Role.

Checked: the holder by name (people/ file), the title (roles-country-chiefs/, or the
position's or organisation mission's own name), the post (the country of the territory
slug, or the organisation), the start (the day started; else "on or after" the
appointment, never the appointment as the start) and end, and whether the office was
held: an ``<other-nominees>`` entry, or one whose note says the nominee declined or never
went, did not serve and must not be served as a term of office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.base import NOT_FOUND, Api, ErrorKind, Record, contains_words, draw, fold, register
from audit.match import same_country, same_person
from audit.raw import text, xml_files

# "Designated, not commissioned, on …" is how a representative to an organisation was appointed
# (UNESCO, OECD: designated by the Secretary, no presidential commission), not a failure to serve.
NOT_SERVED = re.compile(
    r"\b(declined|did not (proceed|serve|accept|take)|(?<!designated, )not (confirmed|commissioned)|"
    r"withdr[ae]wn?|rejected|"
    r"nominai?on returned|died before|never (took|proceeded|served|presented))",
    re.I,
)
# Territory slugs whose words are not the country's name (checked against the served name).
TERRITORIES: dict[str, tuple[str, ...]] = {
    "saint-vincent-and-grenadines": ("saint vincent and the grenadines",),
    "congo-kinshasa": ("congo the democratic republic of the",),
    "korea-south": ("south korea", "korea republic of"),
    "korea-north": ("north korea",),
    "czechoslovakia-1993": ("czechoslovakia", "czechia"),
    "cote-divoire": ("cote d ivoire",),
    "congo-democratic-republic": ("congo the democratic republic of the",),
    "holy-see": ("vatican",),
    "burma": ("myanmar",),
    "turkey": ("turkiye",),
    "swaziland": ("eswatini",),
    "cape-verde": ("cabo verde",),
    "east-timor": ("timor leste",),
    "timor-leste": ("timor leste",),
    "russia": ("soviet union",),
    "taiwan": ("china",),  # the Republic of China's mission before 1979 (China until 1949)
    "micronesia": ("micronesia federated states of",),
    "palestine": ("palestine",),
}
ROLE_QUERY = """query($slug: String!) { person(slug: $slug) { name aliases roles {
  title %s postCountry { code name aliases } postOrganization { slug name aliases abbreviation }
  start { edtf earliest latest } end { edtf } endState citations { locator } } } }"""


# Missions filed among the organisations' that are U.S. delegations, not held at any organisation.
NO_ORGANIZATION = {"missions-orgs/representative-to-usoarn.xml"}
# Words an organisation's name shares with its U.S. mission's title whatever the wording.
GENERIC = {"organization", "of", "the", "united", "nations", "for"}


def _spelling(name: str) -> str:
    """British and American spellings of one organisation's name compared as one."""
    return fold(name).replace("organisation", "organization").replace("co operation", "cooperation")


@dataclass
class Pocom:
    name: str = "hsg-pocom"
    outcome_field: str | None = field(default=None, init=False)
    _introspected: bool = field(default=False, init=False)

    def sample(self, raw_dir: Path, seed: int, n: int) -> list[Record]:
        titles: dict[str, str] = {}
        people: dict[str, str] = {}
        entries: list[tuple[str, Any, str, str, bool]] = []
        for file, root in xml_files(raw_dir, ("roles-country-chiefs/", "people/")):
            if file.startswith("roles-country-chiefs/"):
                titles[text(root, "id")] = text(root, "names/singular")
            else:
                people[text(root, "id")] = " ".join(
                    filter(None, [text(root, "persName/forename"), text(root, "persName/surname")])
                )
        for file, root in xml_files(
            raw_dir, ("missions-countries/", "missions-orgs/", "positions-principals/")
        ):
            tag = "principal" if root.tag == "principal-position" else "chief"
            own = text(root, "names/singular") if root.tag != "country-mission" else ""
            nominees = {id(e) for block in root.iter("other-nominees") for e in block.iter(tag)}
            for entry in root.iter(tag):
                entries.append((file, entry, own, text(root, "territory-id"), id(entry) in nominees))
        records = []
        for file, entry, own, territory, nominee in entries:
            note = (
                " ".join(text(entry, f"{s}/note") for s in ("appointed", "started", "ended"))
                + " "
                + text(entry, "note")
            )
            records.append(
                Record(
                    f"{file} #{text(entry, 'id')}",
                    {
                        "file": file,
                        "id": text(entry, "id"),
                        "person_id": text(entry, "person-id"),
                        "person": people.get(text(entry, "person-id"), ""),
                        "title": own or titles.get(text(entry, "role-title-id"), ""),
                        "organization": own if file.startswith("missions-orgs/") else "",
                        "territory": text(entry, "contemporary-territory-id") or territory,
                        "appointed": text(entry, "appointed/date"),
                        "started": text(entry, "started/date"),
                        "ended": text(entry, "ended/date"),
                        "served": not nominee
                        and not (NOT_SERVED.search(note) and not text(entry, "started/date")),
                        "note": note.strip(),
                    },
                )
            )
        return draw(records, seed, n)

    def _introspect(self, client: Api) -> None:
        # Whether the API says if a role was held (issue 21, item 1); until it does, a nominee
        # who never served is wrong wherever it is served as a role.
        if not self._introspected:
            fields = client.query('{ __type(name: "Role") { fields { name } } }')["__type"]["fields"]
            names = {f["name"] for f in fields}
            self.outcome_field = next((n for n in ("outcome", "served") if n in names), None)
            self._introspected = True

    def lookup(self, client: Api, record: Record) -> list[dict[str, Any]]:
        self._introspect(client)
        query = ROLE_QUERY % (self.outcome_field or "")
        person = client.query(query, slug=record.fields["person_id"])["person"]
        if not person:
            return []
        suffix = f"{record.fields['file']} #{record.fields['id']}"
        holder = {"name": person["name"], "aliases": person["aliases"]}
        return [
            {**role, "person": holder}
            for role in person["roles"]
            if any((c["locator"] or "").endswith(suffix) for c in role["citations"])
        ]

    def compare(self, expected: Record, got: list[dict[str, Any]]) -> list[ErrorKind]:
        """The role citing the record that differs least (three pocom ids name two records each)."""
        if not got:
            return self._one(expected, None)
        return min((self._one(expected, role) for role in got), key=len)

    def _one(self, expected: Record, got: dict[str, Any] | None) -> list[ErrorKind]:
        f = expected.fields
        if not got:
            if not f["person"]:
                return [ErrorKind("not served: person id missing from people/", f["person_id"])]
            if not f["served"] and not f["started"]:
                return []  # a nomination not served as a role: right, whatever else is missing
            return [ErrorKind(NOT_FOUND, f"{f['person']} ({f['person_id']}), {f['title']}")]
        errors = []
        served = got.get(self.outcome_field) if self.outcome_field else True
        if isinstance(served, str):
            served = served.upper() in {"SERVED", "HELD"}
        if bool(served) != f["served"]:
            what = "nomination served as a term" if served else "term served as a nomination"
            errors.append(ErrorKind(what, f"{f['person']}: {f['note'][:120]!r}"))
        if not same_person(f["person"], got["person"]):
            errors.append(ErrorKind("holder name", f"raw {f['person']!r}, served {got['person']['name']!r}"))
        if fold(got["title"]) != fold(f["title"]):
            errors.append(ErrorKind("title", f"raw {f['title']!r}, served {got['title']!r}"))
        errors += self._post(f, got)
        errors += self._dates(f, got)
        return errors

    def _post(self, f: dict[str, Any], got: dict[str, Any]) -> list[ErrorKind]:
        if f["file"] in NO_ORGANIZATION:
            return (
                []
                if got["postOrganization"] is None
                else [ErrorKind("post organisation", f"served {got['postOrganization']}")]
            )
        if f["organization"]:
            org = got["postOrganization"]
            names = [org["name"], org["abbreviation"] or "", *org["aliases"]] if org else []
            raw = set(_spelling(f["organization"]).split())
            if not any(
                n
                and (
                    contains_words(_spelling(f["organization"]), _spelling(n))
                    or set(_spelling(n).split()) - GENERIC <= raw
                )
                for n in names
            ):
                return [ErrorKind("post organisation", f"raw {f['organization']!r}, served {names[:1]}")]
            return []
        if f["file"].startswith("positions-principals/"):
            return []  # an office in Washington: no post abroad
        slug = f["territory"]
        forms = [slug.replace("-", " "), *TERRITORIES.get(slug, ())]
        if not same_country(got["postCountry"], *forms, on=f["started"] or f["appointed"]):
            served = (got["postCountry"] or {}).get("name")
            return [ErrorKind("post country", f"raw {slug!r}, served {served!r}")]
        return []

    def _dates(self, f: dict[str, Any], got: dict[str, Any]) -> list[ErrorKind]:
        errors = []
        start = got["start"] or {}
        if f["started"]:
            if start.get("edtf") != f["started"]:
                errors.append(ErrorKind("start", f"raw started {f['started']}, served {start.get('edtf')}"))
        elif len(f["appointed"]) == 10:
            # Started on or after the appointment, day unknown: the appointment is no start day.
            if start.get("earliest") != f["appointed"] or start.get("edtf") == f["appointed"]:
                errors.append(
                    ErrorKind(
                        "start", f"raw appointed {f['appointed']}, none started, served {start.get('edtf')}"
                    )
                )
        elif start.get("edtf"):
            errors.append(ErrorKind("start", f"raw none, served {start.get('edtf')}"))
        end = got["end"] or {}
        if f["ended"]:
            if end.get("edtf") != f["ended"]:
                errors.append(ErrorKind("end", f"raw {f['ended']}, served {end.get('edtf')}"))
        elif end.get("edtf") or got["endState"] == "KNOWN":
            errors.append(ErrorKind("end", f"raw none, served {end.get('edtf')} ({got['endState']})"))
        return errors


register(Pocom())
