"""The pseudo-locale ``qps``: English made 40% longer, accented and bracketed, for developers.

Run the app with ``JSD_DESK_LANG=qps`` to find, at a glance, what is not translatable (plain
ASCII without brackets), what is cut off (a missing closing bracket) and what is glued together
from pieces (brackets in the middle of a sentence). Placeholders (``{name}``, ``%(n)s``, Qt's
``%1``), markup and mnemonics (``&File``) are kept intact so that the strings still work.
"""

from __future__ import annotations

import functools
import gettext
import math
import re

EXPANSION = 1.4
_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "àƀçđéƒĝĥîĵķĺɱñöþǫŕšťûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŤÛṼŴẊÝŽ"
_TABLE = str.maketrans(_PLAIN, _ACCENTED)
# Filler that reads like text, so a layout's reaction to long words and spaces both show.
_FILLER = " ŀöŕéɱ îþšûɱ đöŀöŕ šîť àɱéť çöñšéçťéťûŕ àđîþîšçîñĝ éĺîť"
_KEEP = re.compile(
    r"\{\{|\}\}|\{[^{}]*\}"  # str.format fields and escaped braces
    r"|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"  # %s, %d, %%
    r"|%L?\d+|%n"  # Qt's %1, %L1, %n
    r"|<[^<>]*>|&[a-zA-Z]+;|&#\d+;"  # markup and entities
    r"|&."  # a mnemonic keeps its letter
)


@functools.lru_cache(maxsize=8192)
def pseudo(message: str) -> str:
    """``"Save"`` → ``"[Šàṽé ŀ]"``: at least 40% longer than ``message``, placeholders intact."""
    if not message:
        return message
    pieces: list[str] = []
    last = 0
    for match in _KEEP.finditer(message):
        pieces.append(message[last:match.start()].translate(_TABLE))
        pieces.append(match.group())
        last = match.end()
    pieces.append(message[last:].translate(_TABLE))
    body = "".join(pieces)
    target = math.ceil(len(message) * EXPANSION)
    missing = max(0, target - len(message) - 2)
    filler = (_FILLER * (missing // len(_FILLER) + 1))[:missing]
    return f"[{body}{filler}]"


class PseudoTranslations(gettext.NullTranslations):
    """A catalog that pseudo-translates every English msgid."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
