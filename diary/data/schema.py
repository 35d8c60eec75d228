"""
The JSON Schema of the export (schema.json next to this file), validators for it, and
`problems()`: what is wrong with one value, in time and memory bounded by the value's size.

Imports check uploads with jsonschema-rs (Rust, Draft 2020-12): about a hundred times faster
than the pure-Python jsonschema, which would need close to a minute for a 50,000-episode file.
The tests also validate every export with jsonschema, the reference implementation.

jsonschema-rs builds every error of a value before the first one can be read, each with a copy
of the value it is about: a list of a million `{}` where 60 site codes belong is a million
errors and gigabytes. So a value that is not valid is first walked here along the schema's
lists and objects: a list or object where the schema has none, a list longer than its maxItems
(every list in the schema has one) or names the schema does not have are reported without
asking the validator. Only a value of the right shape goes on to the validator, whose errors
are then few, each about a small part of it.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from pathlib import Path

import jsonschema_rs

SCHEMA_PATH = Path(__file__).with_name("schema.json")

# How JSON types are named in a message.
TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=False)


@cache
def _validators() -> jsonschema_rs.ValidatorMap:
    return jsonschema_rs.validator_map_for(schema(), validate_formats=False)


def part(pointer: str) -> dict:
    """The subschema at a pointer like "#/properties/episodes/items", its $refs followed."""
    found = schema()
    for key in pointer.removeprefix("#").strip("/").split("/"):
        if key:
            found = found[key]
    return _resolve(found)


def _resolve(subschema: dict) -> dict:
    while "$ref" in subschema:
        subschema = part(subschema["$ref"])
    return subschema


def entries_pointer(name: str) -> str:
    """The subschema of each entry of the top-level list `name`."""
    return f"#/properties/{name}/items"


def max_entries(name: str) -> int:
    return schema()["properties"][name]["maxItems"]


def problems(value: object, pointer: str = "#", *, limit: int) -> list[tuple[list, str]]:
    """
    At most `limit` (path within value, message) for what is wrong with `value` against the
    subschema at `pointer`; [] when it is valid.
    """
    check = _validators()[pointer]
    if check.is_valid(value):
        return []
    found: list[tuple[list, str]] = []
    _shape(value, part(pointer), [], found, limit)
    if found:
        return found[:limit]
    errors = sorted(itertools.islice(check.iter_errors(value), limit), key=_sort_key)
    return _missing_together([(list(e.instance_path), e) for e in errors])


def _missing_together(errors: list[tuple[list, object]]) -> list[tuple[list, str]]:
    """One message per object for its missing fields ("misses “uuid”, “sites” …")."""
    missing: dict[tuple, list[str]] = {}
    out: list[tuple[list, object]] = []
    for path, error in errors:
        if type(error.kind).__name__ == "Required":
            key = tuple(path)
            if key not in missing:
                missing[key] = []
                out.append((path, missing[key]))
            missing[key].append(error.kind.property)
        else:
            out.append((path, error))
    return [
        (path, _missing_message(item) if isinstance(item, list) else _message(item))
        for path, item in out
    ]


def _missing_message(names: list[str]) -> str:
    if len(names) == 1:
        return f"“{names[0]}” is missing"
    more = f" and {len(names) - 4} more" if len(names) > 4 else ""
    return "misses " + ", ".join(f"“{name}”" for name in names[:4]) + more


def _allowed(subschema: dict) -> set[str] | None:
    """The JSON types a subschema allows, or None for any."""
    kind = subschema.get("type")
    if kind is not None:
        return {kind} if isinstance(kind, str) else set(kind)
    if "enum" in subschema or "const" in subschema:
        values = subschema.get("enum", [subschema.get("const")])
        return {_json_type(v) for v in values}
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}[type(value)]


def _expected(allowed: set[str]) -> str:
    return " or ".join(TYPE_WORDS[t] for t in TYPE_WORDS if t in allowed)


def _shape(value: object, subschema: dict, path: list, found: list, limit: int) -> None:
    """Lists and objects where the schema has none, too long, or with unknown names."""
    if len(found) >= limit or not isinstance(value, list | dict):
        return
    subschema = _resolve(subschema)
    allowed = _allowed(subschema)
    if isinstance(value, list):
        if allowed is not None and "array" not in allowed:
            found.append((path, f"should be {_expected(allowed)}, not a list"))
        elif len(value) > subschema.get("maxItems", len(value)):
            most = subschema["maxItems"]
            found.append((path, f"has more than {most} entr{'y' if most == 1 else 'ies'}"))
        elif "items" in subschema:
            for index, item in enumerate(value):
                _shape(item, subschema["items"], [*path, index], found, limit)
        return
    if allowed is not None and "object" not in allowed:
        found.append((path, f"should be {_expected(allowed)}, not an object"))
        return
    known = subschema.get("properties", {})
    unknown = [name for name in value if name not in known]
    if unknown and subschema.get("additionalProperties") is False:
        found.append((path, _unknown_names(unknown)))
        return
    for name, item in value.items():
        if name in known:
            _shape(item, known[name], [*path, name], found, limit)


def _unknown_names(names: list[str]) -> str:
    shown = ", ".join(f"“{name[:40]}”" for name in names[:3])
    if len(names) == 1:
        return f"has a field Twitchlog does not know: {shown}"
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"has fields Twitchlog does not know: {shown}{more}"


# The end of the validator's message for these keywords, without the (maybe huge) value.
_TAILS = re.compile(
    r"(is longer than \d+ characters?|has more than \d+ items?|has less than \d+ items?"
    r"|is not of type .{1,60}|is not one of .{1,120}|does not match .{1,200})$"
)


def _message(error) -> str:
    keyword = list(error.schema_path)[-1] if list(error.schema_path) else ""
    if keyword == "uniqueItems":
        return "lists the same entry twice"
    if keyword == "pattern":
        return "is not in the expected form"
    message = error.message
    if tail := _TAILS.search(message[-300:]):
        return tail.group(1).replace(" items", " entries").replace(" item", " entry")
    return message if len(message) <= 160 else message[:150] + " …"


def _sort_key(error) -> tuple:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in error.instance_path)
