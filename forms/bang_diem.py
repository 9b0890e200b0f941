"""Bảng chấm điểm thi đua: the khối's criteria of the year and every unit's scores, in one record.

The document is the khối's Thông báo of the results (the summary: every unit's totals per stage and its
rank), followed by Phụ lục: each unit's bảng chấm điểm, or the blank criteria table, each referred to the
Thông báo itself or to the giao ước or kế hoạch the criteria were adopted with. The arithmetic is
doctpl/score_tree.py, its checks doctpl/score_check.py, the tables doctpl/parts/score_table.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from doctpl import compose, facts, score_check, score_tree
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Date, Field, Group, Integer, Number, Repeat, Text
from doctpl.parts import body, header, phu_luc, score_table
from doctpl.score_tree import CHILDREN, CHUAN, GRADES, KINDS, STAGE_WORDS, STAGES
from doctpl.the_thuc import NHA_NUOC, Rules
from doctpl.vn.dates import short_date

TEN_LOAI = "Thông báo"
LEVELS = (("Tiêu chuẩn", "Các tiêu chuẩn", "tiêu chuẩn"), ("Mục", "Các mục", "mục"), ("Phần", "Các phần", "phần"))
WITH = {"": "Thông báo này", "giao_uoc": "Giao ước thi đua", "ke_hoach": "Kế hoạch"}
OTHER = {"loai": ("giao_uoc", "ke_hoach")}  # the appendices go with another document, named by its number and date
APPENDICES = {"don_vi": "Bảng chấm điểm của từng đơn vị", "tieu_chi": "Bảng tiêu chí chấm điểm (cột điểm để trống)"}
POINTS = {"minimum": Decimal(0), "maximum": Decimal(1000)}


def _criterion(depth: int = 0) -> Group:
    """Return one criterion of a level (tiêu chuẩn, mục, phần) with the criteria under it."""
    name, _, _ = LEVELS[depth]
    fields: list[Field] = [
        Text("noi_dung", f"Nội dung {name.lower()}", max_len=1000, multiline=True),
        Choice("loai", "Loại điểm", choices=KINDS, default=CHUAN,
               help="Điểm thưởng, điểm trừ: nhập số điểm được cộng, bị trừ (số dương)."),
        Choice("cach_cham", "Cách chấm", choices={"diem": "Chấm điểm", "xep_loai": "Xếp loại A, B, C, D"},
               default="diem", when={"loai": (CHUAN,)}, help="Xếp loại: tiêu chí định tính, mỗi loại một mức điểm."),
        Number("diem_toi_da", "Điểm tối đa", when={"cach_cham": ("diem",)}, **POINTS,
               help="Tiêu chí có tiêu chí con: điểm tối đa của cả nhóm; điểm thưởng, điểm trừ: mức cộng, trừ tối đa."),
        *(Number(f"diem_{grade.lower()}", f"Điểm loại {grade}", when={"cach_cham": ("xep_loai",)}, **POINTS)
          for grade in GRADES),
        Number("thuong_toi_da", "Tổng điểm thưởng tối đa của các tiêu chí con", required=False,
               when={"loai": (CHUAN,)}, **POINTS, help="Để trống nếu không giới hạn chung."),
        Number("tru_toi_da", "Tổng điểm trừ tối đa của các tiêu chí con", required=False,
               when={"loai": (CHUAN,)}, **POINTS, help="Ví dụ «tổng điểm trừ của tiêu chuẩn không quá 2 điểm»."),
    ]
    if depth + 1 < len(LEVELS):
        _, label, item = LEVELS[depth + 1]
        fields.append(Repeat(CHILDREN[depth + 1], label, item=_criterion(depth + 1), max_items=40, item_label=item))
    return Group("tieu_chi", name, fields=fields)


def _score_row() -> Group:
    """Return one scored criterion's row of a unit: a score and a note per stage."""
    fields: list[Field] = []
    for key, words, _ in STAGES:
        fields += [Number(key, f"Điểm {words}", required=False, **POINTS),
                   Text(f"{key}_ghi_chu", f"Ghi chú {words}", required=False, max_len=500)]
    return Group("dong", "Điểm của tiêu chí", fields=fields)


