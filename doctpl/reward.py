"""Reward money: coefficient × the mức lương cơ sở in force on the decision date, rounded to 10.000 đồng."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from doctpl import facts
from doctpl.vn.numbers import money_text

STEP = 10_000
# "làm tròn số lên hàng chục nghìn đồng" reads as rounding up, but the same wording was applied as
# rounding to the nearest in practice (thi-dua-domain.md §1.4), so the mode is the clerk's choice.
# To the nearest, an amount half way goes up, as the usual «làm tròn» does: 11.385.000 -> 11.390.000.
ROUNDING = {"len": ROUND_CEILING, "gan_nhat": ROUND_HALF_UP}
ROUNDING_LABELS = {"len": "Làm tròn lên hàng chục nghìn đồng", "gan_nhat": "Làm tròn đến hàng chục nghìn gần nhất"}


@dataclass(frozen=True)
class Reward:
    """One reward amount and how it was computed."""

    coefficient: Decimal
    base: facts.BaseSalary
    raw: Decimal
    amount: int

    @property
    def text(self) -> str:
        """Return "2.340.000 đồng (Hai triệu ba trăm bốn mươi nghìn đồng)"."""
        return money_text(self.amount)


def round_amount(raw: Decimal, mode: str) -> int:
    """Round a raw product to 10.000 đồng in the given mode ("len" or "gan_nhat")."""
    return int((raw / STEP).quantize(Decimal(1), rounding=ROUNDING[mode])) * STEP


def reward(ma: str, doi_tuong: str, decided: dt.date, mode: str = "len") -> Reward:
    """Return the amount for a danh hiệu or hình thức given to a person or collective on `decided`."""
    coefficient = facts.coefficient(ma, doi_tuong, decided)
    base = facts.base_salary(decided)
    raw = coefficient * base.amount
    return Reward(coefficient, base, raw, round_amount(raw, mode))
