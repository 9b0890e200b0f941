"""The Party profile: a Party document checked against HD 36-HD/VPTW or HD 05-HD/VPTW (rules_dang.csv).

The version comes from the document's date (doctpl.the_thuc.rules_on). Besides the Party layout, the
profile names each habit of the state format it finds: the Quốc hiệu and Tiêu ngữ, «Số:», «TM.»,
«TUQ.», «./.», «Lưu: VT» (shared/spec/party-format.md §2–§6).
"""

from __future__ import annotations

import datetime as dt
import re

from doctpl import facts
from doctpl.check.common import ALIGN_WORDS, RECIPIENT_LABELS, Check, every, size_words, sizes_of, some
from doctpl.check.reader import Para
from doctpl.check.texts import DANG_TITLE, QUOC_HIEU, find_line, folded, lower_initial, tieu_ngu_like
from doctpl.vn.numbering import roman

_SO = re.compile(r"^Số\b")
_COLON = re.compile(r"^Số\s*:\s*")
_SO_FORMAT = re.compile(r"^Số (?P<so>\d+|\s+)-(?P<loai>[A-Za-zĐđƯư]+)/(?P<co_quan>[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")
_SO_STATE = re.compile(r"^Số (?:\d+|\s+)/[A-Za-zĐđƯư]+-")
_DASHES = re.compile(r"^[-–—_]{2,}$")
_AUTHORITY = re.compile(r"^(?P<prefix>T/M|K/T|T/L|TUQ|TM|KT|TL|Q)(?P<mark>[./]?)\s+\S")
PARTY_PREFIX = {"TM": "T/M", "KT": "K/T", "TL": "T/L"}
_ROMAN = re.compile(r"^(?P<number>[IVXLC]+)\s*[.-]\s*\S")
_LUU = re.compile(r"^- Lưu\b\s*(?P<colon>:)?\s*(?P<unit>.*)$")