def _fields() -> list[Field]:
    return [
        Repeat("tieu_chuan", "Bảng tiêu chí", item=_criterion(), min_items=1, max_items=30, item_label="tiêu chuẩn",
               help="Tiêu chuẩn › mục › phần; mã 1, 1.1, 1.1.a được đánh tự động. Tiêu chí không có tiêu chí con "
                    "là tiêu chí được chấm."),
        Number("thuong_toi_da", "Tổng điểm thưởng tối đa của cả bảng", required=False, **POINTS),
        Number("tru_toi_da", "Tổng điểm trừ tối đa của cả bảng", required=False, **POINTS),
        Repeat("don_vi", "Đơn vị và điểm chấm", of_year=True, max_items=100, item_label="đơn vị",
               item=Group("don_vi", "Đơn vị", fields=[
                   Text("ten", "Tên đơn vị", max_len=200),
                   Repeat("diem", "Điểm các tiêu chí", item=_score_row(), max_items=500, item_label="tiêu chí",
                          help="Một dòng cho mỗi tiêu chí được chấm, theo thứ tự của bảng tiêu chí. Điểm tự chấm "
                               "có thể nhập từ bảng tính (python -m doctpl diem mau / diem nhap)."),
               ])),
        body.text_list("ket_luan", "Đoạn kết", "Các đoạn sau bảng tổng hợp (không bắt buộc).", item_label="đoạn"),
        Choice("phu_luc", "Phụ lục kèm theo", choices=APPENDICES, default="don_vi"),
        Integer("don_vi_in", "Chỉ in bảng của đơn vị thứ", required=False, minimum=1, maximum=100,
                when={"phu_luc": ("don_vi",)}, help="Để trống để in bảng của mọi đơn vị."),
        Choice("huong_phu_luc", "Hướng trang phụ lục", choices=phu_luc.ORIENTATIONS, default="doc",
               help="Khổ ngang khi bảng rộng (Hướng dẫn 05-HD/VPTW, IV.4.3); lề trang giữ như khổ dọc."),
        Group("kem_theo", "Phụ lục kèm theo văn bản", fields=[
            Choice("loai", "Văn bản", choices=WITH, default="",
                   help="Bảng tiêu chí ban hành kèm giao ước hoặc kế hoạch: chọn văn bản đó và nhập số, ngày."),
            Integer("so", "Số văn bản", required=False, minimum=1, maximum=99999, when=OTHER, per_year=True),
            Date("ngay", "Ngày văn bản", required=False, when=OTHER, per_year=True),
        ]),
    ]


def check_appendices(data: dict[str, Any]) -> list[FieldError]:
    """Refuse a unit to print that is not there, and a giao ước or kế hoạch dated before its type's abbreviation."""
    errors = []
    if data["don_vi_in"] and data["don_vi_in"] > len(data["don_vi"]):
        errors.append(FieldError("don_vi_in", f"«Chỉ in bảng của đơn vị thứ» {data['don_vi_in']}: bảng điểm có "
                                              f"{len(data['don_vi'])} đơn vị."))
    kem = data["kem_theo"]
    if kem["loai"] and kem["ngay"]:
        since = facts.abbreviation_since(WITH[kem["loai"]], data.get("the_thuc") or NHA_NUOC)
        if kem["ngay"] < since:
            errors.append(FieldError("kem_theo.ngay", (
                f"«Ngày văn bản» {short_date(kem['ngay'])}: chưa có chữ viết tắt tên loại «{WITH[kem['loai']]}» "
                f"trước ngày {short_date(since)}.")))
    return errors


def _appendices(data: dict[str, Any], rules: Rules, tree: score_tree.Table,
                scored: list[score_tree.Scored]) -> list[dict[str, Any]]:
    """Return each Phụ lục's heading and lines: the chosen units' tables, or the criteria table."""
    units = data["don_vi"]
    chosen: list[int | None] = list(range(len(units))) if data["phu_luc"] == "don_vi" else []
    if data["don_vi_in"] and data["phu_luc"] == "don_vi":
        chosen = [data["don_vi_in"] - 1]
    chosen = chosen or [None]
    kem = data["kem_theo"]
    own = not kem["loai"]
    reference = phu_luc.reference(rules, TEN_LOAI if own else WITH[kem["loai"]], data["so"] if own else kem["so"],
                                  data["ngay"] if own else kem["ngay"], data["nam"], data["co_quan"]["ky_hieu"],
                                  data["co_quan"]["ten"])
    known, out = score_table.criteria(tree), []
    for number, unit in enumerate(chosen, 1):
        lines = score_table.title(data["nam"], units[unit]["ten"] if unit is not None else "")
        found = scored[unit] if unit is not None else {}
        out.append(phu_luc.context(rules, lines, number, len(chosen), reference, data["huong_phu_luc"])
                   | {"dong": score_table.lines(data, unit, tree, known, found)})
    return out


