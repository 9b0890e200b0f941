"""Thể thức: the rules a document is laid out by, NĐ 30 for state bodies, HD 36 or HD 05 for Party bodies.

The data names the thể thức (`the_thuc`: "nha_nuoc" or "dang"); the document's date picks the version
of its rules from data/the_thuc.csv. Each element of a document (doctpl/parts) holds its layouts side by
side and reads the version it is given; `ma` also names the template built for that version.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NHA_NUOC, DANG = "nha_nuoc", "dang"
CHOICES = {
    NHA_NUOC: "Văn bản hành chính nhà nước (Nghị định 30/2020/NĐ-CP)",
    DANG: "Văn bản của Đảng (Hướng dẫn 36-HD/VPTW, từ 27/5/2026 Hướng dẫn 05-HD/VPTW)",
}
LABELS = {NHA_NUOC: "Nhà nước", DANG: "Đảng"}
DATA_FILE = Path(__file__).parent / "data" / "the_thuc.csv"


@dataclass(frozen=True)
class Rules:
    """One version of the layout rules: a row of data/the_thuc.csv."""

    ma: str  # nd30, hd36, hd05: also the suffix of the template built for it
    the_thuc: str
    ten: str
    tu_ngay: dt.date
    den_ngay: dt.date | None
    xac_minh: str
    nguon: str

    @property
    def dang(self) -> bool:
        """Tell whether these are Party rules."""
        return self.the_thuc == DANG

    def covers(self, on: dt.date) -> bool:
        """Tell whether a document dated `on` follows these rules."""
        return self.tu_ngay <= on and (self.den_ngay is None or on <= self.den_ngay)


@cache
def versions() -> tuple[Rules, ...]:
    """Return every version, oldest first within each thể thức."""
    with open(DATA_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = [Rules(row["ma"], row["the_thuc"], row["ten"], dt.date.fromisoformat(row["tu_ngay"]),
                 dt.date.fromisoformat(row["den_ngay"]) if row["den_ngay"] else None, row["xac_minh"], row["nguon"])
           for row in rows]
    return tuple(sorted(out, key=lambda rules: (rules.the_thuc, rules.tu_ngay)))


def by_code(ma: str) -> Rules:
    """Return the version with this code ("hd05")."""
    return next(rules for rules in versions() if rules.ma == ma)


def rules_on(the_thuc: str, on: dt.date) -> Rules:
    """Return the version of `the_thuc` a document dated `on` follows (the oldest known before its start)."""
    mine = [rules for rules in versions() if rules.the_thuc == the_thuc]
    if not mine:
        raise KeyError(f"unknown thể thức {the_thuc!r}")
    return next((rules for rules in mine if rules.covers(on)), mine[0] if on < mine[0].tu_ngay else mine[-1])
