"""Results of a meeting: per unit or criterion the agreed score and the vote, «07/07 phiếu, đạt 100%».

A biên bản's results and a tờ trình's proposals share one row: the unit (or criterion), the hình thức khen
thưởng proposed (a collective's codes of doctpl/data/khen_thuong.csv, printed with their authority), the
score, and the votes in favour out of all votes. The share is computed, never typed: a decimal comma, at most
two decimals, half up (06/07 phiếu, đạt 85,71%). The rows are laid out as a bordered table at fixed widths:
scores only, votes only, or every column (a «|» typed in a name is a line-break mark, read as a space).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from doctpl import facts, layout
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Group, Integer, Number, Repeat, Text, join
from doctpl.scoring import score_text
from doctpl.vn.numbering import so_thu_tu
from doctpl.vn.text import without_breaks

WHO = "tap_the"  # a khối proposes its member units: collectives
NONE = {"": "— Không đề nghị —"}
PLACES = Decimal("0.01")
MAX_VOTES = 10000
# The narrower layouts of the table and the columns they show after STT and the unit; any other rows: all three.
LAYOUTS = {"diem": {"diem"}, "phieu": {"phieu"}}
STT_WIDTH, AWARD_WIDTH, SCORE_WIDTH, VOTE_WIDTH = 700, 2400, 1000, 2300
BOTH = "Nhập cả «Số phiếu đồng ý» và «Tổng số phiếu», hoặc để trống cả hai."


def awards() -> dict[str, str]:
    """Return the collective rewards a row may propose: code -> catalogue name."""
    return facts.rewards(doi_tuong=WHO)


def printed_awards() -> dict[str, str]:
    """Return code -> the name documents print, with its authority («Cờ thi đua của Ủy ban nhân dân tỉnh»)."""
    return facts.reward_names(doi_tuong=WHO)


def check_votes(row: dict[str, Any], path: str) -> list[FieldError]:
    """Refuse a vote given by half, or more votes in favour than votes cast."""
    agree, total = row["dong_y"], row["tong_phieu"]
    if (agree is None) != (total is None):
        return [FieldError(join(path, "tong_phieu" if total is None else "dong_y"), BOTH)]
    if agree is not None and agree > total:
        return [FieldError(join(path, "dong_y"),
                           f"«Số phiếu đồng ý» ({agree}) nhiều hơn «Tổng số phiếu» ({total}).")]
    return []


def rows_field(name: str, label: str, *, unit_label: str, unit_help: str, award_required: bool,
               min_items: int = 0) -> Repeat:
    """Return the list of result rows; `award_required` for a list of proposals (a tờ trình)."""
    row = Group("dong", "Dòng kết quả", fields=[
        Text("don_vi", unit_label, max_len=300, help=unit_help),
        Choice("khen", "Hình thức đề nghị", choices=awards() if award_required else NONE | awards(),
               default="", help="Được in kèm thẩm quyền, ví dụ «Cờ thi đua của Ủy ban nhân dân tỉnh»."),
        Number("diem", "Điểm", required=False, minimum=Decimal(0),
               help="Điểm thống nhất (khối thẩm định hoặc tổng điểm); để trống nếu không chấm điểm."),
        Integer("dong_y", "Số phiếu đồng ý", required=False, minimum=0, maximum=MAX_VOTES),
        Integer("tong_phieu", "Tổng số phiếu", required=False, minimum=1, maximum=MAX_VOTES,
                help="Số phiếu phát ra (số thành viên biểu quyết); tỷ lệ phần trăm được tính trên số này."),
    ], checks=(check_votes,))
    return Repeat(name, label, item=row, min_items=min_items, max_items=200, item_label="dòng", of_year=True,
                  help="Tỷ lệ phiếu đồng ý được tính tự động, ví dụ «06/07 phiếu, đạt 85,71%».")


def percent(agree: int, total: int) -> Decimal:
    """Return the share of votes in favour, in per cent, rounded half up to two decimals."""
    return (Decimal(agree) * 100 / Decimal(total)).quantize(PLACES, rounding=ROUND_HALF_UP)


def vote_text(agree: int | None, total: int | None) -> str:
    """Return «07/07 phiếu, đạt 100%», «06/07 phiếu, đạt 85,71%»; empty without a vote."""
    if agree is None or total is None:
        return ""
    return f"{so_thu_tu(agree)}/{so_thu_tu(total)} phiếu, đạt {score_text(percent(agree, total))}%"


def context(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the printed rows and the table's columns: "diem" (scores only), "phieu" (votes only), "day_du"."""
    names = printed_awards()
    shown = [{"stt": index, "don_vi": without_breaks(row["don_vi"]), "khen": names.get(row["khen"], ""),
              "diem": score_text(row["diem"]) if row["diem"] is not None else "",
              "phieu": vote_text(row["dong_y"], row["tong_phieu"])} for index, row in enumerate(rows, 1)]
    filled = {key for row in shown for key in ("khen", "diem", "phieu") if row[key]}
    columns = next((name for name, keys in LAYOUTS.items() if filled <= keys), "day_du")
    return {"cols": columns if shown else "", "rows": shown}


def build(doc: Any, source: str, unit_heading: str) -> None:
    """Write the table of `source` (a value of `context`) in the layout its rows need, at fixed widths."""
    stt = ("STT", STT_WIDTH, "{{ r.stt }}", "center")
    extra = {"khen": ("Hình thức đề nghị", AWARD_WIDTH, "{{ r.khen }}", "left"),
             "diem": ("Điểm", SCORE_WIDTH, "{{ r.diem }}", "center"),
             "phieu": ("Kết quả bỏ phiếu", VOTE_WIDTH, "{{ r.phieu }}", "center")}
    for index, (name, keys) in enumerate((*LAYOUTS.items(), ("day_du", set(extra)))):
        shown = [extra[key] for key in ("khen", "diem", "phieu") if key in keys]
        unit = layout.TEXT_WIDTH - STT_WIDTH - sum(width for _, width, _, _ in shown)
        base.tag(doc, f"{{%p {'if' if index == 0 else 'elif'} {source}.cols == '{name}' %}}")
        base.data_table(doc, f"{source}.rows", [stt, (unit_heading, unit, "{{ r.don_vi }}", "left"), *shown])
    base.tag(doc, "{%p endif %}")
