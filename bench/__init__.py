"""Scale benchmarks: a synthetic million-event dataset and the queries Chancery must keep fast.

Run with ``make bench`` or ``python -m bench.run --help``; the results go to ``bench/report.md``.
"""
