"""Run the benchmarks and print one table of every ratio against its same-run baseline.

    python -m benchmarks                      # all of them (make bench)
    python -m benchmarks foundation ui        # only bench_foundation and bench_ui (names or prefixes)
    python -m benchmarks --quick              # small sizes (minutes, not hours): QUICK below

Every ``bench_*`` module of this package that has a ``run()`` is run in turn. A ``run()`` prints
its own details and returns a mapping of numbers (or writes ``build/bench/<name>.json`` itself,
as ``{"results": {...}}``, and returns None). Each module's results go to
``build/bench/<name>.json``; then one table of ratios is printed and written to
``build/bench/summary.json`` (and ``summary.md``, the README's table).

Which results are ratios, so that a module added later needs no registration here:
- a module may declare ``RATIOS = [(label, measured_key, baseline_key), ...]``: the ratio is
  measured / baseline, both shown;
- otherwise every numeric result whose key ends in ``_ratio`` or contains ``_vs_`` is one (its
  label is the key).
``--quick`` sets the size knobs the modules read from the environment (``QUICK_ENV``, unless
already set) and passes a module's own ``QUICK`` mapping, if it has one, to its ``run()`` as
keyword arguments; the table then says the sizes were small.
A module that fails is reported in the table and the others still run; the exit status is then 1.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import benchmarks

OUT = Path(__file__).resolve().parent.parent / "build" / "bench"
QUICK_ENV = {"JSD_BENCH_DEMO_SESSIONS": "40", "JSD_BENCH_EVENTS": "1000",
             "JSD_BENCH_HUB_EVENTS": "5000", "JSD_BENCH_HUB_DEVICES": "10"}


@dataclass(frozen=True)
class Ratio:
    benchmark: str
    measure: str
    ratio: float | None
    measured: float | None = None
    baseline: float | None = None
    note: str = ""


def discover() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)
                  if m.name.startswith("bench_") and not m.ispkg)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def ratios_of(name: str, module: Any, results: Mapping[str, Any]) -> list[Ratio]:
    short = name.removeprefix("bench_")
    declared = getattr(module, "RATIOS", None)
    found: list[Ratio] = []
    if declared:
        for label, measured_key, baseline_key in declared:
            measured, baseline = _number(results.get(measured_key)), _number(results.get(baseline_key))
            ok = measured is not None and baseline not in (None, 0.0)
            found.append(Ratio(short, label, measured / baseline if ok else None,  # type: ignore[operator]
                               measured, baseline,
                               "" if ok else f"missing {measured_key} or {baseline_key}"))
    for key, value in results.items():
        number = _number(value)
        if number is not None and (key.endswith("_ratio") or "_vs_" in key):
            found.append(Ratio(short, key, number))
    if not found:
        found.append(Ratio(short, "(no ratio reported)", None, note="the module reports none"))
    return found


def _results(name: str, returned: Any) -> Mapping[str, Any]:
    if isinstance(returned, Mapping):
        return returned
    written = OUT / f"{name.removeprefix('bench_')}.json"  # a module that writes its own file
    if written.is_file():
        data = json.loads(written.read_text(encoding="utf-8"))
        inner = data.get("results", data) if isinstance(data, dict) else {}
        return inner if isinstance(inner, Mapping) else {}
    return {}


def machine() -> dict[str, Any]:
    try:
        uptime = subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        uptime = ""
    return {"when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "uptime": uptime,
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "machine": f"{platform.system()} {platform.machine()}"}


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def table(rows: list[Ratio]) -> list[str]:
    header = ("benchmark", "measure", "ratio", "measured", "baseline")
    body = [(r.benchmark, r.measure + (f" ({r.note})" if r.note else ""),
             f"{r.ratio:.2f}×" if r.ratio is not None else "—", _fmt(r.measured), _fmt(r.baseline))
            for r in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _h in header) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return lines


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    argv = [a for a in argv if a != "--quick"]
    if quick:
        for key, value in QUICK_ENV.items():
            os.environ.setdefault(key, value)
    names = discover()
    if argv:
        wanted = [a.removeprefix("bench_").removesuffix(".py") for a in argv]
        names = [n for n in names if any(n.removeprefix("bench_").startswith(w) for w in wanted)]
        if not names:
            print(f"no benchmark matches {' '.join(argv)}; known: {' '.join(discover())}",
                  file=sys.stderr)
            return 2
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[Ratio] = []
    failed: list[str] = []
    for name in names:
        short = name.removeprefix("bench_")
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except Exception:
            traceback.print_exc()
            failed.append(name)
            rows.append(Ratio(short, "(failed to import)", None, note="see the traceback"))
            continue
        run = getattr(module, "run", None)
        if not callable(run):
            continue
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        try:
            returned = run(**(getattr(module, "QUICK", {}) if quick else {}))
        except Exception:  # report it and go on with the others
            traceback.print_exc()
            failed.append(name)
            rows.append(Ratio(short, "(failed)", None, note="see the traceback"))
            continue
        results = _results(name, returned)
        if isinstance(returned, Mapping):
            (OUT / f"{short}.json").write_text(
                json.dumps(dict(returned), indent=2, sort_keys=True, default=str) + "\n",
                encoding="utf-8")
        rows.extend(ratios_of(name, module, results))
        print(f"   ({time.perf_counter() - start:.0f} s)\n", flush=True)

    meta = {**machine(), "quick": quick}
    lines = table(rows)
    print(f"\nRatios against same-run baselines ({meta['when']}; {meta['uptime']})")
    print("\n".join(lines))
    (OUT / "summary.json").write_text(json.dumps(
        {"meta": meta, "ratios": [asdict(r) for r in rows], "failed": failed}, indent=2) + "\n",
        encoding="utf-8")
    (OUT / "summary.md").write_text(
        ("Quick run (`python -m benchmarks --quick`: small sizes). " if quick else "")
        + f"Measured {meta['when']} on {meta['cpus']} CPUs ({meta['machine']}, Python "
        f"{meta['python']}); `uptime`: {meta['uptime']}\n\n" + "\n".join(lines) + "\n",
        encoding="utf-8")
    print(f"  → {OUT / 'summary.json'}, {OUT / 'summary.md'}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
