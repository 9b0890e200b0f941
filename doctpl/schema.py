"""JSON Schema of a kind's data, generated from its one form declaration."""

from __future__ import annotations

from typing import Any

from doctpl.kind import Kind


def json_schema(kind: Kind) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) the API serves for `kind`."""
    schema = kind.form.schema()
    schema.update({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"doctpl:kinds/{kind.id}",
        "title": kind.title,
        "description": kind.description,
    })
    return schema
