"""What every profile of the checker shares: reporting, the style of a paragraph, rules under a line, the page,
the fonts, the date line, the căn cứ, the page numbers and the signer's name.

A profile (nd30.Nd30, dang.Dang) reads its version's rule table; a rule both tables have keeps its id
(PAGE_A4, SO_KY_HIEU, NOI_NHAN_ENTRY…) with each profile's wording, reference and parameters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from doctpl import facts
from doctpl.check import pages
from doctpl.check.findings import Finding, Rule, rules
from doctpl.check.reader import NS, Para, Reader, W
from doctpl.check.texts import DATE, date_like, title_before
from doctpl.metrics import text_width
from doctpl.the_thuc import Rules
from doctpl.vn.dates import short_date

TWIPS_PER_MM = 1440 / 25.4
ALIGN_WORDS = {None: "căn trái", "left": "căn trái", "start": "căn trái", "right": "căn phải", "end": "căn phải",
               "center": "căn giữa", "both": "căn đều hai lề", "distribute": "căn dàn đều"}


def excerpt(para: Para | None) -> str:
    """Return the start of a paragraph's text, to show where a problem is."""
    if para is None:
        return ""
    text = " ".join(para.text.split())
    return text if len(text) <= 80 else text[:77] + "…"


def sizes_of(para: Para) -> set[float | None]:
    """Return the font sizes of the runs that carry text."""
    return {run.size for run in para.runs if run.text.strip()}


def size_words(sizes: set[float | None]) -> str:
    """Return sizes in words: «cỡ chữ 12», «cỡ chữ 12 và 14», «cỡ chữ không đặt»."""
    named = sorted(f"{size:g}" for size in sizes if size is not None)
    if None in sizes:
        named.append("không đặt (theo máy)")
    return "cỡ chữ " + " và ".join(named or ["không đặt (theo máy)"])


def every(para: Para, attribute: str) -> bool:
    """Tell whether every run with text has `attribute` (bold, italic, underline)."""
    runs = [run for run in para.runs if run.text.strip()]
    return bool(runs) and all(getattr(run, attribute) for run in runs)


def some(para: Para, attribute: str) -> bool:
    """Tell whether a run with text has `attribute`."""
    return any(getattr(run, attribute) for run in para.runs if run.text.strip())


def mm(twips: float) -> str:
    """Return a length in millimetres with a decimal comma: «20,0 mm»."""
    return f"{twips / TWIPS_PER_MM:.1f} mm".replace(".", ",")


_PHAN = re.compile(r"^phần\s+(thứ\s+\w+|[ivxlc]+)\b", re.IGNORECASE)  # «Phần thứ nhất», «PHẦN II»
RECIPIENT_LABELS = ("Kính gửi", "Kính trình")  # the labels of ô 9a (NĐ 30) and 9b (HD 05)

