"""Dates as NĐ 30/2020 writes them (Phụ lục I, ô 4): zero-pad days 1–9 and months 1–2 only."""

from __future__ import annotations

import datetime as dt


def day_str(day: int) -> str:
    """Return the day with a leading zero below 10: 8 -> "08"."""
    return f"{day:02d}"


def month_str(month: int) -> str:
    """Return the month, zero-padded only for January and February: 1 -> "01", 4 -> "4"."""
    return f"{month:02d}" if month <= 2 else str(month)


def date_words(date: dt.date) -> str:
    """Return "ngày 08 tháng 4 năm 2021"."""
    return f"ngày {day_str(date.day)} tháng {month_str(date.month)} năm {date.year}"


def date_line(place: str, date: dt.date | None, year: int) -> str:
    """Return the place-and-date line: "Đà Lạt, ngày 08 tháng 4 năm 2021".

    Without a date the day and month are left blank for the văn thư to write by hand:
    "Đà Lạt, ngày      tháng      năm 2021".
    """
    if date is None:
        return f"{place}, ngày      tháng      năm {year}"
    return f"{place}, {date_words(date)}"


def short_date(date: dt.date, *, with_year: bool = True) -> str:
    """Return "03/02/1930", "12/9/2021" or, without the year, "20/6"."""
    text = f"{day_str(date.day)}/{month_str(date.month)}"
    return f"{text}/{date.year}" if with_year else text


def parse_date(value: str) -> dt.date:
    """Parse "2021-04-08" (ISO, HTML date input) or "08/04/2021" (how clerks type it)."""
    value = value.strip()
    if "/" in value:
        day, month, year = (int(part) for part in value.split("/"))
        return dt.date(year, month, day)
    return dt.date.fromisoformat(value)
