"""The hub tests never skip: without the PostgreSQL server they fail, locally and in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A hub test that needs nothing but the server.
HUB_TEST = "tests/test_migrations.py::test_empty_postgres_database_upgrades_to_exactly_the_models"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("JSD_TEST_PG_URL", "CI")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *args],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
                          timeout=300)


def test_without_the_server_a_hub_test_fails_and_ci_stops() -> None:
    alone = run({}, HUB_TEST)
    assert alone.returncode == 1, alone.stdout
    summary = alone.stdout.strip().splitlines()[-1]
    assert "error" in summary and "skipped" not in summary, summary
    assert "JSD_TEST_PG_URL is not set" in alone.stdout

    ci = run({"CI": "true", "JSD_TEST_PG_URL": "postgresql+psycopg://jsd@127.0.0.1:1/none"},
             HUB_TEST)
    assert ci.returncode == 1, ci.stdout
    assert "does not answer" in ci.stdout + ci.stderr and "passed" not in ci.stdout


def test_every_test_using_the_server_is_marked_postgres() -> None:
    listed = run({}, "--collect-only", "-m", "postgres", "tests/test_indicators.py",
                 "tests/test_reports.py", "tests/test_ui_dashboard.py")
    names = listed.stdout
    assert "test_postgres_percentile_cont_agrees" in names  # its module has no mark of its own
    assert "postgresql]" in names  # a test parametrized over both databases, on PostgreSQL
    assert "test_ui_dashboard" not in names
