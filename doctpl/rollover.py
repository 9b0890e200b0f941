"""Dùng lại cho năm sau: roll a document's data into another year.

What moves with the year: the year, every date (deadlines, decision dates), and through the
[[…]] tokens the Can Chi and every anniversary count. What is cleared and flagged for the clerk:
the number, the signing date, the values a field declares `per_year` (the year's theme, the report
deadlines), and the signer when the trưởng khối rotates; what the form then still refuses (a token
with no value) is flagged «cần điền». Free text that states facts of the old year (its dates, the
terms and bodies of the time, its Can Chi) is listed for review (doctpl.review), never rewritten.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from doctpl import upgrade
from doctpl.errors import FieldError, ValidationError
from doctpl.fields import Date, Field, Integer, map_scalars
from doctpl.kind import Kind
from doctpl.parts import body
from doctpl.review import Finding, free_texts, locate, stale_facts, year_bound
from doctpl.vn.dates import parse_date

CLEARED = {"so": "Số văn bản để trống: lấy số mới khi ban hành.",
           "ngay": "Ngày ban hành để trống: điền khi ký."}


@dataclass
class Rolled:
    """The data for the new year and what the clerk must look at before saving.

    `flags` are what to re-enter or check (a field and a message); `highlights` are the facts of
    the free text that may no longer hold in the new year.
    """

    data: dict[str, Any]
    from_year: int
    to_year: int
    flags: list[FieldError] = field(default_factory=list)
    highlights: list[Finding] = field(default_factory=list)
    fields: Sequence[Field] = ()  # the kind's declaration, to name places in the form's words

    def label(self, path: str) -> str:
        """Return the place of a dotted path of the new data in the form's words."""
        return locate(self.fields, self.data, path)

    def review(self) -> list[Finding]:
        """Return the flags (their message as the reason, no excerpt) and then the findings, one list to show."""
        return [Finding(f.field, self.label(f.field), f.message, "") for f in self.flags] + self.highlights


def shift_date(value: str, years: int) -> str:
    """Move an ISO or dd/mm/yyyy date by whole years (29/02 becomes 28/02 in a common year)."""
    date = parse_date(value)
    try:
        moved = date.replace(year=date.year + years)
    except ValueError:
        moved = date.replace(year=date.year + years, day=28)
    return moved.isoformat()


def _per_year(f: Field, from_year: int, to_year: int) -> str:
    """Say that a value of one year does not serve the next: «Chủ đề năm 2021 không dùng cho năm 2027: …»."""
    label = f.label if f.label.endswith(" năm") else f"{f.label} năm"
    return f"{label} {from_year} không dùng cho năm {to_year}: nhập {label[:1].lower()}{label[1:]} {to_year}."


def _opening(f: Field, value: Any, words: int = 12) -> str:
    """Return the first words of the first text a field's value holds, to show what it is."""
    texts = free_texts([f], {f.name: value})
    return " ".join(texts[0][1].split()[:words]) + "…" if texts else ""


def roll(kind: Kind, raw: Mapping[str, Any], to_year: int, *, signer: Mapping[str, Any] | None = None,
         overrides: Mapping[str, Any] | None = None, names: Mapping[str, str] | None = None) -> Rolled:
    """Roll `raw` (data as entered or stored) into `to_year`.

    `signer` replaces the signer when the trưởng khối rotates (an empty mapping clears it);
    `overrides` are values from the registry for the new year (the issuing body, the member units);
    `names` are the registry names no longer in force in the new year, with why, for the review.
    """
    raw = upgrade.current(raw)
    from_year = int(raw["nam"])
    years = to_year - from_year
    result = Rolled({}, from_year, to_year, fields=kind.fields)
    cleared: set[str] = set()

    def visit(path: str, f: Field, value: Any) -> Any:
        blank = value in (None, "")
        if path in CLEARED or (f.per_year and years):  # another unit's document of the same year keeps them
            if not blank:
                result.flags.append(FieldError(path, CLEARED.get(path) or _per_year(f, from_year, to_year)))
                cleared.add(path)
            return None if isinstance(f, Integer) else ""
        if path == "nam":
            return to_year
        if isinstance(f, Date) and not blank:
            return shift_date(str(value), years)
        return value

    data = map_scalars(kind.fields, copy.deepcopy(dict(raw)), visit)
    for key, value in (overrides or {}).items():
        if isinstance(value, Mapping) and isinstance(data.get(key), Mapping):
            value = {**data[key], **value}  # what the registry does not hold (a third issuer level) is kept
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
    try:
        kind.validate(data)
    except ValidationError as error:  # a token whose value was cleared: the clerk fills it before saving
        result.flags += [FieldError(e.field, f"Cần điền: {e.message}")
                         for e in error.errors() if e.field not in cleared]
    result.data = data
    # Findings point at the new data's paths; a text the registry replaced is no longer there.
    rewrite = f"nội dung của năm {from_year}: viết lại cho năm {to_year}"
    found = [Finding(f.name, result.label(f.name) or f.label, rewrite, _opening(f, data[f.name]))
             for f in kind.fields if f.of_year and data.get(f.name) and years]
    found += year_bound(kind, data, from_year, to_year) if to_year != from_year else []
    found += stale_facts(kind, data, dt.date(to_year, 1, 1), names or {})
    result.highlights = [h for h in found if h.field.split(".")[0] not in (overrides or {})]
    return result
