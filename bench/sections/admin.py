"""The admin at the record's real size (issue 23): changelists, each filter, search, the largest forms.

Measured at the imported size (the seeds and bundled datasets, ~19k events and ~87k treaty
parties, imported by ``import_seeds`` into a SQLite file and a PostgreSQL database of the run's
own, bench/scratch.py, dropped at the end; each in a subprocess: ``python -m
bench.sections.admin URL``), and on the benchmark database when it holds the million-event
dataset. Each page
is rendered through Django's test client as a superuser: median time, SQL statements,
HTML size, and for a changelist the number of links in its filter sidebar.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from bench.scratch import postgres_database, sqlite_database
from bench.sections import UNCACHED, setup_worker, worker_result
from bench.sections.pages import timed_pages

TITLE = "Admin at real size: changelists, filters, search and the largest change forms"
NEEDS_DATASET = False
USERNAME = "bench-admin"
MILLION = 500_000


def _pages() -> list[tuple[str, str]]:
    """(label, URL) of every page measured, picked by cheap queries on what the database holds."""
    from django.db.models import Count
    from django.urls import reverse

    from events.models import Event, Participation, Treaty, TreatyParty
    from people.models import Person, Role
    from places.models import Country, Region

    events = reverse("admin:events_event_changelist")
    pages = [("event list", events)]
    for param, value in (("kind", "VISIT"), ("status", "REPORTED")):
        pages.append((f"event list, {param}", f"{events}?{param}={value}"))
    if country := Country.objects.filter(code="US").first() or Country.objects.order_by("pk").first():
        pages.append(("event list, country (where)", f"{events}?country={country.pk}"))
        pages.append(("event list, participant country", f"{events}?participant_country={country.pk}"))
    if region := Region.objects.filter(iso_code="UA-30").first() or Region.objects.order_by("pk").first():
        pages.append(("event list, region", f"{events}?region={region.pk}"))
    busiest = (
        Participation.objects.exclude(person=None)
        .values("person")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest:
        pages.append(("event list, participant", f"{events}?participant={busiest['person']}"))
    if treaty := Event.objects.exclude(treaty=None).values_list("treaty", flat=True).first():
        pages.append(("event list, treaty", f"{events}?treaty={treaty}"))
    for label, value in (("decade", "2010s"), ("year", "2014"), ("century", "1900-1999")):
        pages.append((f"event list, date {label}", f"{events}?date_period={value}"))
    for term in ("hsg-visits-2858", "Kyiv"):
        pages.append((f"event list, search {term!r}", f"{events}?q={term}"))
    treaties = reverse("admin:events_treaty_changelist")
    pages.append(("treaty list", treaties))
    if country:
        pages.append(("treaty list, party", f"{treaties}?party={country.pk}"))
    pages.append(("treaty party list", reverse("admin:events_treatyparty_changelist")))
    pages.append(("person list", reverse("admin:people_person_changelist")))
    pages.append(("role list", reverse("admin:people_role_changelist")))
    pages.append(("region list", reverse("admin:places_region_changelist")))
    # The biggest of each by its link table (one GROUP BY each, not a join of the whole table).
    largest = [
        ("treaty", Treaty, TreatyParty, "treaty", "events_treaty"),
        ("person", Person, Role, "person", "people_person"),
        ("region", Region, Region, "parent", "places_region"),
        ("event", Event, Participation, "event", "events_event"),
    ]
    for label, model, link, fk, name in largest:
        top = link.objects.exclude(**{fk: None}).values(fk).annotate(n=Count("pk")).order_by("-n").first()
        if top is not None:
            record = model.objects.get(pk=top[fk])
            url = reverse(f"admin:{name}_change", args=[record.pk])
            pages.append((f"{label} form: {str(record)[:40]} ({top['n']} rows)", url))
    return pages


def measure(*, repeat: int) -> dict[str, Any]:
    """Median render time (ms, with p10/p90 over shuffled rounds), statements, KiB and sidebar links
    of each page."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from events.models import Event, TreatyParty

    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        user = get_user_model().objects.create_superuser(USERNAME, password=None)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows = timed_pages(client, _pages(), repeat, "admin pages")
    for row in rows:
        html = client.get(row["url"]).content.decode()
        sidebar = (
            html.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0]
            if "changelist-filter" in html
            else ""
        )
        row.update(kib=row["bytes"] / 1024, filter_links=len(re.findall(r"<a ", sidebar)))
    return {"events": Event.objects.count(), "parties": TreatyParty.objects.count(), "rows": rows}


def _worker(url: str, repeat: int) -> None:
    """Migrate and import the record into ``url`` (a no-op when up to date), then measure it."""
    import json

    setup_worker(url, debug=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_seeds", verbosity=0)
    print(json.dumps(measure(repeat=repeat)))


def _table(result: dict[str, Any]) -> list[str]:
    lines = [
        f"{result['events']:,} events, {result['parties']:,} treaty parties.",
        "",
        "| page | status | SQL statements | median ms (p10–p90) | HTML KiB | sidebar links |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        timing = f"{row['median_ms']:.0f} ({row['p10_ms']:.0f}–{row['p90_ms']:.0f})"
        lines.append(
            f"| {row['page']} | {row['status']} | {row['statements']} | {timing} "
            f"| {row['kib']:.0f} | {row['filter_links'] or ''} |"
        )
    return lines


def run(*, repeat: int) -> str:
    from events.models import Event

    lines = [
        f"Median of {max(repeat, 3)} renders each through the test client, logged in as a superuser, "
        "every page of a database in shuffled rounds with the others (bench/measure/rounds.py).",
        "",
    ]
    # Databases of this run's own, imported afresh and dropped at the end (bench/scratch.py).
    with postgres_database("admin_size") as pg_url, sqlite_database("admin_size") as sqlite_url:
        for title, url in (("SQLite", sqlite_url), ("PostgreSQL", pg_url)):
            result = worker_result("bench.sections.admin", url, str(repeat), env=UNCACHED)
            lines += [f"### At the imported size ({title})", "", *_table(result), ""]
    if Event.objects.count() >= MILLION:
        lines += [
            "### The million-event benchmark database (PostgreSQL)",
            "",
            *_table(measure(repeat=repeat)),
        ]
    else:
        lines.append(
            "The million-event dataset is not loaded: `python -m bench.run --only core --only admin`."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    _worker(sys.argv[1], int(sys.argv[2]))
