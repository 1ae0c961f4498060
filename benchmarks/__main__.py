"""Run the benchmarks: every ``bench_*`` module of this package that has a ``run()``.

    python -m benchmarks                      # all of them
    python -m benchmarks foundation           # only bench_foundation (names or prefixes)

A module's ``run()`` prints its own results; when it returns a mapping (name → number) it is
printed here and written to ``build/bench/<module>.json`` as well.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import time
import traceback
from collections.abc import Mapping
from pathlib import Path

import benchmarks

OUT = Path(__file__).resolve().parent.parent / "build" / "bench"


def discover() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)
                  if m.name.startswith("bench_") and not m.ispkg)


def main(argv: list[str]) -> int:
    names = discover()
    if argv:
        wanted = [a.removeprefix("bench_").removesuffix(".py") for a in argv]
        names = [n for n in names if any(n.removeprefix("bench_").startswith(w) for w in wanted)]
        if not names:
            print(f"no benchmark matches {' '.join(argv)}; known: {' '.join(discover())}",
                  file=sys.stderr)
            return 2
    failed = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        run = getattr(module, "run", None)
        if not callable(run):
            continue
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        try:
            result = run()
        except Exception:  # report it and go on with the others
            traceback.print_exc()
            failed.append(name)
            continue
        if isinstance(result, Mapping):
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"{name.removeprefix('bench_')}.json").write_text(
                json.dumps(dict(result), indent=2, sort_keys=True, default=str) + "\n",
                encoding="utf-8")
            for key, value in result.items():
                print(f"  {key:40} {value:>14,.2f}" if isinstance(value, float)
                      else f"  {key:40} {value!s:>14}")
        print(f"   ({time.perf_counter() - start:.0f} s)\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
