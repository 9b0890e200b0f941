"""Báo cáo tổng kết công tác thi đua, khen thưởng năm: narrative, scores, award proposals, reward money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from doctpl import compose, facts, layout
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Date, Group, Number, Repeat, Text
from doctpl.parts import body, header
from doctpl.reward import ROUNDING_LABELS, reward
from doctpl.scoring import rank, score_text
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import roman
from doctpl.vn.numbers import group_digits, money_text
from doctpl.vn.text import upper
from doctpl.year import YearFacts

LAYOUT_NAME = "Báo cáo"
WHO = {"tap_the": "Tập thể", "ca_nhan": "Cá nhân"}
TABLES = ("Kết quả chấm điểm, xếp hạng thi đua", "Đề nghị khen thưởng", "Tiền thưởng kèm theo")
COL = layout.TEXT_WIDTH


def _all_rewards() -> dict[str, str]:
    return facts.rewards("danh_hieu") | facts.rewards("hinh_thuc")


def _printed_rewards() -> dict[str, str]:
    return facts.reward_names("danh_hieu") | facts.reward_names("hinh_thuc")


def check(data: dict[str, Any]) -> list[FieldError]:
    """Check what single fields cannot: a reward that does not apply, money without a decision date or coefficient."""
    errors = []
    for table in ("de_nghi", "tien_thuong"):
        for index, row in enumerate(data[table]):
            if row["khen"] not in facts.rewards(doi_tuong=row["doi_tuong"]):
                errors.append(FieldError(f"{table}.{index}.khen", (
                    f"«{_all_rewards()[row['khen']]}» không dùng cho {WHO[row['doi_tuong']].lower()}.")))
    if data["tien_thuong"]:
        decided = data["ngay_quyet_dinh"]
        if not decided:
            errors.append(FieldError("ngay_quyet_dinh",
                                     "Vui lòng nhập «Ngày quyết định khen thưởng» để tính tiền thưởng."))
        else:
            try:
                facts.base_salary(decided)
            except KeyError:
                errors.append(FieldError("ngay_quyet_dinh", "Chưa có mức lương cơ sở cho ngày này trong dữ liệu."))
            errors += _coefficients_missing(data["tien_thuong"], decided)
    return errors


def _coefficients_missing(rows: list[dict[str, Any]], decided: dt.date) -> list[FieldError]:
    """Flag each applicable reward without a coefficient on the decision date (a title created later)."""
    errors = []
    for index, row in enumerate(rows):
        if row["khen"] not in facts.rewards(doi_tuong=row["doi_tuong"]):
            continue  # already reported as not applicable
        try:
            facts.coefficient(row["khen"], row["doi_tuong"], decided)
        except KeyError:
            errors.append(FieldError(f"tien_thuong.{index}.khen", (
                f"«{_all_rewards()[row['khen']]}» chưa có hệ số tiền thưởng vào ngày quyết định "
                f"{short_date(decided)}.")))
    return errors


def money(data: dict[str, Any]) -> dict[str, Any]:
    """Return the reward-money rows, the total in figures and words, and the basis of the computation."""
    if not data["tien_thuong"]:
        return {"rows": [], "total": "", "basis": ""}
    decided, mode = data["ngay_quyet_dinh"], data["lam_tron"]
    names = _printed_rewards()
    rows = []
    for index, row in enumerate(data["tien_thuong"], 1):
        amount = reward(row["khen"], row["doi_tuong"], decided, mode)
        rows.append({"stt": index, "ten": row["ten"], "khen": names[row["khen"]],
                     "he_so": score_text(amount.coefficient), "tien": amount.text, "amount": amount.amount})
    base_salary = facts.base_salary(decided)
    basis = (f"{base_salary.name.capitalize()} {group_digits(base_salary.amount)} đồng theo {base_salary.source}, "
             f"áp dụng theo ngày quyết định khen thưởng {short_date(decided)}; "
             f"{ROUNDING_LABELS[mode][0].lower()}{ROUNDING_LABELS[mode][1:]}")
    basis = body.closed(basis, body.end_mark(header.rules_of(data)))  # the content ends here
    return {"rows": rows, "total": money_text(sum(r["amount"] for r in rows)), "basis": basis}


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a year-end report."""
    lines = body.Lines(compose.token_values(data), data["nam"])
    lines.opening(data)
    lines.sections(data["noi_dung"], phan_style=data["kieu_phan"])
    present = [bool(data["diem"]), bool(data["de_nghi"]), bool(data["tien_thuong"])]
    numbers = iter(range(len(data["noi_dung"]) + 1, len(data["noi_dung"]) + 4))
    headings = [f"{roman(next(numbers))}. {upper(label)}" if shown else ""
                for label, shown in zip(TABLES, present, strict=True)]
    scores = [{"stt": i, "don_vi": s.don_vi, "tu_cham": score_text(s.tu_cham), "khoi_cham": score_text(s.khoi_cham),
               "thuong_tru": score_text(s.thuong_tru), "tong": score_text(s.tong), "hang": s.hang}
              for i, s in enumerate(rank(data["diem"]), 1)]
    names = _printed_rewards()
    proposals = [{"stt": i, "ten": row["ten"], "khen": names[row["khen"]], "thanh_tich": row["thanh_tich"]}
                 for i, row in enumerate(data["de_nghi"], 1)]
    # The "./." end mark goes on the money basis when that closes the content, else on the narrative.
    return LAYOUT.context(data, lines, end_mark=not data["tien_thuong"], tk={
        "headings": headings, "diem": scores, "de_nghi": proposals, "tien": money(data)})


