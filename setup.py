"""Build steps pyproject.toml cannot express.

- The package list: every package under src/, plus the top-level folders that travel inside
  the package (mapped in pyproject.toml's package-dir).
- The gettext catalogs (locales/*/LC_MESSAGES/*.po) compiled into .mo files. They are build
  products, never committed: this runs for a wheel and for an editable install alike, and writes
  the .mo beside its .po so that both layouts find it.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py


def compile_catalogs(root: Path) -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        mo_path = po_path.with_suffix(".mo")
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        tmp.replace(mo_path)
        written.append(mo_path)
    return written


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs(Path(__file__).resolve().parent)
        super().run()


MAPPED = ["jsd_desk.migrations", "jsd_desk.migrations.versions", "jsd_desk.locales",
          "jsd_desk.resources"]

setup(packages=sorted(find_packages("src", include=["jsd_desk", "jsd_desk.*"]) + MAPPED),
      cmdclass={"build_py": BuildPyWithCatalogs})
