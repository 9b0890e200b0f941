"""The meeting a giấy mời announces and a biên bản records: its day, its clock times, its place.

A time is typed as hours and minutes and printed as the forms write it: «8 giờ 00» (NĐ 30 Phụ lục III,
Mẫu 1.7 «Thời gian», Mẫu 1.9 «… giờ …, ngày … tháng … năm …»); the weekday is computed from the date
(«thứ Sáu», capitalised as NĐ 30 Phụ lục II writes the days of the week).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from doctpl.fields import Date, Group, Integer, Text
from doctpl.vn.dates import date_words

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def day_field() -> Date:
    """Return the meeting's date."""
    return Date("ngay_hop", "Ngày họp", help="Ngày diễn ra cuộc họp, hội nghị; thứ trong tuần được tính tự động.")


def clock_field(name: str, label: str) -> Group:
    """Return a clock time as two whole numbers, «<label>: giờ» and «<label>: phút»."""
    return Group(name, label, fields=[
        Integer("gio", f"{label}: giờ", minimum=0, maximum=23, help="Từ 0 đến 23, ví dụ 14."),
        Integer("phut", f"{label}: phút", minimum=0, maximum=59, default=0, required=False,
                help="Từ 0 đến 59; để trống là 00."),
    ])


def place_field() -> Text:
    """Return the place of the meeting."""
    return Text("dia_diem", "Địa điểm", max_len=300,
                help="Ví dụ Hội trường Ủy ban nhân dân phường Xuân Hương - Đà Lạt.")


def minutes(clock: Mapping[str, Any]) -> int:
    """Return a clock time as minutes after midnight."""
    return clock["gio"] * 60 + (clock["phut"] or 0)


def clock_text(clock: Mapping[str, Any]) -> str:
    """Return «8 giờ 00», «14 giờ 30»."""
    return f"{clock['gio']} giờ {clock['phut'] or 0:02d}"


def weekday(day: dt.date) -> str:
    """Return the day of the week: «thứ Sáu», «Chủ nhật»."""
    return WEEKDAYS[day.weekday()]


def when(clock: Mapping[str, Any], day: dt.date, *, with_weekday: bool = False) -> str:
    """Return «8 giờ 00, ngày 18 tháng 12 năm 2026», or with the weekday «8 giờ 00, thứ Sáu, ngày 18 …»."""
    parts = [clock_text(clock), *([weekday(day)] if with_weekday else []), date_words(day)]
    return ", ".join(parts)
