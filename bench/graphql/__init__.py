"""The side-by-side GraphQL benchmark's pieces (issue 12), used by ``bench.sections.graphql_speed``.

- ``timeline_page.graphql``: the nested 50-event page a frontend asks Chancery for;
- ``timeline_page_relay.graphql``: the same page as Relay and Apollo send it (fragments, ``__typename``);
- ``postgraphile_page.graphql``: the same page asked of PostGraphile 4;
- :mod:`bench.graphql.orm`: the same JSON from hand-written Django ORM code;
- :mod:`bench.graphql.onesql`: the same JSON from one SQL statement plus Python date text;
- :mod:`bench.graphql.servers`: gunicorn and PostGraphile started for the run, and a load client.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMELINE_PAGE = (HERE / "timeline_page.graphql").read_text()
TIMELINE_PAGE_RELAY = (HERE / "timeline_page_relay.graphql").read_text()
POSTGRAPHILE_PAGE = (HERE / "postgraphile_page.graphql").read_text()