def write_body(doc: Any) -> None:
    """Write the narrative, then each table under its numbered heading (a table without rows is left out)."""
    body.build(doc)
    tables = (
        ("tk.diem", [("STT", 800, "{{ r.stt }}", "center"), ("Đơn vị", COL - 6200, "{{ r.don_vi }}", "left"),
                     ("Điểm tự chấm", 1150, "{{ r.tu_cham }}", "center"),
                     ("Điểm khối chấm", 1150, "{{ r.khoi_cham }}", "center"),
                     ("Điểm thưởng, trừ", 1150, "{{ r.thuong_tru }}", "center"),
                     ("Tổng", 1000, "{{ r.tong }}", "center"), ("Xếp hạng", 950, "{{ r.hang }}", "center")], None),
        ("tk.de_nghi", [("STT", 800, "{{ r.stt }}", "center"), ("Tập thể, cá nhân", 2700, "{{ r.ten }}", "left"),
                        ("Hình thức đề nghị", 2300, "{{ r.khen }}", "left"),
                        ("Tóm tắt thành tích", COL - 5800, "{{ r.thanh_tich }}", "left")], None),
        ("tk.tien.rows", [("STT", 800, "{{ r.stt }}", "center"), ("Tập thể, cá nhân", 2400, "{{ r.ten }}", "left"),
                          ("Danh hiệu, hình thức", 2200, "{{ r.khen }}", "left"),
                          ("Hệ số", 800, "{{ r.he_so }}", "center"),
                          ("Số tiền", COL - 6200, "{{ r.tien }}", "left")],
         ["", "Tổng cộng", "", "", "{{ tk.tien.total }}"]),
    )
    for index, (rows, columns, total) in enumerate(tables):
        base.tag(doc, f"{{%p if tk.headings[{index}] %}}")
        doc.add_paragraph(f"{{{{ tk.headings[{index}] }}}}", style=base.STYLE_NAMES["VBMuc"])
        base.data_table(doc, rows, columns, total)
        base.tag(doc, "{%p endif %}")
    base.tag(doc, "{%p if tk.tien.basis %}")
    doc.add_paragraph("{{ tk.tien.basis }}", style=base.STYLE_NAMES["VBCanCu"])
    base.tag(doc, "{%p endif %}")


