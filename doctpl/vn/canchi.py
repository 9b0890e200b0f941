"""Can Chi names of Gregorian years (Hồ Ngọc Đức's rules, thi-dua-domain.md §4.1)."""

from __future__ import annotations

CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
CHI = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


def can_chi(year: int) -> str:
    """Return the Can Chi of `year` as plans write it for "Mừng xuân …": 2021 -> "Tân Sửu"."""
    return f"{CAN[(year + 6) % 10]} {CHI[(year + 8) % 12]}"
