"""``python -m audit [--seed 1] [-n 40] [--only NAME] [--url URL]``: the accuracy table of the database."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "seeds" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m audit", description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-n", type=int, default=40, help="records sampled per dataset (default 40)")
    parser.add_argument("--only", action="append", help="a dataset name; repeat for several")
    parser.add_argument("--url", help="a served Chancery (http://127.0.0.1:8000); default: in process")
    parser.add_argument("--raw", type=Path, default=RAW, help="folder of the datasets' raw copies")
    args = parser.parse_args(argv)
    if args.url is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
    from audit import load
    from audit.base import Api, audit, checkers, table

    load()
    chosen = checkers()
    unknown = set(args.only or ()) - set(chosen)
    if unknown:
        parser.error(f"no checker for {', '.join(sorted(unknown))}; known: {', '.join(chosen)}")
    client = Api(args.url)
    began = time.monotonic()
    results = [
        audit(checker, client, args.raw / name, args.seed, args.n)
        for name, checker in chosen.items()
        if not args.only or name in args.only
    ]
    print(
        f"Accuracy audit, seed {args.seed}, {args.n} records per dataset ({time.monotonic() - began:.1f} s)"
    )
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
