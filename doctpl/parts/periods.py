"""The period a document speaks of, and the next one: a year, 6 tháng, a quý, or a đợt thi đua with its dates.

A plan or a year-end report covers its year; a sơ kết covers the first half-year, a quarter or a
đợt. The tokens [[ky_bao_cao]] and [[ky_tiep_theo]] print them («6 tháng đầu năm 2021», «6 tháng
cuối năm 2021»), and the «Các ngày kỷ niệm» block lists the catalogue's events that fall in either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from doctpl import facts
from doctpl.errors import FieldError
from doctpl.fields import Choice, Date, Field, Text
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import roman

KINDS = {"6_thang": "6 tháng đầu năm", "quy": "Một quý", "dot": "Một đợt thi đua (từ ngày … đến ngày …)"}
QUARTERS = {str(q): f"Quý {roman(q)}" for q in range(1, 5)}


@dataclass(frozen=True)
class Period:
    """A span of days and how a document names it."""

    start: dt.date
    end: dt.date
    words: str

    def holds(self, day: dt.date) -> bool:
        """Tell whether `day` falls in the period."""
        return self.start <= day <= self.end


def year(nam: int) -> tuple[Period, Period]:
    """Return the year and the next one: what a plan or a year-end report speaks of."""
    return (Period(dt.date(nam, 1, 1), dt.date(nam, 12, 31), f"năm {nam}"),
            Period(dt.date(nam + 1, 1, 1), dt.date(nam + 1, 12, 31), f"năm {nam + 1}"))


def _quarter(nam: int, q: int) -> Period:
    end_month = 3 * q
    end = dt.date(nam + end_month // 12, end_month % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(dt.date(nam, 3 * q - 2, 1), end, f"quý {roman(q)} năm {nam}")


def of_report(data: Mapping[str, Any]) -> tuple[Period, Period]:
    """Return the period a sơ kết covers and the one its phương hướng speaks of."""
    nam = data["nam"]
    if data["ky"] == "quy":
        q = int(data["quy"] or 1)
        return _quarter(nam, q), _quarter(nam + q // 4, q % 4 + 1)
    if data["ky"] == "dot" and data["dot_tu"] and data["dot_den"]:
        start, end = data["dot_tu"], data["dot_den"]
        named = f"đợt thi đua “{data['dot_ten']}”" if data["dot_ten"] else "đợt thi đua"
        after = end + dt.timedelta(days=1)
        return (Period(start, end, f"{named} (từ {short_date(start)} đến {short_date(end)})"),
                Period(after, dt.date(max(after.year, nam), 12, 31), "thời gian tới"))
    return (Period(dt.date(nam, 1, 1), dt.date(nam, 6, 30), f"6 tháng đầu năm {nam}"),
            Period(dt.date(nam, 7, 1), dt.date(nam, 12, 31), f"6 tháng cuối năm {nam}"))


def fields() -> list[Field]:
    """Return the fields of a report's period."""
    return [
        Choice("ky", "Kỳ sơ kết", choices=KINDS, default="6_thang", required=False,
               help="Sơ kết 6 tháng, một quý hoặc một đợt thi đua; tên kỳ vào trích yếu và mã [[ky_bao_cao]], "
                    "kỳ tới vào mã [[ky_tiep_theo]]."),
        Choice("quy", "Quý", choices=QUARTERS, default="1", required=False, when={"ky": ("quy",)}),
        Text("dot_ten", "Tên đợt thi đua", required=False, max_len=300, when={"ky": ("dot",)},
             help="Ví dụ Thi đua lập thành tích chào mừng Đại hội Đảng bộ tỉnh."),
        Date("dot_tu", "Đợt thi đua từ ngày", when={"ky": ("dot",)}),
        Date("dot_den", "Đợt thi đua đến ngày", when={"ky": ("dot",)}),
    ]


def check(data: Mapping[str, Any]) -> list[FieldError]:
    """Refuse a đợt that ends before it starts or lies outside the report's year."""
    if data["ky"] != "dot" or not (data["dot_tu"] and data["dot_den"]):
        return []
    errors = []
    if data["dot_den"] < data["dot_tu"]:
        errors.append(FieldError("dot_den", "«Đợt thi đua đến ngày» phải sau «Đợt thi đua từ ngày»."))
    if data["dot_tu"].year != data["nam"]:
        errors.append(FieldError("dot_tu", f"«Đợt thi đua từ ngày» phải thuộc năm {data['nam']} của báo cáo."))
    return errors


def events(period: Period, chosen: Sequence[str] | None) -> list[tuple[facts.Anniversary, int]]:
    """Return the events (chosen ones, else the year's round and even anniversaries) in `period`, in date order.

    Each comes with the year of its day inside the period, which gives its count.
    """
    catalogue = facts.anniversaries()
    found = []
    for y in range(period.start.year, period.end.year + 1):
        for event in (catalogue[i] for i in dict.fromkeys(chosen)) if chosen is not None else catalogue.values():
            day = event.ngay.replace(year=y) if (event.ngay.month, event.ngay.day) != (2, 29) else dt.date(y, 2, 28)
            if period.holds(day) and event.years(y) > 0 and (chosen is not None or event.is_round(y, facts.EVEN_YEAR)):
                found.append((day, event, y))
    return [(event, y) for _, event, y in sorted(found, key=lambda item: item[0])]
