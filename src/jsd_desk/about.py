"""Who made this and under which licences: the version, and the licences of what is bundled.

Everything here is read from the installed distributions' metadata (``importlib.metadata``), so
the About dialog and ``--version`` say what is really installed — in a virtual environment and
in the frozen one-folder app alike (the PyInstaller spec copies the same metadata and calls
:func:`bundled_distributions` to know which). Components that are not Python distributions (Qt's
C++ libraries inside PySide6's wheels, the SQLCipher library inside the sqlcipher3 wheel, the
DejaVu fonts in our resources) cannot be found that way; ``resources/licences/components.json``
names them, each attached to the distribution that carries it, so one is listed only when its
carrier is installed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name

DISTRIBUTION = "jsd-desk"
LICENCE = "Apache-2.0"
_LICENCE_CLASSIFIER = re.compile(r"^License :: (?:OSI Approved :: )?(.+)$")
# A License field longer than this is a sentence or the whole text, not the licence's name.
_NAME_LIMIT = 64


def icon_files() -> list[Path]:
    """The application icon's PNGs, smallest first (resources/icons/hicolor/NxN/apps)."""
    root = resources.files("jsd_desk.resources") / "icons" / "hicolor"
    found = [Path(str(d / "apps" / "jsd-desk.png")) for d in root.iterdir()
             if d.is_dir() and d.name.partition("x")[0].isdigit()]
    return sorted((p for p in found if p.is_file()),
                  key=lambda p: int(p.parent.parent.name.partition("x")[0]))


def version() -> str:
    """The installed distribution's version (what pip and the bundle's metadata say)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # sources on sys.path without an install
        return "0+unknown"


@dataclass(frozen=True)
class Licence:
    name: str  # a distribution or a component
    version: str
    licence: str  # an SPDX expression where the metadata give one, else their words
    texts: tuple[str, ...]  # the licence files' texts (may be empty)
    carrier: str | None = None  # for a component: the distribution that carries it
    url: str | None = None


def _requirements(dist: metadata.Distribution, extras: frozenset[str]) -> list[Requirement]:
    wanted: list[Requirement] = []
    for line in dist.requires or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        marker: Marker | None = req.marker
        if marker is None or any(marker.evaluate({"extra": e}) for e in (extras or {""})):
            wanted.append(req)
    return wanted


def bundled_distributions(root: str = DISTRIBUTION) -> list[metadata.Distribution]:
    """The installed distributions ``root`` needs at run time (its requirements, theirs, …,
    with extras followed and environment markers evaluated), ``root`` first."""
    seen: dict[str, metadata.Distribution] = {}
    queue: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while queue:
        name, extras = queue.pop(0)
        key = canonicalize_name(name)
        try:
            dist = seen.get(key) or metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # required only elsewhere (a marker we could not rule out) or not installed
        first = key not in seen
        seen[key] = dist
        if first or extras:
            queue.extend((req.name, frozenset(req.extras)) for req in _requirements(dist, extras))
    return list(seen.values())


def _licence_texts(dist: metadata.Distribution) -> tuple[str, ...]:
    texts = []
    for name in dist.metadata.get_all("License-File") or []:
        # PEP 639 puts them under licenses/ in the .dist-info; older wheels at its top.
        for candidate in (f"licenses/{name}", name):
            text = dist.read_text(candidate)
            if text:
                texts.append(text.strip())
                break
    return tuple(texts)


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def licence_of(dist: metadata.Distribution) -> str:
    """The licence's name from the metadata: License-Expression, else a short License field,
    else the licence classifiers, else the first line of a licence file."""
    meta = dist.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    if field and len(field) <= _NAME_LIMIT and "\n" not in field:
        return field
    classifiers = [m.group(1) for c in meta.get_all("Classifier") or []
                   if (m := _LICENCE_CLASSIFIER.match(c))]
    if classifiers:
        return " OR ".join(classifiers)
    for text in _licence_texts(dist):
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if first:
            return first[:_NAME_LIMIT]
    return field.splitlines()[0][:_NAME_LIMIT] if field else "?"


def _components(installed: dict[NormalizedName, metadata.Distribution]) -> list[Licence]:
    data = json.loads((resources.files("jsd_desk.resources") / "licences" / "components.json")
                      .read_text(encoding="utf-8"))
    found = []
    for item in data["components"]:
        carrier = installed.get(canonicalize_name(item["carried_by"]))
        if carrier is None:
            continue
        texts: tuple[str, ...] = ()
        if item.get("file"):
            texts = ((resources.files("jsd_desk.resources") / item["file"])
                     .read_text(encoding="utf-8").strip(),)
        found.append(Licence(item["name"], item.get("version") or carrier.version,
                             item["licence"], texts, carrier=carrier.metadata["Name"],
                             url=item.get("url")))
    return found


def third_party_licences() -> list[Licence]:
    """Every bundled distribution but ours, then the components they carry; sorted by name."""
    dists = bundled_distributions()
    installed = {canonicalize_name(d.metadata["Name"]): d for d in dists}
    own = canonicalize_name(DISTRIBUTION)
    entries = [Licence(d.metadata["Name"], d.version, licence_of(d), _licence_texts(d))
               for key, d in installed.items() if key != own]
    entries += _components(installed)
    return sorted(entries, key=lambda e: e.name.casefold())
