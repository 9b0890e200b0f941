"""The NĐ 30 profile: a state document checked against Nghị định 30/2020/NĐ-CP, Phụ lục I (rules.csv).

The rules (id, element, severity, reference, wording and parameters) live in the data table; this
module finds each element in the document (Quốc hiệu, Tiêu ngữ, issuing body, Số, date line, title,
body, signature, Nơi nhận) and applies the rule's parameters to it; doctpl.check.common holds what
the Party profile shares (page, fonts, date line, căn cứ, page numbers).
"""

from __future__ import annotations

import re
from typing import Any

from doctpl import facts
from doctpl.check import findings
from doctpl.check.common import ALIGN_WORDS, RECIPIENT_LABELS, Check, every, size_words, sizes_of, some
from doctpl.check.findings import Rule
from doctpl.check.reader import Para
from doctpl.check.texts import DANG_TITLE, QUOC_HIEU, find_line, tieu_ngu_like
from doctpl.vn.numbering import roman
from doctpl.vn.text import nfc

TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
_SO = re.compile(r"^Số\b")
_SO_FORMAT = re.compile(r"^Số: (?P<so>\d+|\s+)/(?P<loai>[A-Za-zĐđƯư]+)-(?P<co_quan>[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")
_AUTHORITY = re.compile(r"^(?P<prefix>T/M|K/T|T/L|TUQ|TM|KT|TL|Q)(?P<mark>[./]?)\s+\S")
_ROMAN = re.compile(r"^(?P<number>[IVXLC]+)\.\s+\S")
_LUU = re.compile(r"^- Lưu: VT(, .+)?\.$")


def rules() -> dict[str, Rule]:
    """Return the NĐ 30 rule table keyed by rule id."""
    return findings.rules("nd30")


