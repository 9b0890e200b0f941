"""Data written by earlier versions of doctpl, read as the current declaration reads it.

A JSON file from an older release (an API client, a saved `data.json`) still validates: each change
of shape is undone here, once, before conversion. Stored records are rewritten by the migration
of the same change (migrations/versions), so this only meets data from outside the database.
"""

from __future__ import annotations

from typing import Any

# Up to 2026-12: the blocks of a body section were under "khoi", the word of the khối thi đua.
_SECTION_BLOCKS = ("khoi", "thanh_phan")


def current(raw: Any) -> Any:
    """Return `raw` in the current shape (the same object when nothing is old)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("noi_dung"), list):
        return raw
    old, new = _SECTION_BLOCKS
    if not any(isinstance(section, dict) and old in section and new not in section for section in raw["noi_dung"]):
        return raw
    sections = [{(new if key == old else key): value for key, value in section.items()}
                if isinstance(section, dict) and new not in section else section for section in raw["noi_dung"]]
    return {**raw, "noi_dung": sections}