class Check:
    """One run of one profile's rules over one document."""

    def __init__(self, reader: Reader, paragraphs: list[Para], version: Rules):
        self.reader, self.paragraphs, self.version = reader, paragraphs, version
        self.table: dict[str, Rule] = rules(version.ma)
        self.theme = reader.theme_fonts()
        self.findings: list[Finding] = []
        self.issued: tuple[dt.date, bool] | None = None  # the document's date, and whether the day is written

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

    def header(self) -> int:
        """Check the profile's header and title block; return where the body starts."""
        raise NotImplementedError

    def closing(self) -> int:
        """Check the profile's Nơi nhận and signatures; return where the closing starts."""
        raise NotImplementedError

    def body(self, start: int, end: int) -> None:
        """Check the profile's body between the header and the closing."""
        raise NotImplementedError

    # -- reporting ---------------------------------------------------------------------------------

    def rule(self, rule_id: str) -> Rule:
        """Return a rule of this profile's version."""
        return self.table[rule_id]

    def report(self, rule_id: str, found: str, para: Para | None = None, expected: str | None = None) -> None:
        """Record a breach of `rule_id`."""
        rule = self.rule(rule_id)
        self.findings.append(Finding(rule.id, rule.severity, rule.reference, rule.element, expected or rule.rule,
                                     found, para.index if para else None, excerpt(para)))

    def style(self, rule_id: str, para: Para, *, bold: bool | None = None, italic: bool | None = None,
              caps: bool | None = None, align: str | None = None, underline: bool | None = None) -> None:
        """Check the size, emphasis, case and alignment a rule asks of one paragraph; report them in one finding."""
        sizes = self.rule(rule_id).params.get("sizes")
        problems = []
        if sizes and not sizes_of(para) <= set(sizes):
            problems.append(size_words(sizes_of(para)))
        for wanted, attribute, missing, extra in ((bold, "bold", "không đậm", "in đậm"),
                                                  (italic, "italic", "không nghiêng", "in nghiêng"),
                                                  (underline, "underline", "không gạch chân", "có gạch chân")):
            if wanted is not None and (every(para, attribute) if wanted else not some(para, attribute)) is False:
                problems.append(missing if wanted else extra)
        if caps is not None and (para.text == para.text.upper()) != caps:
            problems.append("không in hoa" if caps else "in hoa toàn bộ")
        if align and para.align != align:
            problems.append(ALIGN_WORDS.get(para.align, para.align or ""))
        if problems:
            self.report(rule_id, ", ".join(problems), para)

    def rule_line(self, rule_id: str, text: Para, candidates: list[Para], found_none: str, *,
                  measure: bool = True) -> None:
        """Check the rule under `text`: present, and (when it is a paragraph border) of the ratio's length.

        A drawn line is accepted as present without measuring; a border is measured between its indents
        (unless `measure` is False: a line typed over two lines has no one length to match).
        """
        border = next((p for p in candidates if p.bottom_border), None)
        if border is None:
            if not any(p.has_drawing for p in candidates):
                self.report(rule_id, found_none, text)
            return
        if not measure:
            return
        size = max((s for s in sizes_of(text) if s), default=14)
        widest = max(text_width(line.strip(), size, bold=every(text, "bold")) for line in text.text.split("\n"))
        written = min(widest, text.box or 10**6)
        if not written:
            return
        ratio = border.border_length / written
        params = self.rule(rule_id).params
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

    def closing_start(self) -> int:
        """Return the index where the closing starts: Nơi nhận, or the heading of a giao ước's signatures."""
        starts = [p.index for p in self.paragraphs if p.text.strip().startswith(("Nơi nhận", "ĐẠI DIỆN CÁC ĐƠN VỊ"))]
        return min(starts, default=len(self.paragraphs))

    def body_paragraphs(self, start: int, end: int) -> list[Para]:
        """Return the paragraphs of the body proper: outside tables, with text, not centred, not the recipients.

        «Kính gửi:» / «Kính trình:» and the indented «- …» lines that continue it are the recipients' block.
        """
        out, recipients = [], False
        for para in self.paragraphs[start:end]:
            text = para.text.strip()
            if para.where != "body" or not text:
                continue
            if text.startswith(RECIPIENT_LABELS):
                recipients = True
                continue
            recipients = recipients and text.startswith("- ") and para.left > 0
            if not recipients and para.align != "center":
                out.append(para)
        return out

    def sections(self, numbered: list[tuple[Para, str]]) -> list[tuple[Para, str, int]]:
        """Return each numbered section heading with the place it should have: I, II… again after each «Phần»."""
        phan_at = [p.index for p in self.paragraphs if p.align == "center" and _PHAN.match(p.text.strip())]
        out, expected, last_phan = [], 0, -1
        for para, number in numbered:
            opened = max((index for index in phan_at if index < para.index), default=-1)
            expected = 1 if opened != last_phan else expected + 1
            last_phan = opened
            out.append((para, number, expected))
        return out

    def above(self, so: Para, taken: set[int]) -> list[Para]:
        """Return the lines with text above the Số line in its column (the names), less the title lines `taken`."""
        return [p for p in (self.column(so) or self.paragraphs[:so.index])
                if p.index < so.index and p.text.strip() and p.index not in taken]

    def noi_nhan_label(self) -> Para | None:
        """Return the «Nơi nhận» label; report it missing unless the document is a biên bản kept on file."""
        label = self.first(lambda p: p.text.strip().startswith("Nơi nhận"))
        if label is None and not self.minutes():  # NĐ 30 Phụ lục III Mẫu 1.9 has none
            self.report("NOI_NHAN_LABEL", "không tìm thấy «Nơi nhận:»")
        return label

    def minutes(self) -> bool:
        """Tell whether the document is a biên bản, whose Nơi nhận is optional."""
        return any(p.text.strip() == "BIÊN BẢN" and p.align == "center" for p in self.paragraphs[:40])

    # -- shared rules ------------------------------------------------------------------------------

    def page(self) -> None:
        """Paper, orientation, margins (a range, or a fixed value with a tolerance)."""
        section = self.reader.section()
        a4 = self.rule("PAGE_A4").params
        width, height = sorted((section["width"] / TWIPS_PER_MM, section["height"] / TWIPS_PER_MM))
        if abs(width - a4["width_mm"]) > a4["tolerance_mm"] or abs(height - a4["height_mm"]) > a4["tolerance_mm"]:
            found = f"{width:.0f} × {height:.0f} mm" if width else "không đặt khổ giấy (theo máy)"
            self.report("PAGE_A4", f"khổ giấy {found}")
        if section["orient"] == "landscape" or section["width"] > section["height"]:
            self.report("PAGE_PORTRAIT", "khổ ngang")
        for side, word in (("top", "trên"), ("bottom", "dưới"), ("left", "trái"), ("right", "phải")):
            rule = self.rule(f"MARGIN_{side.upper()}")
            params, value = rule.params, section[side] / TWIPS_PER_MM
            if "mm" in params:  # a fixed value (Party guidance)
                low, high = params["mm"] - params["tolerance_mm"], params["mm"] + params["tolerance_mm"]
            else:  # a range (NĐ 30)
                low, high = params["min_mm"] - 0.2, params["max_mm"] + 0.2
            if not low <= value <= high:
                self.report(rule.id, f"lề {word} {mm(section[side])}")

    def _font_name(self, font: str | None) -> str:
        """Return the font Word shows: a name, the theme's font, or none set."""
        if font and font.startswith("theme:"):
            return self.theme.get(font[6:], "") or "phông theo chủ đề (theme) của Word"
        return font or "phông chưa đặt (máy tự chọn)"

    def _wrong_fonts(self, fonts: dict[str, str | None]) -> list[str]:
        """Return the fonts other than Times New Roman in a run's or a style's slots, in words."""
        family = self.rule("FONT_RUN").params["family"]
        names = {self._font_name(font) for font in fonts.values()} - {family}
        return sorted(name if name.startswith("phông") else f"phông {name}" for name in names)

    def _style_name(self, style_id: str) -> str:
        """Return a style as Word lists it («VB Nội dung»), not its id."""
        style = self.reader.styles.by_id.get(style_id)
        name = style.find("w:name", NS) if style is not None else None
        return name.get(f"{{{W}}}val", style_id) if name is not None else style_id

    def fonts(self) -> None:
        """Times New Roman in every slot of every text run and of the styles in use."""
        headers = [p for ps in self.reader.header_paragraphs().values() for p in ps]
        for para in self.paragraphs + headers:
            wrong = next((names for run in para.runs if run.text.strip() and (names := self._wrong_fonts(run.fonts))),
                         None)
            if wrong:
                self.report("FONT_RUN", "dùng " + ", ".join(wrong), para)
        used = {p.style for p in self.paragraphs} | {None}
        by_fonts: dict[tuple[str, ...], list[str]] = {}
        for style_id, fonts in self.reader.style_fonts().items():
            if (style_id == "(defaults)" or style_id in used) and (wrong := self._wrong_fonts(fonts)):
                name = "phông mặc định" if style_id == "(defaults)" else f"kiểu «{self._style_name(style_id)}»"
                by_fonts.setdefault(tuple(wrong), []).append(name)
        for wrong, names in by_fonts.items():
            self.report("FONT_STYLE", f"{', '.join(names)} đặt {', '.join(wrong)}")

    def date_line(self, date: Para | None) -> None:
        """Place and date: format, leading zeros, italic, size; remembers the date for the căn cứ."""
        if date is None:
            self.report("NGAY_THANG", "không tìm thấy dòng địa danh, ngày tháng")
            return
        self.style("NGAY_THANG", date, italic=True)
        match = DATE.match(date.text.strip())
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

    def find_date(self) -> Para | None:
        """Return the date line: the first paragraph with «, ngày … năm»."""
        return self.first(lambda p: date_like(p.text))

    def legal_bases(self, start: int, end: int) -> None:
        """Each căn cứ cites only catalogued legal documents in force on the document's date."""
        if self.issued is None:
            return
        on, dated = self.issued
        when = f"ngày {short_date(on)}" if dated else f"năm {on.year}"
        for para in self.paragraphs[start:end]:
            text = para.text.strip().lstrip("-– ").strip()
            if not text.startswith(("Căn cứ", "Thực hiện")):
                continue
            for basis in facts.legal_bases_cited(para.text):
                if state := basis.state_on(on):
                    self.report("CAN_CU_HIEU_LUC", f"dẫn văn bản số {basis.so_hieu}, {state} (văn bản đề {when})", para)

    def signer_names(self, start: int, skip: str) -> None:
        """No title, degree or rank before the name of a signer: the last line of each table cell of the closing.

        `skip` is the cell of Nơi nhận, whose last line is the archive line.
        """
        last: dict[str, Para] = {}
        for para in self.paragraphs[start:]:
            if para.where.startswith("table") and para.where != skip and para.text.strip():
                last[para.where] = para
        for name in last.values():
            title = title_before(name.text)
            if title:
                self.report("KY_HOC_HAM", f"ghi «{title}» trước họ tên", name)

    def page_numbers(self) -> None:
        """A page number centred in the header, upright, of the rule's size, absent on page 1.

        A one-page document needs no page number: nothing is said of a missing or misplaced one.
        """
        section = self.reader.section()
        headers = self.reader.header_paragraphs()

        def part(kind: str) -> list[Para]:
            ref = section["header_refs"].get(kind)
            return headers.get(self.reader.header_part(ref), []) if ref else []

        numbered = [p for p in part("default") if p.has_page_field]
        first_numbered = any(p.has_page_field for p in part("first")) if section["title_page"] else bool(numbered)
        if first_numbered:
            self.report("PAGE_NUMBER_FIRST", "trang đầu có số trang")
        if pages.page_count(self.reader, self.paragraphs) < 2:
            return
        if not numbered:
            self.report("PAGE_NUMBER", "không có số trang ở đầu trang")
            return
        para = numbered[0]
        sizes = set(self.rule("PAGE_NUMBER").params["sizes"])
        problems = [ALIGN_WORDS.get(para.align, "")] if para.align != "center" else []
        problems += [size_words(sizes_of(para))] if not sizes_of(para) <= sizes else []
        problems += ["in nghiêng"] if some(para, "italic") else []
        if problems:
            self.report("PAGE_NUMBER", "số trang " + ", ".join(problems))
