"""Text widths in Times New Roman, from the table tools/gen_font_widths.py derives from Liberation Serif."""

from __future__ import annotations

import json
from functools import cache

from doctpl.facts import DATA_DIR
from doctpl.vn.text import nfc

_FALLBACK = "n"  # width used for a character the table lacks


@cache
def _table() -> dict:
    return json.loads((DATA_DIR / "times_widths.json").read_text(encoding="utf-8"))


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Return the width of one line of `text` in twips."""
    table = _table()
    widths = table["bold" if bold else "regular"]
    units = sum(widths.get(char, widths[_FALLBACK]) for char in nfc(text))
    return round(units / table["units_per_em"] * size_pt * 20)