class Dang(Check):
    """One run of one version of the Party rules over one document."""

    # -- header ------------------------------------------------------------------------------------

    def header(self) -> int:
        """State lines, the Party title and its rule, names, «*», Số, date, title block; return the body's start."""
        state = self.state_lines()
        title = find_line(self.paragraphs, DANG_TITLE)
        if not title:
            self.report("DANG_TIEU_DE", "không tìm thấy tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM»")
        for para in title:
            self.style("DANG_TIEU_DE", para, bold=True, caps=True, italic=False)
        if title:
            following = self.cell(title[-1])[self.cell(title[-1]).index(title[-1]):][:3]
            self.rule_line("DANG_TIEU_DE_RULE", title[-1], following, "không có đường kẻ dưới tiêu đề",
                           measure=len(title) == 1 and "\n" not in title[0].text.strip())
        date = self.find_date()
        self.date_line(date)
        so = self.first(lambda p: bool(_SO.match(p.text.strip())))
        self.so_line(so, {p.index for p in [*state, *title]})
        start = max((p.index for p in (*state, *title, so, date) if p is not None), default=-1) + 1
        return self.title_block(start)

    def state_lines(self) -> list[Para]:
        """Flag the Quốc hiệu and the Tiêu ngữ, in one finding; return their paragraphs."""
        qh = find_line(self.paragraphs, QUOC_HIEU)
        tn = self.first(lambda p: tieu_ngu_like(p.text))
        found = [name for name, present in (("Quốc hiệu", qh), ("Tiêu ngữ", tn)) if present]
        if found:
            self.report("DANG_QUOC_HIEU", f"có {' và '.join(found)} của văn bản nhà nước", (qh or [tn])[0])
        return [*qh, *([tn] if tn else [])]

    def so_line(self, so: Para | None, taken: set[int]) -> None:
        """The names above «*», the «*» itself, then the Số line. `taken` are the right column's title lines."""
        if so is None:
            self.report("SO_KY_HIEU", "không tìm thấy dòng «Số …»")
            return
        above = self.above(so, taken)
        star = bool(above) and above[-1].text.strip() == "*"
        names = above[:-1] if star else above
        if not star:
            self.report("DANG_SAO", "không có dấu «*» dưới tên cơ quan ban hành", names[-1] if names else so)
        if names:
            self.style("CO_QUAN", names[-1], bold=True, caps=True, italic=False)
            for parent in names[:-1][-1:]:
                self.style("CO_QUAN", parent, bold=False, caps=True, italic=False)
        else:
            self.report("CO_QUAN", "không tìm thấy tên cơ quan ban hành", so)
        self.style("SO_KY_HIEU", so, italic=False)
        self.so_format(so)

    def so_format(self, so: Para) -> None:
        """«Số 01-KH/KTĐ1»: no colon, a hyphen before the type, a slash before the issuer, a leading zero."""
        text = so.text.strip()
        if _COLON.match(text):
            self.report("SO_KY_HIEU", "có dấu hai chấm sau «Số» (cách viết của văn bản nhà nước)", so)
            text = _COLON.sub("Số ", text)
        match = _SO_FORMAT.match(text)
        if match is None:
            if _SO_STATE.match(text):
                self.report("SO_KY_HIEU", "viết số/tên loại-cơ quan như văn bản nhà nước "
                                               "(cần số-tên loại/cơ quan)", so)
            else:
                self.report("SO_KY_HIEU", f"viết «{so.text.strip()}»", so)
            return
        number = match.group("so")
        if number.strip() and int(number) < 10 and len(number) < 2:
            self.report("SO_KY_HIEU", f"số «{number}» thiếu số 0 đứng trước", so)
        on = self.issued[0] if self.issued else dt.date.today()
        if match.group("loai") not in facts.abbreviations(on, "dang"):
            self.report("SO_KY_HIEU", f"chữ viết tắt tên loại «{match.group('loai')}» không có trong bảng "
                                           f"của Đảng", so)

    def title_block(self, start: int) -> int:
        """Type name, trích yếu (an author line in capitals may precede it), «-----»; return the body's start."""
        title = self.first(lambda p: p.where == "body" and bool(p.text.strip()), start)
        if title is None:
            self.report("TEN_LOAI", "không tìm thấy tên loại văn bản")
            return start
        self.style("TEN_LOAI", title, bold=True, caps=True, align="center", italic=False)
        lines: list[Para] = []
        separator = None
        for para in self.paragraphs[title.index + 1:]:
            text = para.text.strip()
            if _DASHES.match(text) or (not text and (para.bottom_border or para.has_drawing)):
                separator = para
                break
            if text and (para.align != "center" or len(lines) == 2 or text.startswith(RECIPIENT_LABELS)):
                break
            lines += [para] if text else []
        for line in lines:
            self.style("TRICH_YEU", line, bold=True, align="center", italic=False)
        if not lines:
            self.report("TRICH_YEU", "không tìm thấy trích yếu dưới tên loại", title)
        elif not lower_initial(lines[-1].text):
            self.report("TRICH_YEU", "bắt đầu bằng chữ hoa", lines[-1])
        last = lines[-1] if lines else title
        if separator is None:
            self.report("DANG_TRICH_YEU_GACH", "không có dòng «-----» dưới trích yếu", last)
        elif separator.text.strip() != self.rule("DANG_TRICH_YEU_GACH").params["mark"]:
            found = f"viết «{separator.text.strip()}»" if separator.text.strip() else "kẻ đường liền"
            self.report("DANG_TRICH_YEU_GACH", f"{found} thay vì «-----»", last)
        return (separator or last).index + 1

    # -- body --------------------------------------------------------------------------------------

    def body(self, start: int, end: int) -> None:
        """Alignment, indent, spacing, exact line spacing, size, sections and the final full stop."""
        indent = self.rule("BODY_INDENT").params
        low, high = ((indent["mm"] - indent["tolerance_mm"]) * 56.7, (indent["mm"] + indent["tolerance_mm"]) * 56.7)
        spacing = self.rule("BODY_SPACING").params["min_pt"] * 20
        sizes = set(self.rule("BODY_SIZE").params["sizes"])
        paragraphs = self.body_paragraphs(start, end)
        for para in paragraphs:
            if para.align != "both":
                self.report("BODY_ALIGN", ALIGN_WORDS.get(para.align, para.align or ""), para)
            if not low <= para.first_line <= high:
                self.report("BODY_INDENT", f"lùi đầu dòng {para.first_line / 56.7:.0f} mm", para)
            if max(para.before, para.after) < spacing:
                self.report("BODY_SPACING", f"cách đoạn {max(para.before, para.after) / 20:g} pt", para)
            self.line_spacing(para)
            if not sizes_of(para) <= sizes:
                self.report("BODY_SIZE", size_words(sizes_of(para)), para)
            if every(para, "italic"):
                self.report("BODY_SIZE", "cả đoạn in nghiêng", para)
        self.headings(paragraphs)
        if paragraphs:
            self.body_end(paragraphs[-1])

    def line_spacing(self, para: Para) -> None:
        """Line spacing set «Exactly», within the version's range (HD 05: 18–22 pt; HD 36: at least 18 pt)."""
        params = self.rule("BODY_LINE").params
        if para.line_rule != "exact" or not para.line:
            lines = f"{(para.line or 240) / 240:g}".replace(".", ",")
            found = (f"giãn dòng {lines} dòng" if para.line_rule in (None, "auto")
                     else f"giãn dòng tối thiểu {(para.line or 0) / 20:g} pt")
            self.report("BODY_LINE", found + ", không đặt giãn dòng «chính xác» (cỡ điểm cố định)", para)
            return
        points = para.line / 20
        if points < params["min_pt"] or points > params.get("max_pt", points):
            self.report("BODY_LINE", f"giãn dòng chính xác {points:g} pt".replace(".", ","), para)

    def headings(self, paragraphs: list[Para]) -> None:
        """Sections numbered I, II, III… in order (I- or I.), their names in capitals and bold."""
        romans = [(para, match.group("number")) for para in paragraphs if (match := _ROMAN.match(para.text.strip()))]
        for para, number, expected in self.sections(romans):
            if number != roman(expected):
                self.report("HEADING", f"mục «{number}» đứng ở vị trí thứ {expected}", para)
            head = para.text.strip()[len(number):]
            if head != head.upper() or not every(para, "bold"):
                self.report("HEADING", "tên mục không in hoa hoặc không đậm", para)

    def body_end(self, last: Para) -> None:
        """The body ends with «.», not the state documents' «./.»."""
        text = last.text.strip()
        if text.endswith("./."):
            self.report("DANG_BODY_END", "kết thúc bằng «./.» của văn bản nhà nước", last)
        elif not text.endswith("."):
            self.report("DANG_BODY_END", f"kết thúc bằng «{text[-1:]}» thay vì dấu chấm", last)

    # -- closing -----------------------------------------------------------------------------------

    def closing(self) -> int:
        """Nơi nhận and the signatures; return the index where the closing starts."""
        label = self.noi_nhan_label()
        if label is not None:
            self.label(label)
            self.recipients([p for p in self.cell(label) if p.index > label.index and p.text.strip()])
        self.signatures(label)
        start = self.closing_start()
        self.signer_names(start, label.where if label else "")
        return start

    def label(self, label: Para) -> None:
        """«Nơi nhận:» 14, upright, underlined (the colon may be left without), not bold."""
        if label.text.strip() != "Nơi nhận:":
            self.report("NOI_NHAN_LABEL", f"viết «{label.text.strip()}»", label)
        self.style("NOI_NHAN_LABEL", label, bold=False, italic=False)
        words = [run for run in label.runs if run.text.strip() not in ("", ":")]
        if not words or not all(run.underline for run in words):
            self.report("NOI_NHAN_LABEL", "không gạch chân", label)

    def recipients(self, entries: list[Para]) -> None:
        """Entries 12, each «- …» ending with the version's mark; the last «- Lưu <unit>.»."""
        if not entries:
            self.report("NOI_NHAN_ENTRY", "không có nơi nhận nào")
            return
        params = self.rule("NOI_NHAN_ENTRY").params
        for entry in entries:
            if sizes_of(entry) != {params["size"]}:
                self.report("NOI_NHAN_ENTRY", size_words(sizes_of(entry)), entry)
            if some(entry, "bold") or some(entry, "italic"):
                self.report("NOI_NHAN_ENTRY", "in đậm hoặc nghiêng", entry)
        for entry in entries[:-1]:
            text = entry.text.strip()
            if not text.startswith("- "):
                self.report("NOI_NHAN_ENTRY", "không bắt đầu bằng «- »", entry)
            if not text.endswith(params["end"]):
                self.report("NOI_NHAN_ENTRY", f"kết thúc bằng «{text[-1:]}» thay vì «{params['end']}»", entry)
        self.archive_line(entries[-1])

    def archive_line(self, last: Para) -> None:
        """«- Lưu <unit>.»: no colon, no VT, a unit named, a full stop."""
        text = last.text.strip()
        match = _LUU.match(text)
        if match is None:
            self.report("NOI_NHAN_LUU", f"dòng cuối «{text}» không phải dòng «- Lưu …»", last)
        elif match.group("colon") or re.match(r"VT\b", match.group("unit")):
            self.report("NOI_NHAN_LUU", "viết «Lưu: VT» của văn bản nhà nước", last)
        elif not text.endswith(".") or not match.group("unit").rstrip(".").strip():
            self.report("NOI_NHAN_LUU", "không ghi đơn vị lưu hoặc không kết thúc bằng dấu chấm", last)

    def signatures(self, label: Para | None) -> None:
        """Quyền hạn lines wherever they are; the chức vụ and name beside Nơi nhận («kiêm» accepted)."""
        for para in self.paragraphs:
            text = para.text.strip()
            match = _AUTHORITY.match(text)
            if match is None or text != text.upper() or para.align == "both":
                continue
            prefix, mark = match.group("prefix"), match.group("mark")
            if prefix in PARTY_PREFIX:
                self.report("KY_THAM_QUYEN", f"viết «{prefix}{mark}» của văn bản nhà nước "
                                                  f"(cần «{PARTY_PREFIX[prefix]}»)", para)
            elif prefix == "TUQ":
                self.report("KY_THAM_QUYEN", "ký thừa ủy quyền «TUQ.», văn bản của Đảng không có "
                                                  "(dùng «T/L»)", para)
            elif prefix == "Q" and mark != ".":
                self.report("KY_THAM_QUYEN", f"viết «Q{mark}» (cần «Q.»)", para)
            self.style("KY_THAM_QUYEN", para, bold=True, caps=True, italic=False)
        if label is None or not label.where.startswith("table"):
            return
        block = [p for p in self.paragraphs if p.where == label.where.replace("cell 0", "cell 1") and p.text.strip()]
        if block:
            self.style("KY_HO_TEN", block[-1], bold=True, caps=False, italic=False)
            for line in block[:-1]:
                text = line.text.strip()
                if not _AUTHORITY.match(text) and folded(text) != "kiêm" and not text.startswith("("):
                    self.style("DANG_KY_CHUC_VU", line, bold=False, caps=True, italic=False)
