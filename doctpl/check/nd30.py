"""Kiểm tra thể thức: check any .docx against the NĐ 30/2020 Phụ lục I rules of doctpl/check/rules.csv.

The rules (id, element, severity, reference, wording and parameters) live in the data table; this
module finds each element in the document (Quốc hiệu, Tiêu ngữ, issuing body, Số, date line, title,
body, signature, Nơi nhận, page numbers) and applies the rule's parameters to it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from doctpl import facts, limits
from doctpl.check.reader import Para, Reader
from doctpl.metrics import text_width
from doctpl.vn.dates import short_date
from doctpl.vn.numbering import roman
from doctpl.vn.text import nfc

RULES_FILE = Path(__file__).with_name("rules.csv")
TWIPS_PER_MM = 1440 / 25.4
QUOC_HIEU = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"}
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
_TIEU_NGU_LIKE = re.compile(r"^độc lập\s*[-–—]\s*tự do\s*[-–—]\s*hạnh phúc$", re.I)
_SO = re.compile(r"^Số\b")
_SO_FORMAT = re.compile(r"^Số: (?P<so>\d+|\s+)/(?P<loai>[A-Za-zĐđƯư]+)-(?P<co_quan>[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")
_DATE = re.compile(r"^(?P<place>[^,]+), ngày (?P<d>\d{1,2}|\s+) tháng (?P<m>\d{1,2}|\s+) năm (?P<y>\d{4})$")
_DATE_START, _NAM = re.compile(r",\s*ngày\b"), re.compile(r"\bnăm\b")
_AUTHORITY = re.compile(r"^(?P<prefix>T/M|K/T|T/L|TUQ|TM|KT|TL|Q)(?P<mark>[./]?)\s+\S")
_ROMAN = re.compile(r"^(?P<number>[IVXLC]+)\.\s+\S")
_CAN_CU = re.compile(r"^-?\s*(Căn cứ|Thực hiện)\b")
_LUU = re.compile(r"^- Lưu: VT(, .+)?\.$")


@dataclass(frozen=True)
class Rule:
    """One row of the rule table."""

    id: str
    element: str
    severity: str
    reference: str
    rule: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One breach: which rule, where, what was expected and what was found."""

    rule: str
    severity: str
    reference: str
    element: str
    expected: str
    found: str
    paragraph: int | None = None
    excerpt: str = ""


@cache
def rules() -> dict[str, Rule]:
    """Return the rule table keyed by rule id."""
    with open(RULES_FILE, encoding="utf-8", newline="") as handle:
        return {row["id"]: Rule(row["id"], row["element"], row["severity"], row["reference"], row["rule"],
                                json.loads(row["params"] or "{}")) for row in csv.DictReader(handle)}


def _date_like(text: str) -> bool:
    """Tell whether «, ngày» is followed by «năm» on its line, in one pass (a regex ",ngày.*năm" is quadratic)."""
    searched = -1  # the end of the last line searched in vain: a later «, ngày» on it finds nothing more
    for start in _DATE_START.finditer(text):
        end = text.find("\n", start.end())
        end = len(text) if end < 0 else end
        if end != searched:
            if _NAM.search(text, start.end(), end):
                return True
            searched = end
    return False


def _excerpt(para: Para | None) -> str:
    if para is None:
        return ""
    text = para.text.strip()
    return text if len(text) <= 80 else text[:77] + "…"


def _sizes(para: Para) -> set[float | None]:
    return {run.size for run in para.runs if run.text.strip()}


def _all(para: Para, attribute: str) -> bool:
    runs = [run for run in para.runs if run.text.strip()]
    return bool(runs) and all(getattr(run, attribute) for run in runs)


def _any(para: Para, attribute: str) -> bool:
    return any(getattr(run, attribute) for run in para.runs if run.text.strip())


