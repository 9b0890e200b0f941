"""Báo cáo sơ kết công tác thi đua: 6 tháng đầu năm, a quý or a đợt thi đua, and the phương hướng after it.

The body is the shared tree; its usual headings (kết quả, đánh giá chung with ưu điểm, hạn chế,
nguyên nhân, phương hướng, kiến nghị) are the default outline, which the clerk edits freely. The
anniversaries chosen for the year are listed where the outline asks, in the period they fall in.
"""

from __future__ import annotations

from typing import Any

from doctpl import compose, facts
from doctpl.errors import FieldError
from doctpl.fields import Choice, Repeat
from doctpl.parts import body, periods
from doctpl.year import YearFacts

LAYOUT = compose.Standard(
    "Báo cáo", trich_yeu="Sơ kết công tác thi đua 6 tháng đầu năm {nam}, phương hướng 6 tháng cuối năm {nam}",
    kinh_gui=True)
OUTLINE = (
    {"phan": "", "tieu_de": "Kết quả thực hiện công tác thi đua, khen thưởng [[ky_bao_cao]]",
     "thanh_phan": [{"loai": "ky_niem", "khoang": "trong_ky", "van_ban": ""}]},
    {"phan": "", "tieu_de": "Đánh giá chung", "thanh_phan": [
        {"loai": "khoan", "tieu_de": label, "van_ban": ""} for label in ("Ưu điểm", "Hạn chế", "Nguyên nhân")]},
    {"phan": "", "tieu_de": "Phương hướng, nhiệm vụ [[ky_tiep_theo]]",
     "thanh_phan": [{"loai": "ky_niem", "khoang": "ky_toi", "van_ban": ""}]},
)  # «Kiến nghị», when there is one, is a section the clerk adds


def trich_yeu(spans: tuple[periods.Period, periods.Period], ky: str) -> str:
    """Return the default trích yếu for the report's period."""
    this, after = spans
    opening = f"Sơ kết {this.words}" if ky == "dot" else f"Sơ kết công tác thi đua {this.words}"
    return f"{opening}, phương hướng {after.words}"


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a sơ kết."""
    spans = periods.of_report(data)
    lines = body.Lines(compose.token_values(data, spans), data["nam"], spans=spans, chosen=data["ky_niem"])
    lines.opening(data)
    lines.sections(data["noi_dung"], phan_style=data["kieu_phan"])
    return LAYOUT.context(data | {"trich_yeu": data["trich_yeu"] or trich_yeu(spans, data["ky"])}, lines)


def check(data: dict[str, Any]) -> list[FieldError]:
    """Check the đợt's dates and the tokens of the body."""
    texts = body.texts(data["noi_dung"], "noi_dung")
    return periods.check(data) + compose.missing_tokens(texts, compose.token_values(data))


def from_year(year: YearFacts, data: dict[str, Any]) -> dict[str, Any]:
    """Start a unit's report from its own registration and score of the year; the khối's from its defaults."""
    return body.with_opening(data, year.unit_opening()) if year.unit is not None else data


KIND = LAYOUT.kind(
    id="bao_cao_so_ket",
    title="Báo cáo sơ kết",
    description="Sơ kết công tác thi đua 6 tháng đầu năm, một quý hoặc một đợt thi đua, và phương hướng kỳ tới, "
                "của một đơn vị hoặc của khối; các ngày kỷ niệm được xếp vào kỳ của chúng.",
    fields=LAYOUT.fields(
        *periods.fields(),
        Repeat("ky_niem", "Ngày kỷ niệm trong năm", item=Choice(
            "", "Sự kiện", choices={e.id: e.ten for e in facts.anniversaries().values()}), max_items=40,
            item_label="ngày kỷ niệm",
            help="Được liệt kê ở thành phần «Các ngày kỷ niệm» của nội dung, theo kỳ; số năm tính tự động."),
        *body.sections_fields(of_year=True, default=OUTLINE),
    ),
    context=context,
    checks=(check,),
    file_title=lambda data: f"Báo cáo sơ kết {periods.of_report(data)[0].words} – {data['co_quan']['ten']}",
    examples={"bao_cao_so_ket.json": "Khối thi đua số 1, Thành ủy Đà Lạt, 6 tháng đầu năm 2021",
              "bao_cao_so_ket_2026_khoi_dang.json": "Khối các cơ quan Đảng tỉnh Lâm Đồng, 6 tháng đầu năm 2026",
              "bao_cao_so_ket_cum_phuong.json": "Cụm thi đua các phường số 2, 6 tháng đầu năm 2026"},
    scope="don_vi",
    order=4,
    from_year=from_year,
    own_text=True,
)
