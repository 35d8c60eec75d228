"""The bounded JSON reader under the import: the same values as json.loads, or a plain problem."""

import json

import pytest

from diary.data import jsonstream
from diary.data.jsonstream import CUT_OFF, JSONProblem, NotAnObject, members

# Everything a window can cut: multi-byte characters, escapes and surrogate pairs, numbers,
# literals, nesting, odd whitespace.
DOCUMENT = {
    "format": "twitchlog",
    "big": 12345678901234567890,
    "small": -0.5e-3,
    "flags": [True, False, None],
    "episodes": [
        {"notes": "Kaffee ☕, 中文, emoji 🙂", "n": 1e21, "nested": [[{"a": [1, 2, {}]}]]},
        {"notes": 'quote " backslash \\ tab \t newline \n ctrl \x01', "sites": []},
        {},
        [],
        "a string entry",
        0,
        -12.75,
    ],
    "empty": [],
    "after": {"é": "ü", "k": ""},
}
LISTS = frozenset({"episodes", "empty"})


def rebuilt(raw: bytes) -> dict:
    """The document as members() hands it out, put back together."""
    out: dict = {}
    for name, index, value, _ in members(raw, lists=LISTS):
        if value is jsonstream.LIST:
            out[name] = []
        elif index is None:
            out[name] = value
        else:
            assert index == len(out[name])
            out[name].append(value)
    return out


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps(DOCUMENT).encode(),  # \u escapes, surrogate pairs included
        json.dumps(DOCUMENT, ensure_ascii=False, indent=3).encode(),
        json.dumps(DOCUMENT, ensure_ascii=False, separators=(",", ":")).encode(),
        b"\xef\xbb\xbf" + json.dumps(DOCUMENT, ensure_ascii=False).encode(),
    ],
)
def test_members_give_what_json_loads_gives_wherever_a_window_cuts(monkeypatch, raw):
    """Windows from 1 byte up: every value is cut at every place at least once."""
    expected = json.loads(raw.decode("utf-8-sig"))
    for first in range(1, 40):
        monkeypatch.setattr(jsonstream, "WINDOWS", (first, 3 * first, 10 * first, 1 << 20))
        assert rebuilt(raw) == expected, first


def test_every_cut_off_file_says_it_is_cut_off(monkeypatch):
    raw = json.dumps(DOCUMENT, ensure_ascii=False).encode()
    monkeypatch.setattr(jsonstream, "WINDOWS", (7, 50, 1 << 20))
    for end in range(1, len(raw)):
        with pytest.raises(JSONProblem) as problem:
            rebuilt(raw[:end])
        assert problem.value.message == str(CUT_OFF), (end, raw[:end][-20:])


@pytest.mark.parametrize(
    ("raw", "message", "path"),
    [
        (b'{"version": 2, "version": 1}', "“version” is there twice", []),
        (
            b'{"episodes": [{}, {"notes": "a", "notes": "b"}]}',
            "“notes” is there twice",
            ["episodes", 1],
        ),
        (b'{"after": {"x": {"y": 1, "y": 2}}}', "“y” is there twice", ["after"]),
        (b'{"n": NaN}', "a number that is not allowed", []),
        (b'{"n": -Infinity}', "a number that is not allowed", []),
        (b'{"n": 1' + b"0" * 5000 + b"}", "a number that is not allowed", []),
        (b'{"a": 1,}', "Expecting property name enclosed in double quotes (line 1, column 9)", []),
        (b'{"episodes": [1, 2,]}', "Expecting value (line 1, column 20)", []),
        (b'{"a": 1} x', "Extra data (line 1, column 10)", []),
        (b'{"a" 1}', "Expecting ':' delimiter", []),
        (b'{"a": 1\n "b": 2}', "Expecting ',' delimiter (line 2, column 2)", []),
        (b'{"a": "\xc3\xa9\xff"}', "not a text file in UTF-8 (unexpected byte at position 9)", []),
        (b'{"a": "x\x00"}', "contains a NUL byte", []),
        (b"  \n ", "The file is empty.", []),
        (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested far too deeply", []),
        (b'{"a": "\xc3', str(CUT_OFF), []),
    ],
)
def test_problems_are_plain_and_placed(raw, message, path):
    with pytest.raises(JSONProblem) as problem:
        rebuilt(raw)
    assert message in problem.value.message
    assert problem.value.path == path


def test_an_entry_bigger_than_the_window_is_refused_by_its_place():
    entry = json.dumps({"notes": "x" * jsonstream.MAX_VALUE_BYTES})
    raw = ('{"episodes": [{}, ' + entry + "]}").encode()
    with pytest.raises(jsonstream.TooBig) as problem:
        rebuilt(raw)
    assert problem.value.path == ["episodes", 1]
    assert "bigger than anything Twitchlog writes (over 256 KB)" in problem.value.message


@pytest.mark.parametrize(
    "raw", [b"[1, 2]", b'"twitchlog"', b"null", b"[" + b"0," * 200_000 + b"0]"]
)
def test_json_that_is_not_an_object(raw):
    with pytest.raises(NotAnObject):
        rebuilt(raw)


def test_a_list_member_not_named_streamed_comes_whole():
    raw = b'{"other": [1, 2], "episodes": {"not": "a list"}}'
    assert list(members(raw, lists=LISTS)) == [
        ("other", None, [1, 2], 6),
        ("episodes", None, {"not": "a list"}, 17),
    ]


def test_reading_stops_when_the_caller_stops():
    """Nothing after the entries the caller took is decoded (here: a broken tail)."""
    raw = b'{"episodes": [{}, {}, {}, broken'
    taken = []
    for name, index, _, _ in members(raw, lists=LISTS):
        taken.append((name, index))
        if index == 2:
            break
    assert taken == [("episodes", None), ("episodes", 0), ("episodes", 1), ("episodes", 2)]