class Check:
    """One run of the checker over one document."""

    def __init__(self, reader: Reader):
        self.reader = reader
        self.theme = reader.theme_fonts()
        self.paragraphs = reader.paragraphs()
        self.findings: list[Finding] = []
        self.issued: tuple[dt.date, bool] | None = None  # the document's date, and whether the day is written

    # -- reporting ---------------------------------------------------------------------------------

    def report(self, rule_id: str, found: str, para: Para | None = None, expected: str | None = None) -> None:
        """Record a breach of `rule_id`."""
        rule = rules()[rule_id]
        self.findings.append(Finding(rule.id, rule.severity, rule.reference, rule.element, expected or rule.rule,
                                     found, para.index if para else None, _excerpt(para)))

    def style(self, rule_id: str, para: Para, *, bold: bool | None = None, italic: bool | None = None,
              caps: bool | None = None, align: str | None = None) -> None:
        """Check the size, emphasis, case and alignment a rule asks of one paragraph."""
        sizes = rules()[rule_id].params.get("sizes")
        problems = []
        if sizes and not _sizes(para) <= set(sizes):
            problems.append(f"cỡ chữ {', '.join(str(s) for s in sorted(_sizes(para), key=str))}")
        if bold is not None and (_all(para, "bold") if bold else not _any(para, "bold")) is False:
            problems.append("không đậm" if bold else "in đậm")
        if italic is not None and (_all(para, "italic") if italic else not _any(para, "italic")) is False:
            problems.append("không nghiêng" if italic else "in nghiêng")
        if caps is not None and (para.text == para.text.upper()) != caps:
            problems.append("không in hoa" if caps else "in hoa toàn bộ")
        if align and para.align != align:
            problems.append(f"căn lề «{para.align or 'trái'}»")
        if problems:
            self.report(rule_id, "; ".join(problems), para)

    def rule_line(self, rule_id: str, text: Para, candidates: list[Para], found_none: str) -> None:
        """Check the rule under `text`: present, and (when it is a paragraph border) of the ratio's length.

        A drawn line is accepted as present without measuring; a border is measured between its indents.
        """
        border = next((p for p in candidates if p.bottom_border), None)
        if border is None:
            if not any(p.has_drawing for p in candidates):
                self.report(rule_id, found_none, text)
            return
        sizes = _sizes(text)
        size = max((s for s in sizes if s), default=14)
        widest = max(text_width(line.strip(), size, bold=_all(text, "bold")) for line in text.text.split("\n"))
        written = min(widest, text.box or 10**6)
        if not written:
            return
        ratio = border.border_length / written
        params = rules()[rule_id].params
        if not params["min_ratio"] <= ratio <= params["max_ratio"]:
            self.report(rule_id, f"đường kẻ dài {ratio:.0%} dòng chữ", text)

    # -- finding elements --------------------------------------------------------------------------

    def first(self, predicate: Callable[[Para], bool], start: int = 0) -> Para | None:
        """Return the first paragraph from index `start` that satisfies `predicate`."""
        return next((p for p in self.paragraphs[start:] if predicate(p)), None)

    def cell(self, para: Para) -> list[Para]:
        """Return the paragraphs of the same table cell (or of the body)."""
        return [p for p in self.paragraphs if p.where == para.where]

    def column(self, para: Para) -> list[Para]:
        """Return the paragraphs of the same table column, every row, in order."""
        if not para.where.startswith("table"):
            return []
        table, cell = para.where.split(" row ")[0], para.where.rsplit(" cell ", 1)[1]
        return [p for p in self.paragraphs if p.where.startswith(table + " ") and p.where.endswith(f" cell {cell}")]

    # -- the rules ---------------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        """Apply every rule and return the findings, in document order within each rule."""
        self.page()
        self.fonts()
        header_end = self.header()
        body_end = self.closing()
        self.body(header_end, body_end)
        self.legal_bases(header_end, body_end)
        self.page_numbers()
        return self.findings

    def page(self) -> None:
        """Paper, orientation, margins."""
        section = self.reader.section()
        a4 = rules()["PAGE_A4"].params
        width, height = sorted((section["width"] / TWIPS_PER_MM, section["height"] / TWIPS_PER_MM))
        if abs(width - a4["width_mm"]) > a4["tolerance_mm"] or abs(height - a4["height_mm"]) > a4["tolerance_mm"]:
            self.report("PAGE_A4", f"{width:.0f} × {height:.0f} mm")
        if section["orient"] == "landscape" or section["width"] > section["height"]:
            self.report("PAGE_PORTRAIT", "khổ ngang")
        for side in ("top", "bottom", "left", "right"):
            rule = rules()[f"MARGIN_{side.upper()}"]
            value = section[side] / TWIPS_PER_MM
            if not rule.params["min_mm"] - 0.2 <= value <= rule.params["max_mm"] + 0.2:
                self.report(rule.id, f"{value:.1f} mm")

    def _resolve(self, font: str | None) -> str:
        if font and font.startswith("theme:"):
            return self.theme.get(font[6:], "") or f"{font} (chủ đề không có phông)"
        return font or "(không đặt, phụ thuộc máy)"

    def fonts(self) -> None:
        """Times New Roman in every slot of every text run and of the styles in use."""
        family = rules()["FONT_RUN"].params["family"]
        for para in self.paragraphs + [p for ps in self.reader.header_paragraphs().values() for p in ps]:
            for run in para.runs:
                if not run.text.strip():
                    continue
                wrong = {slot: self._resolve(font) for slot, font in run.fonts.items()
                         if self._resolve(font) != family}
                if wrong:
                    self.report("FONT_RUN", ", ".join(f"{slot}: {name}" for slot, name in wrong.items()), para)
                    break
        used = {p.style for p in self.paragraphs} | {None}
        for style_id, fonts in self.reader.style_fonts().items():
            if style_id != "(defaults)" and style_id not in used:
                continue
            wrong = {slot: self._resolve(font) for slot, font in fonts.items() if self._resolve(font) != family}
            if wrong:
                self.report("FONT_STYLE", f"kiểu «{style_id}»: " + ", ".join(f"{s}: {n}" for s, n in wrong.items()))

    def header(self) -> int:
        """Quốc hiệu, Tiêu ngữ, issuing body, Số, date line, type name and trích yếu; return where the body starts."""
        qh = self.first(lambda p: nfc(p.text.strip()).upper() in QUOC_HIEU)
        if qh is None:
            self.report("QUOC_HIEU", "không tìm thấy Quốc hiệu")
        else:
            self.style("QUOC_HIEU", qh, bold=True, caps=True)
        tn = self.first(lambda p: bool(_TIEU_NGU_LIKE.match(nfc(p.text.strip()))))
        if tn is None:
            self.report("TIEU_NGU", "không tìm thấy Tiêu ngữ")
        else:
            if nfc(tn.text.strip()) != TIEU_NGU:
                self.report("TIEU_NGU", f"viết «{tn.text.strip()}»", tn)
            self.style("TIEU_NGU", tn, bold=True, italic=False)
            following = self.cell(tn)[self.cell(tn).index(tn):]
            self.rule_line("TIEU_NGU_RULE", tn, following[:3], "không có đường kẻ dưới Tiêu ngữ")
        so = self.first(lambda p: bool(_SO.match(p.text.strip())))
        self.so_line(so, {p.index for p in (qh, tn) if p is not None})
        date = self.first(lambda p: _date_like(p.text))
        self.date_line(date)
        if qh and tn and date and (_sizes(qh), _sizes(tn) | _sizes(date)) not in (({13}, {14}), ({12}, {13})):
            self.report("SIZE_PAIR", f"Quốc hiệu {sorted(_sizes(qh), key=str)}, Tiêu ngữ và ngày tháng "
                                     f"{sorted(_sizes(tn) | _sizes(date), key=str)}", qh)
        start = max((p.index for p in (qh, tn, so, date) if p is not None), default=-1) + 1
        title = self.first(lambda p: p.where == "body" and bool(p.text.strip()), start)
        if title is None:
            self.report("TEN_LOAI", "không tìm thấy tên loại văn bản")
            return start
        self.style("TEN_LOAI", title, bold=True, caps=True, align="center")
        summary = self.first(lambda p: bool(p.text.strip()), title.index + 1)
        if summary is not None and summary.align == "center" and not summary.text.startswith("Kính gửi"):
            self.style("TRICH_YEU", summary, bold=True, align="center")
            after = self.paragraphs[summary.index:summary.index + 3]
            self.rule_line("TRICH_YEU_RULE", summary, after, "không có đường kẻ dưới trích yếu")
            return summary.index + 1
        return title.index + 1

    def so_line(self, so: Para | None, national: set[int]) -> None:
        """Issuing body and its rule above; the Số line itself. `national` are the Quốc hiệu lines."""
        if so is None:
            self.report("SO_KY_HIEU", "không tìm thấy dòng «Số:»")
            return
        above = [p for p in (self.column(so) or self.paragraphs[:so.index])
                 if p.index < so.index and p.text.strip() and p.index not in national]
        if above:
            body = above[-1]
            self.style("CO_QUAN", body, bold=True, caps=True)
            for parent in above[:-1][-1:]:
                self.style("CO_QUAN", parent, bold=False, caps=True)
            same_cell = [p for p in self.cell(body) if body.index <= p.index < so.index]
            self.rule_line("CO_QUAN_RULE", body, same_cell, "không có đường kẻ dưới tên cơ quan ban hành")
        else:
            self.report("CO_QUAN", "không tìm thấy tên cơ quan ban hành", so)
        self.style("SO_KY_HIEU", so, italic=False)
        match = _SO_FORMAT.match(so.text.strip())
        if match is None:
            self.report("SO_KY_HIEU", f"viết «{so.text.strip()}»", so)
            return
        number = match.group("so")
        if number.strip() and int(number) < 10 and len(number) < 2:
            self.report("SO_KY_HIEU", f"số «{number}» thiếu số 0 đứng trước", so)
        if match.group("loai") not in facts.abbreviations():
            self.report("SO_KY_HIEU", f"chữ viết tắt tên loại «{match.group('loai')}» không có trong Phụ lục III", so)

    def date_line(self, date: Para | None) -> None:
        """Place and date: format, leading zeros, italic, size."""
        if date is None:
            self.report("NGAY_THANG", "không tìm thấy dòng địa danh, ngày tháng")
            return
        self.style("NGAY_THANG", date, italic=True)
        match = _DATE.match(date.text.strip())
        if match is None:
            self.report("NGAY_THANG", f"viết «{date.text.strip()}»", date)
            return
        day, month = match.group("d"), match.group("m")
        if day.strip() and int(day) < 10 and len(day) < 2:
            self.report("NGAY_THANG", f"ngày «{day}» thiếu số 0 đứng trước", date)
        if month.strip():
            if int(month) <= 2 and len(month) < 2:
                self.report("NGAY_THANG", f"tháng «{month}» thiếu số 0 (tháng 1, 2 ghi 01, 02)", date)
            if int(month) >= 3 and month.startswith("0"):
                self.report("NGAY_THANG", f"tháng «{month}» không ghi số 0 (chỉ tháng 1, 2)", date)
            if day.strip():
                try:
                    self.issued = dt.date(int(match.group("y")), int(month), int(day)), True
                except ValueError:
                    self.report("NGAY_THANG", "ngày tháng không có thật", date)
        if self.issued is None and 1 <= int(match.group("y")) <= 9999:
            self.issued = dt.date(int(match.group("y")), 1, 1), False

    def closing(self) -> int:
        """Nơi nhận and the signature block; return the index where the closing starts."""
        label = self.first(lambda p: p.text.strip().startswith("Nơi nhận"))
        if label is None:
            self.report("NOI_NHAN_LABEL", "không tìm thấy «Nơi nhận:»")
        else:
            if label.text.strip() != "Nơi nhận:":
                self.report("NOI_NHAN_LABEL", f"viết «{label.text.strip()}»", label)
            size = rules()["NOI_NHAN_LABEL"].params["size"]
            if _sizes(label) != {size} or not (_all(label, "bold") and _all(label, "italic")):
                self.report("NOI_NHAN_LABEL", f"cỡ {sorted(_sizes(label), key=str)}, "
                                              f"đậm: {_all(label, 'bold')}, nghiêng: {_all(label, 'italic')}", label)
            self.recipients([p for p in self.cell(label) if p.index > label.index and p.text.strip()])
        self.signatures(label)
        starts = [p.index for p in self.paragraphs if p.text.strip().startswith(("Nơi nhận", "ĐẠI DIỆN CÁC ĐƠN VỊ"))]
        return min(starts, default=len(self.paragraphs))

    def recipients(self, entries: list[Para]) -> None:
        """Each entry "- …;", size 11; the last "- Lưu: VT, …."."""
        if not entries:
            self.report("NOI_NHAN_ENTRY", "không có nơi nhận nào")
            return
        size = rules()["NOI_NHAN_ENTRY"].params["size"]
        for entry in entries:
            if _sizes(entry) != {size} or _any(entry, "bold") or _any(entry, "italic"):
                self.report("NOI_NHAN_ENTRY", f"cỡ {sorted(_sizes(entry), key=str)}", entry)
        for entry in entries[:-1]:
            text = entry.text.strip()
            if not text.startswith("- ") or not text.endswith(";"):
                self.report("NOI_NHAN_ENTRY", f"viết «{text}»", entry)
        if not _LUU.match(entries[-1].text.strip()):
            self.report("NOI_NHAN_LUU", f"dòng cuối «{entries[-1].text.strip()}»", entries[-1])

    def signatures(self, label: Para | None) -> None:
        """Authority prefixes everywhere they appear; the single signer's block beside Nơi nhận."""
        for para in self.paragraphs:
            text = para.text.strip()
            match = _AUTHORITY.match(text)
            if match is None or not _all(para, "bold") or text != text.upper():
                continue
            if match.group("prefix") in ("T/M", "K/T", "T/L") or match.group("mark") != ".":
                self.report("KY_THAM_QUYEN", f"viết «{text}» (cần TM., KT., TL., TUQ., Q.)", para)
            self.style("KY_THAM_QUYEN", para, bold=True, caps=True)
        if label is None or not label.where.startswith("table"):
            return
        block = [p for p in self.paragraphs if p.where == label.where.replace("cell 0", "cell 1") and p.text.strip()]
        if block:
            for line in block[:-1]:
                self.style("KY_THAM_QUYEN", line, bold=True, caps=True)
            self.style("KY_HO_TEN", block[-1], bold=True, caps=False)

    def body(self, start: int, end: int) -> None:
        """Alignment, indent, spacing, line spacing and size of the body; Roman section numbering."""
        params = {key: rules()[key].params for key in ("BODY_INDENT", "BODY_SPACING", "BODY_LINE")}
        indents = [cm * 567 for cm in params["BODY_INDENT"]["indents_cm"]]
        tolerance = params["BODY_INDENT"]["tolerance_cm"] * 567
        romans = []
        for para in self.paragraphs[start:end]:
            text = para.text.strip()
            if para.where != "body" or not text or para.align == "center" or text.startswith("Kính gửi"):
                continue
            if para.align != "both":
                self.report("BODY_ALIGN", f"căn lề «{para.align or 'trái'}»", para)
            if not any(abs(para.first_line - value) <= tolerance for value in indents):
                self.report("BODY_INDENT", f"lùi đầu dòng {para.first_line / 567:.2f} cm", para)
            if max(para.before, para.after) < params["BODY_SPACING"]["min_pt"] * 20:
                self.report("BODY_SPACING", f"cách đoạn {max(para.before, para.after) / 20:g} pt", para)
            lines = (para.line or 240) / 240 if para.line_rule in (None, "auto") else None
            if lines is not None and not params["BODY_LINE"]["min_lines"] <= lines <= params["BODY_LINE"]["max_lines"]:
                self.report("BODY_LINE", f"giãn dòng {lines:g} dòng", para)
            if not _sizes(para) <= set(rules()["BODY_SIZE"].params["sizes"]):
                self.report("BODY_SIZE", f"cỡ {sorted(_sizes(para), key=str)}", para)
            match = _ROMAN.match(text)
            if match:
                romans.append((para, match.group("number")))
        for expected, (para, number) in enumerate(romans, 1):
            if number != roman(expected):
                self.report("HEADING", f"mục «{number}.» đứng ở vị trí thứ {expected}", para)
            head = para.text.split(".", 1)[1]
            if head != head.upper() or not _all(para, "bold"):
                self.report("HEADING", "tên mục không in hoa hoặc không đậm", para)

    def legal_bases(self, start: int, end: int) -> None:
        """Each căn cứ cites only catalogued legal documents in force on the document's date."""
        if self.issued is None:
            return
        on, dated = self.issued
        when = f"ngày {short_date(on)}" if dated else f"năm {on.year}"
        for para in self.paragraphs[start:end]:
            if not _CAN_CU.match(para.text.strip()):
                continue
            for basis in facts.legal_bases_cited(para.text):
                if state := basis.state_on(on):
                    self.report("CAN_CU_HIEU_LUC", f"dẫn văn bản số {basis.so_hieu}, {state} (văn bản đề {when})", para)

    def page_numbers(self) -> None:
        """A page number centred in the header, upright, 13–14, absent on page 1."""
        section = self.reader.section()
        headers = self.reader.header_paragraphs()

        def part(kind: str) -> list[Para]:
            ref = section["header_refs"].get(kind)
            return headers.get(self.reader.header_part(ref), []) if ref else []

        numbered = [p for p in part("default") if p.has_page_field]
        if not numbered:
            self.report("PAGE_NUMBER", "không có số trang ở đầu trang")
        else:
            para = numbered[0]
            sizes = set(rules()["PAGE_NUMBER"].params["sizes"])
            if para.align != "center" or not _sizes(para) <= sizes or _any(para, "italic"):
                self.report("PAGE_NUMBER", f"căn «{para.align}», cỡ {sorted(_sizes(para), key=str)}")
        first_numbered = any(p.has_page_field for p in part("first")) if section["title_page"] else bool(numbered)
        if first_numbered:
            self.report("PAGE_NUMBER_FIRST", "trang đầu có số trang")


def check(content: bytes, name: str = "văn bản") -> list[Finding]:
    """Return every finding for a .docx (an empty list for a compliant document); `name` is for the messages.

    A file over the limits or unreadable raises TooLarge or UnreadableDocx before the rules run; the memory
    of a large document is given back to the system afterwards.
    """
    try:
        return Check(Reader(content, name)).run()
    finally:
        limits.release_memory()


def as_json(findings: list[Finding]) -> list[dict[str, Any]]:
    """Return findings as JSON objects."""
    return [asdict(finding) for finding in findings]


def grouped(findings: list[Finding]) -> Iterator[tuple[str, list[Finding]]]:
    """Yield (element, findings) in the order elements first appear."""
    order: dict[str, list[Finding]] = {}
    for finding in findings:
        order.setdefault(finding.element, []).append(finding)
    yield from order.items()
