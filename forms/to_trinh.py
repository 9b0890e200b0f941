"""Tờ trình đề nghị khen thưởng: the khối proposes its leading units to the Hội đồng Thi đua – Khen thưởng.

NĐ 30 Phụ lục III Mẫu 1.4 with «Kính gửi:» (Phụ lục I II.9.a); in Party form «Kính trình:» (HD 05 I.9.2.4). The
units proposed are grouped by award, named with its authority (doctpl/data/khen_thuong.csv), then listed in
the attached table with their score and vote; Nơi nhận starts «Như trên». Proposals beyond the khối's
quota of the year (doctpl/data/chi_tieu_khen_thuong.csv) and units under the criteria's minimum score are
warnings, never refusals.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from typing import Any

from doctpl import compose, facts, markup
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Number, Text
from doctpl.markup import Run
from doctpl.parts import body, header, kinh_gui, results
from doctpl.scoring import score_text
from doctpl.vn.numbering import so_thu_tu
from doctpl.vn.text import without_breaks
from doctpl.year import YearFacts

QUOTA_FILE = facts.DATA_DIR / "chi_tieu_khen_thuong.csv"
LIST_TITLE = "Danh sách đề nghị khen thưởng"


@cache
def _quota_rows() -> tuple[dict[str, str], ...]:
    with open(QUOTA_FILE, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def quotas(on: dt.date) -> dict[str, int]:
    """Return, for each award with a quota on `on`, how many units one khối or cụm may propose in a year."""
    newest: dict[str, int] = {}
    for row in sorted(_quota_rows(), key=lambda row: row["hieu_luc_tu"]):
        if dt.date.fromisoformat(row["hieu_luc_tu"]) <= on:
            newest[row["ma"]] = int(row["so_luong"])
    return newest


def by_award(rows: list[dict[str, Any]]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Return the proposals grouped by award, in the order the awards first appear, each with its row index."""
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(row["khen"], []).append((index, row))
    return groups


def warnings(data: dict[str, Any]) -> list[FieldError]:
    """Warn, never refuse: more proposals for an award than the quota, a unit under the minimum score."""
    names, quota_of, out = results.printed_awards(), quotas(header.document_date(data)), []
    for code, rows in by_award(data["de_nghi"]).items():
        allowed = quota_of.get(code)
        if allowed is not None and len(rows) > allowed:
            out.append(FieldError(f"de_nghi.{rows[allowed][0]}.khen", (
                f"Đề nghị {so_thu_tu(len(rows))} tập thể «{names[code]}», vượt chỉ tiêu {so_thu_tu(allowed)} của "
                f"mỗi khối, cụm trong năm {data['nam']}; kiểm tra lại trước khi trình.")))
    floor = data["diem_toi_thieu"]
    for index, row in enumerate(data["de_nghi"] if floor is not None else []):
        if row["diem"] is None:
            out.append(FieldError(f"de_nghi.{index}.diem", (
                f"«{without_breaks(row['don_vi'])}» chưa có «Điểm» để đối chiếu với «Điểm tối thiểu» "
                f"{score_text(floor)}.")))
        elif row["diem"] < floor:
            out.append(FieldError(f"de_nghi.{index}.diem", (
                f"«{without_breaks(row['don_vi'])}» đạt {score_text(row['diem'])} điểm, dưới «Điểm tối thiểu» "
                f"{score_text(floor)} điểm để được đề nghị khen thưởng.")))
    return out


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a tờ trình."""
    values = compose.token_values(data)
    lines = body.Lines(values, data["nam"])
    lines.opening(data)
    names = results.printed_awards()
    for number, (code, rows) in enumerate(by_award(data["de_nghi"]).items(), 1):
        lines.add("khoan", [Run(f"{number}. {names[code]}: {so_thu_tu(len(rows))} tập thể")])
        for position, (_, row) in enumerate(rows, 1):
            lines.add("doan", [Run(f"- {without_breaks(row['don_vi'])}{'.' if position == len(rows) else ';'}")])
    closing = body.Lines(values, data["nam"])
    if data["loi_ket"]:
        closing.paragraphs(data["loi_ket"])
    else:
        recipient = kinh_gui.context(data["kinh_gui"][:1], header.rules_of(data))["single"]
        closing.add("doan", [Run(f"Kính trình {recipient} xem xét, quyết định.")])
    return LAYOUT.context(data, lines, end_mark=False, tt={
        "ds": results.context(data["de_nghi"]), "cuoi": closing.result(body.end_mark(header.rules_of(data)))})


def write_body(doc: Any) -> None:
    """Write the căn cứ, the lead and the proposals by award, the attached list, then the closing sentence."""
    body.build(doc)
    doc.add_paragraph(LIST_TITLE.upper(), style=base.STYLE_NAMES["VBGiua"])
    results.build(doc, "tt.ds", "Tập thể")
    body.build(doc, "tt.cuoi")


LAYOUT = compose.Standard("Tờ trình", trich_yeu="Đề nghị khen thưởng năm {nam}", kinh_gui=True, kinh_trinh=True,
                          body=write_body, extra=("tt",))

def from_year(year: YearFacts, data: dict[str, Any]) -> dict[str, Any]:
    """Start the khối's tờ trình with the units the suy tôn voted an award, with their score and votes."""
    voted = year.voted() if year.unit is None else []
    return data | {"de_nghi": voted} if voted else data


KIND = LAYOUT.kind(
    id="to_trinh",
    title="Tờ trình đề nghị khen thưởng",
    description="Tờ trình của khối, cụm đề nghị Hội đồng Thi đua – Khen thưởng xét tặng Cờ thi đua, Bằng khen cho các "
                "đơn vị dẫn đầu, kèm danh sách với điểm và kết quả bỏ phiếu; cảnh báo khi vượt chỉ tiêu hoặc thiếu "
                "điểm.",
    fields=LAYOUT.fields(
        results.rows_field("de_nghi", "Danh sách đề nghị", unit_label="Tập thể",
                           unit_help="Tên tập thể được đề nghị, ví dụ Ban Tuyên giáo và Dân vận Tỉnh ủy.",
                           award_required=True, min_items=1),
        Number("diem_toi_thieu", "Điểm tối thiểu", required=False,
               help="Điểm tối thiểu tiêu chí thi đua yêu cầu để được đề nghị khen thưởng (không bắt buộc); đơn vị "
                    "thấp hơn được cảnh báo, không bị từ chối."),
        Text("loi_ket", "Lời kết", required=False, max_len=1000, multiline=True, check=markup.check_tokens,
             help="Để trống để in «Kính trình <nơi nhận đầu tiên> xem xét, quyết định»."),
        kinh_gui_field=kinh_gui.field(required=True, help_text="Hội đồng Thi đua – Khen thưởng nhận tờ trình, ví dụ "
                                                               "Hội đồng Thi đua – Khen thưởng tỉnh Lâm Đồng."),
    ),
    context=context,
        warnings=warnings,
    file_title=lambda data: f"Tờ trình đề nghị khen thưởng năm {data['nam']} – {data['co_quan']['ten']}",
    examples={"to_trinh_2021_khoi_1.json": "Khối thi đua số 1, Thành ủy Đà Lạt, năm 2021",
              "to_trinh_2026_khoi_dang.json": "Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng, năm 2026",
              "to_trinh_cum_phuong.json": "Cụm thi đua các phường số 2, năm 2026"},
    order=8,
    from_year=from_year,
)
