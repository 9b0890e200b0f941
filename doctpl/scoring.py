"""Scores of the year: totals and ranks are computed, never typed; ties share a rank."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache


@dataclass(frozen=True)
class Score:
    """One unit's line of the scoring table."""

    don_vi: str
    tu_cham: Decimal
    khoi_cham: Decimal
    thuong_tru: Decimal
    tong: Decimal
    hang: int


@lru_cache(maxsize=4096)
def score_text(value: Decimal) -> str:
    """Write a score the Vietnamese way, decimal comma and no trailing zeros: 95.50 -> "95,5"; never «-0».

    Equal scores are written alike (10 and 10.0 -> "10"), so a table's repeated scores are written once.
    """
    if value == 0:
        return "0"  # a typed «-0» too
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rank(rows: list[dict[str, Decimal | str]]) -> list[Score]:
    """Return the rows with their total (khối chấm + thưởng/trừ) and rank, best first (1, 2, 2, 4)."""
    scored = [(row, Decimal(row["khoi_cham"]) + Decimal(row["thuong_tru"])) for row in rows]
    ordered = sorted(scored, key=lambda item: item[1], reverse=True)
    out, previous, place = [], None, 0
    for position, (row, total) in enumerate(ordered, 1):
        if total != previous:
            place, previous = position, total
        out.append(Score(str(row["don_vi"]), Decimal(row["tu_cham"]), Decimal(row["khoi_cham"]),
                         Decimal(row["thuong_tru"]), total, place))
    return out


def places(totals: list[Decimal]) -> list[int]:
    """Return the rank of each total in the order given, best first, equal totals sharing a rank (1, 2, 2, 4)."""
    ranked = rank([{"don_vi": str(index), "tu_cham": value, "khoi_cham": value, "thuong_tru": Decimal(0)}
                   for index, value in enumerate(totals)])
    out = [0] * len(totals)
    for score in ranked:
        out[int(score.don_vi)] = score.hang
    return out
