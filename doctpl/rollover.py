"""Dùng lại cho năm sau: roll a document's data into another year.

What moves with the year: the year, every date (deadlines, decision dates), and through the
[[…]] tokens the Can Chi and every anniversary count. What is cleared and flagged for the clerk:
the number, the signing date, and the signer when the trưởng khối rotates. Free text that
mentions the old year is highlighted for review, never rewritten.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from doctpl.errors import FieldError
from doctpl.fields import Date, Field, Group, Integer, Repeat, Text, join
from doctpl.kind import Kind
from doctpl.parts import body
from doctpl.vn.dates import parse_date

CLEARED = {"so": "Số văn bản để trống: lấy số mới khi ban hành.",
           "ngay": "Ngày ban hành để trống: điền khi ký."}
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


@dataclass(frozen=True)
class Highlight:
    """Free text that mentions a year near the old one: shown to the clerk, not changed."""

    field: str
    text: str
    years: tuple[int, ...]


@dataclass
class Rolled:
    """The data for the new year and what the clerk must look at before saving."""

    data: dict[str, Any]
    from_year: int
    to_year: int
    flags: list[FieldError] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)


def shift_date(value: str, years: int) -> str:
    """Move an ISO or dd/mm/yyyy date by whole years (29/02 becomes 28/02 in a common year)."""
    date = parse_date(value)
    try:
        moved = date.replace(year=date.year + years)
    except ValueError:
        moved = date.replace(year=date.year + years, day=28)
    return moved.isoformat()


def _map(fields: list[Field] | tuple[Field, ...], data: Any, path: str,
         visit: Callable[[str, Field, Any], Any]) -> Any:
    """Return `data` with `visit(path, field, value)` applied to every scalar the declaration knows."""
    if not isinstance(data, Mapping):
        return data
    out = dict(data)
    for f in fields:
        if f.name not in data:
            continue
        here = join(path, f.name)
        out[f.name] = _map_field(f, data[f.name], here, visit)
    return out


def _map_field(f: Field, value: Any, path: str, visit: Callable[[str, Field, Any], Any]) -> Any:
    if isinstance(f, Group):
        return _map(f.fields, value, path, visit)
    if isinstance(f, Repeat) and isinstance(value, list):
        return [_map_field(f.item, item, join(path, index), visit) for index, item in enumerate(value)]
    return visit(path, f, value)


def roll(kind: Kind, raw: Mapping[str, Any], to_year: int, *, signer: Mapping[str, Any] | None = None,
         overrides: Mapping[str, Any] | None = None) -> Rolled:
    """Roll `raw` (data as entered or stored) into `to_year`.

    `signer` replaces the signer when the trưởng khối rotates (an empty mapping clears it);
    `overrides` are values from the registry for the new year (the issuing body, the member units).
    """
    from_year = int(raw["nam"])
    years = to_year - from_year
    result = Rolled({}, from_year, to_year)

    def visit(path: str, f: Field, value: Any) -> Any:
        if path in CLEARED:
            if value not in (None, ""):
                result.flags.append(FieldError(path, CLEARED[path]))
            return None if isinstance(f, Integer) else ""
        if path == "nam":
            return to_year
        if isinstance(f, Date) and value not in (None, ""):
            return shift_date(str(value), years)
        if isinstance(f, Text) and isinstance(value, str):
            found = tuple(sorted({int(y) for y in _YEAR.findall(value) if abs(int(y) - from_year) <= 1}))
            if found:
                result.highlights.append(Highlight(path, value, found))
        return value

    data = _map(kind.fields, copy.deepcopy(dict(raw)), "", visit)
    for key, value in (overrides or {}).items():
        if data.get(key) != value:
            data[key] = copy.deepcopy(value)
            result.flags.append(FieldError(key, "Đã lấy theo danh mục khối của năm mới; kiểm tra lại."))
    if signer is not None and "nguoi_ky" in data:
        replacement = dict(signer) if signer else {"chuc_vu": "", "ho_ten": ""}
        data["nguoi_ky"] = {**data["nguoi_ky"], **replacement}
        message = "người ký đã được cập nhật, kiểm tra lại." if signer else "nhập lại người ký."
        result.flags.append(FieldError("nguoi_ky", f"Trưởng khối năm mới đã thay đổi: {message}"))
    if "can_cu" in data:  # bases repealed by the new year, e.g. NĐ 98/2023 in a 2026 plan
        cited = [str(text or "") for text in data["can_cu"] or []]
        result.flags += body.can_cu_warnings({"can_cu": cited, "nam": to_year, "ngay": None})
    result.data = data
    # Highlights point at the new data's paths; a text the registry replaced is no longer there.
    result.highlights = [h for h in result.highlights if h.field.split(".")[0] not in (overrides or {})]
    return result
