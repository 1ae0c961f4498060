"""The recovery key card: one A4 page to print at setup (or after a new key is issued) and keep
away from the laptop. The key is printed large, in groups, with what it opens and how.

The PDF is built in memory and written once, atomically, readable by its owner only; it uses
only the embedded DejaVu fonts. Nothing else ever holds the recovery key in clear.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from jsd_desk.files import atomic_write
from jsd_desk.i18n import N_, gettext_in
from jsd_desk.reports import fonts
from jsd_desk.security.device import DeviceInfo

INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#5A6470")
ALERT = colors.HexColor("#B3261E")

TITLE = N_("JSD Desk — recovery key")
LINES = (
    N_("This key opens the store of the device below if its passphrase is forgotten."),
    N_("To use it: jsd-desk recover (or “Forgot the passphrase?” in the app), then choose a "
       "new passphrase."),
    N_("Keep this card somewhere safe, never with the laptop: together they open every record."),
    N_("The key works only with the key file of this device; a new key replaces this one."),
)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def recovery_card_pdf(recovery_key: str, device: DeviceInfo, lang: str,
                      issued: dt.date | None = None) -> bytes:
    fonts.register_fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, initialFontName=fonts.REGULAR, initialFontSize=10)
    canvas.setTitle(gettext_in(lang, TITLE))
    canvas.setAuthor("JSD Desk")
    canvas.setCreator("JSD Desk")
    width, height = A4
    left = 25 * mm
    text_width = width - 2 * left
    y = height - 30 * mm

    canvas.setFillColor(INK)
    canvas.setFont(fonts.BOLD, 18)
    canvas.drawString(left, y, gettext_in(lang, TITLE))
    y -= 12 * mm

    canvas.setFont(fonts.REGULAR, 10)
    when = (issued or dt.date.today()).isoformat()
    for label, value in ((N_("Device"), device.name), (N_("Device id"), device.device_id),
                         (N_("Fingerprint"), device.fingerprint()), (N_("Issued on"), when)):
        canvas.setFillColor(MUTED)
        canvas.drawString(left, y, gettext_in(lang, label))
        canvas.setFillColor(INK)
        canvas.drawString(left + 35 * mm, y, value)
        y -= 6 * mm

    # The key: large, in a box, groups spaced for copying by hand.
    y -= 8 * mm
    box_h = 24 * mm
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.2)
    canvas.roundRect(left, y - box_h, text_width, box_h, 4 * mm)
    canvas.setFont(fonts.BOLD, 22)
    canvas.drawCentredString(width / 2, y - box_h / 2 - 3 * mm, recovery_key.replace("-", " - "))
    y -= box_h + 12 * mm

    canvas.setFont(fonts.REGULAR, 11)
    for i, msgid in enumerate(LINES):
        canvas.setFillColor(ALERT if i == 2 else INK)
        for line in _wrap(gettext_in(lang, msgid), fonts.REGULAR, 11, text_width):
            canvas.drawString(left, y, line)
            y -= 6 * mm
        y -= 2 * mm
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def write_recovery_card(path: Path, recovery_key: str, device: DeviceInfo, lang: str,
                        issued: dt.date | None = None) -> None:
    atomic_write(Path(path), recovery_card_pdf(recovery_key, device, lang, issued), mode=0o600)
