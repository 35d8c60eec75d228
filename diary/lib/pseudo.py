"""
The pseudo-locales: English turned into text that looks translated, so that what was not
translated stands out and layouts meet longer words and the other direction.

- accented ("en-xa"): every letter accented and the message ~40 % longer, in brackets:
  "Log twitch" -> "[Ļöĝ ţŵîţçĥ~~~~]". A run of plain English words on a page in this locale
  was never translated; brackets show where one message ends and the next begins.
- mirrored ("ar-xb"): each word drawn right to left between right-to-left marks, and the page
  set right to left, as Arabic or Hebrew would be.

Placeholders (%(count)d, %s, {name}), HTML tags and entities are kept as they are: a pseudo
message still formats like the English one.
"""

from __future__ import annotations

import re

ACCENTS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
        strict=True,
    )
)
# What must survive unchanged: printf and brace placeholders, HTML tags and entities.
KEEP = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]"
    r"|\{[A-Za-z0-9_]*\}"
    r"|<[^<>]+>"
    r"|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"
)
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
RLM, RLO, PDF = "\u200f", "\u202e", "\u202c"
EXPANSION = 0.4


def _pieces(text: str):
    """(kept, piece) pairs: kept pieces are placeholders or markup, the others prose."""
    position = 0
    for match in KEEP.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, match.group()
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def accent(text: str) -> str:
    """Every letter of the prose accented; placeholders and markup as they are."""
    return "".join(
        piece if kept else piece.translate(str.maketrans(ACCENTS)) for kept, piece in _pieces(text)
    )


def accented(text: str) -> str:
    """A message in the accented pseudo-locale: accented, ~40 % longer, in brackets."""
    if not text.strip():
        return text
    letters = sum(len(piece) for kept, piece in _pieces(text) if not kept)
    padding = "~" * max(1, round(letters * EXPANSION))
    # Padding in words of up to 6, so it can wrap as longer words in a real language would.
    padding = " ".join(padding[i : i + 6] for i in range(0, len(padding), 6))
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    inner = text[lead : len(text) - trail]
    sep = " " if len(inner) > 12 else ""
    return f"{text[:lead]}[{accent(inner)}{sep}{padding}]{text[len(text) - trail :]}"


def mirror(text: str) -> str:
    """Each word of the prose drawn right to left; placeholders and markup as they are."""
    return "".join(
        piece if kept else WORD.sub(lambda m: f"{RLO}{m.group()}{PDF}", piece)
        for kept, piece in _pieces(text)
    )


def mirrored(text: str) -> str:
    """A message in the right-to-left pseudo-locale."""
    if not text.strip():
        return text
    return f"{RLM}{mirror(text)}{RLM}"


def message(code: str, text: str) -> str:
    """`text` (an English message) in the pseudo-locale `code`."""
    return accented(text) if code == "en-xa" else mirrored(text)


def value(code: str, text: str) -> str:
    """A formatted value (a date, a month name) in the pseudo-locale `code`: not lengthened."""
    return accent(text) if code == "en-xa" else mirror(text)