class Nd30(Check):
    """One run of the NĐ 30 rules over one document."""

    def header(self) -> int:
        """Quốc hiệu, Tiêu ngữ, issuing body, Số, date line, type name and trích yếu; return where the body starts."""
        qh = find_line(self.paragraphs, QUOC_HIEU)
        for para in qh:
            self.style("QUOC_HIEU", para, bold=True, caps=True)
        if not qh:
            self.report("QUOC_HIEU", "không tìm thấy Quốc hiệu")
        party = find_line(self.paragraphs, DANG_TITLE)
        if party:
            self.report("TIEU_DE_DANG", "có tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM»", party[0])
        tn = self.first(lambda p: tieu_ngu_like(p.text))
        if tn is None:
            self.report("TIEU_NGU", "không tìm thấy Tiêu ngữ")
        else:
            if nfc(tn.text.strip()) != TIEU_NGU:
                self.report("TIEU_NGU", f"viết «{tn.text.strip()}»", tn)
            self.style("TIEU_NGU", tn, bold=True, italic=False)
            following = self.cell(tn)[self.cell(tn).index(tn):]
            self.rule_line("TIEU_NGU_RULE", tn, following[:3], "không có đường kẻ dưới Tiêu ngữ")
        so = self.first(lambda p: bool(_SO.match(p.text.strip())))
        self.so_line(so, {p.index for p in [*qh, *party, tn] if p is not None})
        date = self.find_date()
        self.date_line(date)
        qh_sizes = set().union(*(sizes_of(p) for p in qh)) if qh else set()
        if qh and tn and date and (qh_sizes, sizes_of(tn) | sizes_of(date)) not in (({13}, {14}), ({12}, {13})):
            self.report("SIZE_PAIR", f"Quốc hiệu {size_words(qh_sizes)}, Tiêu ngữ và ngày tháng "
                                     f"{size_words(sizes_of(tn) | sizes_of(date))}", qh[0])
        start = max((p.index for p in (*qh, *party, tn, so, date) if p is not None), default=-1) + 1
        title = self.first(lambda p: p.where == "body" and bool(p.text.strip()), start)
        if title is None:
            self.report("TEN_LOAI", "không tìm thấy tên loại văn bản")
            return start
        self.style("TEN_LOAI", title, bold=True, caps=True, align="center")
        summary = self.first(lambda p: bool(p.text.strip()), title.index + 1)
        if summary is not None and summary.align == "center" and not summary.text.startswith(RECIPIENT_LABELS):
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
        above = self.above(so, national)
        star = above.pop() if above and above[-1].text.strip() == "*" else None  # a Party document's «*»
        if above:
            body = above[-1]
            self.style("CO_QUAN", body, bold=True, caps=True)
            for parent in above[:-1][-1:]:
                self.style("CO_QUAN", parent, bold=False, caps=True)
            if star is not None:
                self.report("CO_QUAN_RULE", "có dấu «*» của văn bản Đảng thay cho đường kẻ dưới tên cơ quan ban hành",
                            star)
            else:
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

    def closing(self) -> int:
        """Nơi nhận and the signature block; return the index where the closing starts."""
        label = self.noi_nhan_label()
        if label is not None:
            if label.text.strip() != "Nơi nhận:":
                self.report("NOI_NHAN_LABEL", f"viết «{label.text.strip()}»", label)
            size = self.rule("NOI_NHAN_LABEL").params["size"]
            problems = [size_words(sizes_of(label))] if sizes_of(label) != {size} else []
            problems += [word for attribute, word in (("bold", "không đậm"), ("italic", "không nghiêng"))
                         if not every(label, attribute)]
            if problems:
                self.report("NOI_NHAN_LABEL", ", ".join(problems), label)
            self.recipients([p for p in self.cell(label) if p.index > label.index and p.text.strip()])
        self.signatures(label)
        start = self.closing_start()
        self.signer_names(start, label.where if label else "")
        return start

    def recipients(self, entries: list[Para]) -> None:
        """Each entry "- …;", size 11; the last "- Lưu: VT, …."."""
        if not entries:
            self.report("NOI_NHAN_ENTRY", "không có nơi nhận nào")
            return
        size = self.rule("NOI_NHAN_ENTRY").params["size"]
        for entry in entries:
            if sizes_of(entry) != {size}:
                self.report("NOI_NHAN_ENTRY", size_words(sizes_of(entry)), entry)
            if some(entry, "bold") or some(entry, "italic"):
                self.report("NOI_NHAN_ENTRY", "in đậm hoặc nghiêng", entry)
        for entry in entries[:-1]:
            text = entry.text.strip()
            if not text.startswith("- "):
                self.report("NOI_NHAN_ENTRY", "không bắt đầu bằng «- »", entry)
            if not text.endswith(";"):
                self.report("NOI_NHAN_ENTRY", f"kết thúc bằng «{text[-1:]}» thay vì «;»", entry)
        if not _LUU.match(entries[-1].text.strip()):
            self.report("NOI_NHAN_LUU", f"dòng cuối «{entries[-1].text.strip()}»", entries[-1])

    def signatures(self, label: Para | None) -> None:
        """Authority prefixes everywhere they appear; the single signer's block beside Nơi nhận."""
        for para in self.paragraphs:
            text = para.text.strip()
            match = _AUTHORITY.match(text)
            if match is None or not every(para, "bold") or text != text.upper():
                continue
            if match.group("prefix") in ("T/M", "K/T", "T/L") or match.group("mark") != ".":
                written = match.group("prefix") + match.group("mark")
                self.report("KY_THAM_QUYEN", f"viết «{written}» (cần TM., KT., TL., TUQ., Q.)", para)
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
        params: dict[str, Any] = {key: self.rule(key).params for key in ("BODY_INDENT", "BODY_SPACING", "BODY_LINE")}
        indents = [cm * 567 for cm in params["BODY_INDENT"]["indents_cm"]]
        tolerance = params["BODY_INDENT"]["tolerance_cm"] * 567
        romans = []
        for para in self.body_paragraphs(start, end):
            if para.align != "both":
                self.report("BODY_ALIGN", ALIGN_WORDS.get(para.align, para.align or ""), para)
            if not any(abs(para.first_line - value) <= tolerance for value in indents):
                self.report("BODY_INDENT", f"lùi đầu dòng {para.first_line / 567:.2f} cm".replace(".", ","), para)
            if max(para.before, para.after) < params["BODY_SPACING"]["min_pt"] * 20:
                self.report("BODY_SPACING", f"cách đoạn {max(para.before, para.after) / 20:g} pt", para)
            lines = (para.line or 240) / 240 if para.line_rule in (None, "auto") else None
            if lines is not None and not params["BODY_LINE"]["min_lines"] <= lines <= params["BODY_LINE"]["max_lines"]:
                self.report("BODY_LINE", f"giãn dòng {lines:g} dòng".replace(".", ","), para)
            if not sizes_of(para) <= set(self.rule("BODY_SIZE").params["sizes"]):
                self.report("BODY_SIZE", size_words(sizes_of(para)), para)
            match = _ROMAN.match(para.text.strip())
            if match:
                romans.append((para, match.group("number")))
        for para, number, expected in self.sections(romans):
            if number != roman(expected):
                self.report("HEADING", f"mục «{number}.» đứng ở vị trí thứ {expected}", para)
            head = para.text.split(".", 1)[1]
            if head != head.upper() or not every(para, "bold"):
                self.report("HEADING", "tên mục không in hoa hoặc không đậm", para)


