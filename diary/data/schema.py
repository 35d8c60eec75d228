"""
The JSON Schema of the export (schema.json next to this file) and validators for it.

Imports check uploads with jsonschema-rs (Rust, Draft 2020-12): about a hundred times faster
than the pure-Python jsonschema, which would need close to a minute for a 50,000-episode file.
The tests also validate every export with jsonschema, the reference implementation.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema_rs

SCHEMA_PATH = Path(__file__).with_name("schema.json")


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=False)