def _pointer(data: dict[str, Any], appendices: list[dict[str, Any]]) -> str:
    """Return the sentence that refers to the appendices: «… tại Phụ lục I đến VII kèm theo.» (NĐ 30 Phụ lục I)."""
    numbers = [item["nhan"].split()[-1] for item in appendices]
    where = "Phụ lục" if len(numbers) == 1 else f"Phụ lục {numbers[0]} đến {numbers[-1]}"
    if data["phu_luc"] != "don_vi" or not data["don_vi"]:
        return f"Bảng tiêu chí chấm điểm tại {where} kèm theo."
    whose = data["don_vi"][data["don_vi_in"] - 1]["ten"] if data["don_vi_in"] else "các đơn vị"
    return f"Điểm chấm theo từng tiêu chí của {whose} tại {where} kèm theo."


def context(data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context: the Thông báo with the summary, then the Phụ lục."""
    rules = header.rules_of(data)
    values = compose.token_values(data)
    intro = body.Lines(values, data["nam"])
    intro.opening(data)
    tree = score_tree.table(data)
    scored = [score_tree.unit_points(tree, unit) for unit in data["don_vi"]]  # once, for the summary and the Phụ lục
    rows, basis = score_table.summary_rows(data, tree, scored)
    appendices = _appendices(data, rules, tree, scored)
    closing = body.Lines(values, data["nam"])
    if basis:
        closing.add("doan", f"Xếp hạng theo tổng điểm {STAGE_WORDS[basis]}; các đơn vị bằng điểm nhau cùng hạng.")
    closing.add("doan", _pointer(data, appendices))
    for text in data["ket_luan"]:
        closing.paragraphs(text)
    heading = f"KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {data['nam']}" if rows else ""
    return LAYOUT.context(data, intro, end_mark=False, body_cuoi=closing.result(body.end_mark(rules)),
                          bd={"tong_hop": rows, "tieu_de": heading, "phu_luc": appendices,
                              "ngang": data["huong_phu_luc"] == "ngang", "trang": phu_luc.page(data["huong_phu_luc"])})


def write_body(doc: Any) -> None:
    """Write the opening, the summary table under its title, and the closing paragraphs."""
    body.build(doc)
    base.tag(doc, "{%p if bd.tong_hop %}")
    doc.add_paragraph("{{ bd.tieu_de }}", style=base.STYLE_NAMES["VBGiua"])
    score_table.build_summary(doc)
    base.tag(doc, "{%p endif %}")
    body.build(doc, "body_cuoi")


def write_tables(doc: Any) -> None:
    """Write a unit's table in the orientation chosen (both are in the template)."""
    base.tag(doc, "{%p if bd.ngang %}")
    score_table.build_unit(doc, "ngang")
    base.tag(doc, "{%p else %}")
    score_table.build_unit(doc, "doc")
    base.tag(doc, "{%p endif %}")


@dataclass(frozen=True)
class WithAppendices(compose.Standard):
    """The standard document followed by its Phụ lục, each in a section of its own."""

    def build(self, rules: Rules) -> Any:
        """Return the template: the standard document, then the loop over the appendices."""
        doc = super().build(rules)
        phu_luc.build(doc, rules, write_tables)
        return doc


LAYOUT = WithAppendices(TEN_LOAI, trich_yeu="Kết quả chấm điểm thi đua năm {nam}", body=write_body,
                        extra=("body_cuoi", *phu_luc.COMPUTED))


KIND = LAYOUT.kind(
    id="bang_diem",
    title="Bảng chấm điểm thi đua",
    description="Tiêu chí chấm điểm của khối (tiêu chuẩn, mục, phần; điểm thưởng, điểm trừ có mức tối đa; xếp loại "
                "A, B, C, D) và điểm từng đơn vị qua tự chấm, khối thẩm định, Hội đồng: tổng điểm, xếp hạng tính tự "
                "động; Thông báo kết quả kèm bảng chấm điểm từng đơn vị làm phụ lục.",
    fields=LAYOUT.fields(*_fields()),
    context=context,
    checks=(score_check.check, check_appendices),
    warnings=score_check.warnings,
    file_title=lambda data: f"Bảng chấm điểm thi đua năm {data['nam']} – {data['co_quan']['ten']}",
    examples={"bang_diem.json": "Khối thi đua số 1, Thành ủy Đà Lạt, năm 2021",
              "bang_diem_2026_khoi_dang.json": "Khối thi đua các cơ quan Đảng tỉnh Lâm Đồng, năm 2026",
              "bang_diem_cum_phuong.json": "Cụm thi đua các phường số 2, năm 2026"},
    order=6,
)
