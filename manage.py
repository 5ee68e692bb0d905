#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Like execute_from_command_line, but an unreachable database is one line, not a traceback.
    from core.outage import run_command

    run_command(sys.argv)


if __name__ == "__main__":
    main()
