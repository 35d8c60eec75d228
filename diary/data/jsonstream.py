"""
Reading a JSON object member by member, and its big lists entry by entry, in bounded memory.

`json.loads` turns a whole file into Python objects at once: 20 MB of `{}` become 7 million
dicts, over half a gigabyte, before anything can look at them. Here a small loop walks the
top-level object over the bytes, and the standard library's C decoder reads each value from a
window of at most MAX_VALUE_BYTES: the entries of the lists named by the caller come one at a
time, so the caller checks each and keeps only what it needs, and stops when it has seen
enough. One value bigger than the window is refused, as are what JSON and this app do not
allow: bytes that are not UTF-8, NUL, NaN and Infinity, integers of thousands of digits, nesting
deeper than Python's recursion limit, and a name twice in one object (the decoder keeps the
last one silently; `"version": 2, "version": 1` must not become version 1).

Every problem is a `JSONProblem` whose message a person can read, with the path of the value
it is about.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# One entry, or one member that is not a streamed list, may be this big. An episode as
# Twitchlog writes it is under 1 KB; the largest any writer could make within the schema's
# limits (2,000-character notes written as \u escapes, 100 triggers, indented) is ~130 KB.
MAX_VALUE_BYTES = 256 * 1024
# Most values fit the first window; the bigger ones are tried again in the next.
WINDOWS = (2048, 65536, MAX_VALUE_BYTES)

LIST = object()  # yielded as the value of a streamed list member: its entries follow
_WHITESPACE = re.compile(rb"[ \t\n\r]*")


class JSONProblem(Exception):
    """What is wrong with the text, and where (a path like ["episodes", 3], or [])."""

    def __init__(self, message: str, path: list | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path or []


class NotAnObject(JSONProblem):
    """Valid JSON, but not an object at the top."""


class Duplicate(JSONProblem):
    """A name twice in one object; its path is that object's."""


class TooBig(JSONProblem):
    """One value is bigger than MAX_VALUE_BYTES."""


class _DuplicateName(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise _DuplicateName(name)
            seen.add(name)
    return result


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


_decoder = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_reject_constant)


# For a file this server has already read with _decoder: no hook to call for every object.
_trusting = json.JSONDecoder(parse_constant=_reject_constant)


def _scan(text: str, decoder: json.JSONDecoder = _decoder) -> tuple[object, int]:
    """JSONDecoder.raw_decode(text) without its Python frame: the C scanner itself."""
    try:
        return decoder.scan_once(text, 0)
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None


def twice(name: str) -> str:
    return _("“%(name)s” is there twice; each name may appear once.") % {"name": name[:60]}


CUT_OFF = gettext_lazy("The file ends too early: it looks cut off. Download the export again.")


