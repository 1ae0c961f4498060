"""`make bench`'s one table: ratios found in any benchmark module's results, declared or named."""

from __future__ import annotations

from types import SimpleNamespace

from benchmarks.__main__ import Ratio, ratios_of, table


def test_declared_ratios_are_measured_over_baseline() -> None:
    module = SimpleNamespace(RATIOS=[("open vs raw", "open_ms", "raw_ms"),
                                     ("gone vs raw", "gone_ms", "raw_ms")])
    rows = ratios_of("bench_list", module, {"open_ms": 30.0, "raw_ms": 10, "note": "x"})
    assert rows[0] == Ratio("list", "open vs raw", 3.0, 30.0, 10.0)
    assert rows[1].ratio is None and "gone_ms" in rows[1].note


def test_named_ratios_of_a_module_added_later() -> None:
    results = {"write_vs_raw_ratio": 5.9, "postgres_ingest_ratio": 2, "events": 100,
               "flag_ratio": True, "when": "today"}
    rows = ratios_of("bench_new", SimpleNamespace(), results)
    assert [(r.measure, r.ratio) for r in rows] == [("write_vs_raw_ratio", 5.9),
                                                      ("postgres_ingest_ratio", 2.0)]
    # A module reporting no ratio still gets its line, so nothing vanishes from the table.
    assert ratios_of("bench_none", SimpleNamespace(), {"events": 1})[0].ratio is None


def test_the_table_is_markdown_with_one_line_per_ratio() -> None:
    lines = table([Ratio("ui", "start-up", 2.5, 0.5, 0.2), Ratio("hub", "(failed)", None)])
    assert lines[0].startswith("| benchmark | measure | ratio")
    assert lines[2] == "| ui | start-up | 2.50× | 0.5 | 0.2 |"
    assert lines[3] == "| hub | (failed) | — | — | — |"
