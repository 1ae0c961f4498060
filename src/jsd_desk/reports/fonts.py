"""The embedded font family: DejaVu Sans from ``resources/fonts`` (licence beside the files).

Every PDF we write uses only these fonts, embedded as subsets, so French accents and the Hausa
letters ɓ ɗ ƙ ƴ print the same on any machine and no unembedded base-14 font sneaks in.
"""

from __future__ import annotations

import io
import threading
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "JsdSans"
REGULAR = FAMILY
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Oblique"
BOLD_ITALIC = f"{FAMILY}-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

_lock = threading.Lock()
_registered = False


def font_bytes(filename: str) -> bytes:
    return (resources.files("jsd_desk.resources") / "fonts" / filename).read_bytes()


def register_fonts() -> str:
    """Register the family with reportlab once per process (thread-safe); returns its name."""
    global _registered
    with _lock:
        if not _registered:
            for name, filename in _FILES.items():
                # From bytes, not a path: works the same from a wheel, a zip or a source tree.
                pdfmetrics.registerFont(TTFont(name, io.BytesIO(font_bytes(filename))))
            addMapping(FAMILY, 0, 0, REGULAR)
            addMapping(FAMILY, 1, 0, BOLD)
            addMapping(FAMILY, 0, 1, ITALIC)
            addMapping(FAMILY, 1, 1, BOLD_ITALIC)
            _registered = True
    return FAMILY
