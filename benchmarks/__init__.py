"""Speed benchmarks (issue 2 and later): ratios against a baseline measured in the same run.

Not part of the test suite. ``python -m benchmarks`` (or ``make bench``) runs every
``bench_*.py`` module of this package; see ``benchmarks/README.md``.
"""