class _Reader:
    def __init__(self, raw: bytes, decoder: json.JSONDecoder) -> None:
        self.raw = raw
        self.size = len(raw)
        self.decoder = decoder
        # Half of a UTF-16 pair can only come from a \u escape: look for them only if one of
        # those is in the file at all.
        self.escapes = _SURROGATE_ESCAPE.search(raw) is not None

    def skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.raw, pos).end()

    def syntax(self, message: str, at: int) -> JSONProblem:
        raw = self.raw
        line = raw.count(b"\n", 0, at) + 1
        start = raw.rfind(b"\n", 0, at) + 1
        column = len(raw[start:at].decode("utf-8", "replace")) + 1
        return JSONProblem(
            _("This is not valid JSON: %(message)s (line %(line)d, column %(column)d).")
            % {"message": message, "line": line, "column": column}
        )

    def expect(self, pos: int, allowed: bytes, message: str) -> bytes:
        """The byte at pos if it is one of `allowed`; else a problem (cut off, or not JSON)."""
        char = self.raw[pos : pos + 1]
        if char and char in allowed:
            return char
        if not char:
            raise JSONProblem(str(CUT_OFF))
        raise self.syntax(message, pos)

    def value(self, pos: int, path: list) -> tuple[object, int]:
        """The JSON value starting at byte pos (no whitespace before it), and where it ends."""
        for window in WINDOWS:
            end = min(pos + window, self.size)
            while end < self.size and self.raw[end] & 0xC0 == 0x80:
                end -= 1  # not in the middle of a character
            try:
                text = self.raw[pos:end].decode("utf-8")
            except UnicodeDecodeError as error:
                if end == self.size and error.reason == "unexpected end of data":
                    raise JSONProblem(str(CUT_OFF)) from None  # in the middle of a character
                raise JSONProblem(
                    _("This is not a text file in UTF-8 (unexpected byte at position %(at)d).")
                    % {"at": pos + error.start}
                ) from None
            try:
                value, stop = _scan(text, self.decoder)
            except json.JSONDecodeError as error:
                if _ran_out(text, error):  # the window cut the value, or the file ends there
                    if end < self.size:
                        continue
                    raise JSONProblem(str(CUT_OFF)) from None
                raise self.syntax(error.msg, pos + _byte_length(text, error.pos)) from None
            except _DuplicateName as error:
                raise Duplicate(twice(error.name), path) from None
            except RecursionError:
                raise JSONProblem(
                    _("The file is nested far too deeply to be a Twitchlog export.")
                ) from None
            except ValueError as error:  # NaN/Infinity, or an integer with thousands of digits
                raise JSONProblem(
                    (_("The file has a number that is not allowed: %(error)s.") % {"error": error})[
                        :200
                    ]
                ) from None
            if isinstance(value, int | float) and _NUMBER.fullmatch(text, stop):
                # A number that runs to the end of the text may go on after it.
                if end < self.size:
                    continue
                if stop < len(text):
                    raise JSONProblem(str(CUT_OFF))  # "-0." at the very end
            if self.escapes and (broken := _broken_text(value, path)) is not None:
                raise JSONProblem(str(BROKEN_TEXT), broken)
            return value, pos + _byte_length(text, stop)
        raise TooBig(
            _("is bigger than anything Twitchlog writes (over %(size)d KB).")
            % {"size": MAX_VALUE_BYTES // 1024},
            path,
        )


# What a value cut short ends with: part of a literal, a number or of a \u escape (the
# decoder points just after its backslash).
_PARTIAL = re.compile(r"t|tr|tru|f|fa|fal|fals|n|nu|nul|[-+.0-9eE]+|u[0-9a-fA-F]{0,4}")


_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")
BROKEN_TEXT = gettext_lazy("contains half of a character (a lone \\ud800-\\udfff escape).")


def _broken_text(value: object, path: list) -> list | None:
    """The path of a text with half of a UTF-16 pair in it (no database takes one), or None."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _broken_text(key, path) or _broken_text(item, [*path, key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _broken_text(item, [*path, index])
            if found is not None:
                return found
    return None


_NUMBER = re.compile(r"[-+.0-9eE]*")


def _ran_out(text: str, error: json.JSONDecodeError) -> bool:
    """Whether the decoder stopped because the text ended, not at a mistake before the end."""
    if error.msg.startswith("Unterminated string"):
        return True
    rest = text[error.pos :].rstrip()
    return not rest or _PARTIAL.fullmatch(rest) is not None


def _byte_length(text: str, chars: int) -> int:
    return chars if text.isascii() else len(text[:chars].encode())


def members(
    raw: bytes, *, lists: frozenset[str], checked: bool = False
) -> Iterator[tuple[str, int | None, object, int]]:
    """
    The top-level object's members in file order, as (name, None, value, bytes); a member in
    `lists` whose value is a list comes as (name, None, LIST, 0) and then (name, index, entry,
    bytes) for each entry, `bytes` being the size of its text. Raises JSONProblem (NotAnObject
    for valid JSON of another shape). `checked`: the file was read here before and is known
    to be good, so names inside entries are not checked for duplicates again.
    """
    if b"\x00" in raw:
        raise JSONProblem(_("The file contains a NUL byte, so it is not a Twitchlog JSON file."))
    reader = _Reader(raw, _trusting if checked else _decoder)
    pos = reader.skip(len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0)
    if pos == len(raw):
        raise JSONProblem(_("The file is empty."))
    if raw[pos : pos + 1] != b"{":
        with contextlib.suppress(TooBig):
            reader.value(pos, [])  # says what is wrong, if it is not JSON at all
        raise NotAnObject("not an object")
    names: set[str] = set()
    pos = reader.skip(pos + 1)
    closing = b"}"
    while (
        reader.expect(pos, b'"' + closing, "Expecting property name enclosed in double quotes")
        != b"}"
    ):
        name, pos = reader.value(pos, [])
        if name in names:
            raise Duplicate(twice(name))
        names.add(name)
        pos = reader.skip(pos)
        reader.expect(pos, b":", "Expecting ':' delimiter")
        pos = reader.skip(pos + 1)
        if name in lists and raw[pos : pos + 1] == b"[":
            yield name, None, LIST, 0
            pos = yield from _entries(reader, name, reader.skip(pos + 1))
        else:
            value, end = reader.value(pos, [name])
            yield name, None, value, end - pos
            pos = end
        pos = reader.skip(pos)
        if reader.expect(pos, b",}", "Expecting ',' delimiter") == b",":
            pos = reader.skip(pos + 1)
            closing = b""  # after a comma, a name must follow
        else:
            closing = b"}"
    pos = reader.skip(pos + 1)
    if pos != len(raw):
        raise reader.syntax("Extra data", pos)


def _entries(reader: _Reader, name: str, pos: int):
    """Yield a list's entries from just after its "["; return the position after its "]"."""
    if reader.raw[pos : pos + 1] == b"]":
        return pos + 1
    index = 0
    while True:
        entry, end = reader.value(pos, [name, index])
        yield name, index, entry, end - pos
        pos = end
        index += 1
        pos = reader.skip(pos)
        if reader.expect(pos, b",]", "Expecting ',' delimiter") == b"]":
            return pos + 1
        pos = reader.skip(pos + 1)
