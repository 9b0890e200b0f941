"""Cells of every .xlsx doctpl writes: no text a spreadsheet would run as a formula, no character XML forbids."""

from __future__ import annotations

import re
from typing import Any

from doctpl.vn.text import xml_chars

# What makes Excel or LibreOffice read a typed cell as a formula (OWASP, «CSV injection»): =, +, -, @, and a
# tab or carriage return before them. A plain number such as "-0,5" carries no formula and stays as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(value: Any) -> Any:
    """Return `value` ready for a cell: text without XML-illegal characters, a formula-like text prefixed with «'»."""
    if not isinstance(value, str):
        return value
    text = xml_chars(value)
    return f"'{text}" if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text) else text
