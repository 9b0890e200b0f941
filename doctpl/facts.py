"""Dated facts read from doctpl/data: anniversaries, abbreviations, signing prefixes, money, legal bases.

Every fact that the law or the calendar can change lives in a CSV file with its source and,
where it can change, the date from which it is in force (`hieu_luc_tu`). Lookups take the
document's date so that an old document keeps the rule that was in force when it was issued.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from doctpl.errors import FieldError
from doctpl.the_thuc import DANG, NHA_NUOC
from doctpl.vn.dates import short_date

DATA_DIR = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _in_force(rows: list[dict[str, str]], on: dt.date) -> list[dict[str, str]]:
    """Keep, for each key, the newest row whose `hieu_luc_tu` is on or before `on`."""
    return [row for row in rows if dt.date.fromisoformat(row["hieu_luc_tu"]) <= on]


ROUND_YEAR = 10  # NĐ 111/2018: a lễ kỷ niệm is held only when the count N is a multiple of 10 («năm tròn»)
EVEN_YEAR = 5  # many plans also single out the multiples of 5 («năm chẵn»)
MILESTONES = {ROUND_YEAR: "năm tròn", EVEN_YEAR: "năm chẵn"}


@dataclass(frozen=True)
class Anniversary:
    """One event of the anniversary catalogue (thi-dua-domain.md §3)."""

    id: str
    ten: str
    ngay: dt.date
    nhom: str
    nguon: str
    xac_minh: str

    def years(self, year: int) -> int:
        """Return how many years the event is old in `year`: thành lập Đảng, 2021 -> 91."""
        return year - self.ngay.year

    def is_round(self, year: int, step: int = ROUND_YEAR) -> bool:
        """Tell whether `year` is a năm tròn of the event (N divisible by 10), or a năm chẵn with step=5."""
        return self.years(year) > 0 and self.years(year) % step == 0

    def milestone(self, year: int) -> str:
        """Return "năm tròn", "năm chẵn" or "" for the event in `year`."""
        return next((label for step, label in MILESTONES.items() if self.is_round(year, step)), "")

    def period(self, year: int) -> str:
        """Return "(03/02/1930 – 03/02/2021)"."""
        return f"({short_date(self.ngay)} – {short_date(self.ngay.replace(year=year))})"

    def phrase(self, year: int) -> str:
        """Return "91 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021)"."""
        return f"{self.years(year)} năm {self.ten} {self.period(year)}"


@cache
def anniversaries() -> dict[str, Anniversary]:
    """Return the anniversary catalogue keyed by event id."""
    return {
        row["id"]: Anniversary(
            id=row["id"], ten=row["ten"], ngay=dt.date.fromisoformat(row["ngay"]),
            nhom=row["nhom"], nguon=row["nguon"], xac_minh=row["xac_minh"],
        )
        for row in _rows("ky_niem.csv")
    }


def round_anniversaries(year: int) -> dict[int, list[Anniversary]]:
    """Return the events whose count N in `year` is a multiple of 5, by quarter (1–4) of their day, in date order."""
    quarters: dict[int, list[Anniversary]] = {quarter: [] for quarter in range(1, 5)}
    for event in sorted(anniversaries().values(), key=lambda event: (event.ngay.month, event.ngay.day)):
        if event.is_round(year, EVEN_YEAR):
            quarters[(event.ngay.month - 1) // 3 + 1].append(event)
    return quarters


@cache
def _abbreviation_rows(the_thuc: str = NHA_NUOC) -> list[dict[str, str]]:
    if the_thuc == DANG:
        return _rows("viet_tat_dang.csv")
    # Phụ lục III first; the khối's own abbreviations only for types the decree does not list.
    return _rows("viet_tat.csv") + _rows("viet_tat_khoi.csv")


def _newest(rows: list[dict[str, str]], on: dt.date, what: str) -> dict[str, str]:
    matches = _in_force(rows, on)
    if not matches:
        raise KeyError(f"no {what} in force on {on.isoformat()}")
    return max(matches, key=lambda row: row["hieu_luc_tu"])


def abbreviations(on: dt.date | None = None, the_thuc: str = NHA_NUOC) -> set[str]:
    """Return the type abbreviations of a thể thức in force on `on`, today by default."""
    on = on or dt.date.today()
    names = {row["ten_loai"] for row in _abbreviation_rows(the_thuc)}
    return {abbreviation(name, on, the_thuc) for name in names if abbreviation_since(name, the_thuc) <= on}


def abbreviation(ten_loai: str, on: dt.date, the_thuc: str = NHA_NUOC) -> str:
    """Return the abbreviation of a document type in force on `on` in a thể thức: "Kế hoạch" -> "KH"."""
    rows = [row for row in _abbreviation_rows(the_thuc) if row["ten_loai"] == ten_loai]
    return _newest(rows, on, f"abbreviation for {ten_loai!r}")["viet_tat"]


def abbreviation_since(ten_loai: str, the_thuc: str = NHA_NUOC) -> dt.date:
    """Return the first day the tables give a document type an abbreviation (date.max when they never do)."""
    return min((dt.date.fromisoformat(row["hieu_luc_tu"]) for row in _abbreviation_rows(the_thuc)
                if row["ten_loai"] == ten_loai), default=dt.date.max)


def check_numbered(ten_loai: str) -> Callable[[Mapping[str, Any]], list[FieldError]]:
    """Return the kind check that refuses a year or a date before the tables give `ten_loai` its abbreviation."""

    def check(data: Mapping[str, Any]) -> list[FieldError]:
        since = abbreviation_since(ten_loai, data.get("the_thuc") or NHA_NUOC)
        first_year = since.year if (since.month, since.day) == (1, 1) else since.year + 1
        reason = f"chưa có chữ viết tắt tên loại «{ten_loai}» cho số, ký hiệu văn bản trước ngày {short_date(since)}"
        errors = []
        if dt.date(data["nam"], 1, 1) < since:
            errors.append(FieldError("nam", f"«Năm» {data['nam']}: {reason}; chọn năm từ {first_year} trở đi."))
        if data["ngay"] and data["ngay"] < since:
            errors.append(FieldError("ngay", f"«Ngày ban hành» {short_date(data['ngay'])}: {reason}."))
        return errors

    return check


@dataclass(frozen=True)
class BaseSalary:
    """The mức lương cơ sở in force on a date, with the decree that set it and its name at the time."""

    amount: int
    since: dt.date
    source: str
    name: str  # «mức lương tối thiểu chung» until 30/6/2013 (NĐ 66/2013 named it «mức lương cơ sở»)


def base_salary(on: dt.date) -> BaseSalary:
    """Return the mức lương cơ sở in force on `on` (the reward decision's date, thi-dua-domain.md §1.4)."""
    row = _newest(_rows("luong_co_so.csv"), on, "base salary")
    return BaseSalary(int(row["muc"]), dt.date.fromisoformat(row["hieu_luc_tu"]), row["nguon"], row["ten_goi"])


@cache
def _reward_rows() -> list[dict[str, str]]:
    return _rows("khen_thuong.csv")


def rewards(loai: str | None = None, doi_tuong: str | None = None, column: str = "ten") -> dict[str, str]:
    """Return the catalogue of danh hiệu ("danh_hieu") or hình thức ("hinh_thuc"): code -> `column` (the category)."""
    return {row["ma"]: row[column] for row in _reward_rows()
            if (loai is None or row["loai"] == loai) and (doi_tuong is None or row["doi_tuong"] == doi_tuong)}


def reward_names(loai: str | None = None, doi_tuong: str | None = None) -> dict[str, str]:
    """Return code -> the name documents print, with its authority: "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"."""
    return rewards(loai, doi_tuong, "ten_in")


def coefficient(ma: str, doi_tuong: str, on: dt.date) -> Decimal:
    """Return the reward coefficient of a danh hiệu or hình thức for a person or a collective on `on`."""
    rows = [row for row in _reward_rows() if row["ma"] == ma and row["doi_tuong"] == doi_tuong]
    return Decimal(_newest(rows, on, f"coefficient for {ma}/{doi_tuong}")["he_so"])


@cache
def signing_prefixes(the_thuc: str = NHA_NUOC) -> dict[str, str]:
    """Return the signing-authority codes a thể thức has and their printed prefixes: {"TM": "TM.", …}."""
    column = "tien_to_dang" if the_thuc == DANG else "tien_to"
    return {row["ma"]: row[column] for row in _rows("tham_quyen.csv") if row[column] or not row["ma"]}


@cache
def signing_labels() -> dict[str, str]:
    """Return the signing-authority codes with their Vietnamese meaning, for choice lists."""
    return {row["ma"]: row["y_nghia"] for row in _rows("tham_quyen.csv")}


def ratio(ma: str, on: dt.date) -> Decimal | None:
    """Return a ratio of the emulation rules in force on `on` (for example the 15 % ceiling), None before the rule."""
    rows = [row for row in _rows("ty_le.csv") if row["ma"] == ma]
    try:
        return Decimal(_newest(rows, on, f"ratio {ma}")["gia_tri"])
    except KeyError:
        return None


@dataclass(frozen=True)
class LegalBasis:
    """A legal document a thi đua document may cite, with the dates it is in force."""

    ma: str
    so_hieu: str
    trich_dan: str
    hieu_luc_tu: dt.date
    het_hieu_luc: dt.date | None
    verified: bool
    source: str

    def in_force(self, on: dt.date) -> bool:
        """Tell whether the document is in force on `on`."""
        return self.hieu_luc_tu <= on <= (self.het_hieu_luc or dt.date.max)

    def expired(self, on: dt.date) -> bool:
        """Tell whether the document had ceased to be in force by `on`."""
        return self.het_hieu_luc is not None and on > self.het_hieu_luc

    def state_on(self, on: dt.date) -> str:
        """Say, in Vietnamese, why the document is not in force on `on` ("" when it is)."""
        if self.in_force(on):
            return ""
        if self.expired(on):
            return f"đã hết hiệu lực từ ngày {short_date(self.het_hieu_luc + dt.timedelta(days=1))}"
        return f"chỉ có hiệu lực từ ngày {short_date(self.hieu_luc_tu)}"


@cache
def _legal_bases() -> tuple[LegalBasis, ...]:
    return tuple(LegalBasis(
        row["ma"], row["so_hieu"], row["trich_dan"], dt.date.fromisoformat(row["hieu_luc_tu"]),
        dt.date.fromisoformat(row["het_hieu_luc"]) if row["het_hieu_luc"] else None,
        row["xac_minh"] == "V", row["nguon"]) for row in _rows("can_cu_phap_ly.csv"))


def legal_bases(on: dt.date) -> list[LegalBasis]:
    """Return the legal bases in force on `on`, highest rank first (the CSV order), unverified ones flagged."""
    return [basis for basis in _legal_bases() if basis.in_force(on)]


def legal_bases_cited(text: str) -> list[LegalBasis]:
    """Return the catalogued legal bases `text` cites by number (số hiệu) or, as a Luật is, by name and date."""
    folded = text.casefold()
    return [basis for basis in _legal_bases()
            if re.search(rf"(?<![\d/]){re.escape(basis.so_hieu)}", text, re.IGNORECASE)
            or basis.trich_dan.removeprefix("Căn cứ ").casefold() in folded]


TERM_YEARS = 5  # a Party congress, the Quốc hội and the HĐND are elected for five years


@dataclass(frozen=True)
class Term:
    """A khóa, lần thứ or nhiệm kỳ that documents name, from the day it was elected to the day before the next."""

    ma: str
    co_quan: str
    loai: str
    so: str
    tu_ngay: dt.date
    den_ngay: dt.date | None
    xac_minh: str
    nguon: str

    @property
    def label(self) -> str:
        """Return how documents name the term: "khóa XIII", "lần thứ I" or "nhiệm kỳ 2021 - 2026"."""
        if self.loai == "khoa":
            return f"khóa {self.so}"
        if self.loai == "lan_thu":
            return f"lần thứ {self.so}"
        return f"nhiệm kỳ {self.tu_ngay.year} - {self.tu_ngay.year + TERM_YEARS}"


@cache
def terms() -> tuple[Term, ...]:
    """Return the terms of doctpl/data/nhiem_ky.csv, in file order."""
    return tuple(Term(
        row["ma"], row["co_quan"], row["loai"], row["so"], dt.date.fromisoformat(row["tu_ngay"]),
        dt.date.fromisoformat(row["den_ngay"]) if row["den_ngay"] else None,
        row["xac_minh"], row["nguon"]) for row in _rows("nhiem_ky.csv"))