LAYOUT = compose.Standard(LAYOUT_NAME, trich_yeu="Tổng kết công tác thi đua, khen thưởng năm {nam}", kinh_gui=True,
                          body=write_body, extra=("tk",))


def _who(name: str = "doi_tuong") -> Choice:
    return Choice(name, "Đối tượng", choices=WHO, default="ca_nhan")


def from_year(year: YearFacts, data: dict[str, Any]) -> dict[str, Any]:
    """Start a unit's report from its own registration and score; the khối's from the year's scores and the tờ
    trình's proposals, so nothing is typed twice."""
    if year.unit is not None:
        return body.with_opening(data, year.unit_opening())
    scores, proposals = year.scores(), year.proposals()
    return data | ({"diem": scores} if scores else {}) | ({"de_nghi": proposals} if proposals else {})


KIND = LAYOUT.kind(
    id="bao_cao_tong_ket",
    title="Báo cáo tổng kết năm",
    description="Tổng kết công tác thi đua, khen thưởng năm: kết quả, chấm điểm và xếp hạng (tính tự động), "
                "đề nghị khen thưởng, tiền thưởng theo mức lương cơ sở tại ngày quyết định.",
    fields=LAYOUT.fields(
        *body.sections_fields(of_year=True),
        Repeat("diem", "Chấm điểm thi đua", of_year=True, item=Group("dong", "Đơn vị", fields=[
            Text("don_vi", "Đơn vị", max_len=150),
            Number("tu_cham", "Điểm tự chấm", minimum=0),
            Number("khoi_cham", "Điểm khối chấm", minimum=0),
            Number("thuong_tru", "Điểm thưởng/trừ", required=False, minimum=-100, maximum=100, default=Decimal(0),
                   help="Số âm là điểm trừ; để trống là 0."),
        ]), max_items=200, item_label="đơn vị",
            help="Tổng = điểm khối chấm + điểm thưởng/trừ; xếp hạng tự động, bằng điểm thì cùng hạng."),
        Repeat("de_nghi", "Đề nghị khen thưởng", of_year=True, item=Group("de_nghi", "Đề nghị", fields=[
            Text("ten", "Tập thể, cá nhân", max_len=200, help="Cá nhân ghi cả chức vụ, đơn vị."),
            _who(),
            Choice("khen", "Danh hiệu thi đua, hình thức khen thưởng", choices=_all_rewards()),
            Text("thanh_tich", "Tóm tắt thành tích", max_len=2000, multiline=True),
        ]), max_items=200, item_label="đề nghị"),
        Repeat("tien_thuong", "Tiền thưởng", of_year=True, item=Group("tien", "Khoản thưởng", fields=[
            Text("ten", "Tập thể, cá nhân", max_len=200), _who(),
            Choice("khen", "Danh hiệu thi đua, hình thức khen thưởng", choices=_all_rewards()),
        ]), max_items=500, item_label="khoản thưởng",
            help="Số tiền = hệ số × mức lương cơ sở tại ngày quyết định, làm tròn hàng chục nghìn đồng."),
        Date("ngay_quyet_dinh", "Ngày quyết định khen thưởng", required=False, per_year=True,
             help="Chọn mức lương cơ sở đang có hiệu lực vào ngày này."),
        Choice("lam_tron", "Cách làm tròn", choices=ROUNDING_LABELS, default="len",
               help="Văn bản quy định «làm tròn số lên hàng chục nghìn đồng»; một số nơi làm tròn đến số gần nhất."),
    ),
    context=context,
    checks=(check,),
    file_title=lambda data: f"Báo cáo tổng kết năm {data['nam']} – {data['co_quan']['ten']}",
    examples={"bao_cao_tong_ket.json": "Khối thi đua số 1, Thành ủy Đà Lạt, năm 2021",
              "bao_cao_tong_ket_2026_khoi_dang.json": "Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng, năm 2026",
              "bao_cao_tong_ket_cum_phuong.json": "Cụm thi đua các phường số 2, năm 2026"},
    scope="don_vi",
    order=5,
    from_year=from_year,
    own_text=True,
)
