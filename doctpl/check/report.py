"""Kiểm tra thể thức: the one check of a .docx every face calls (CLI, web page, API, a record's page).

It picks the profile (the Party rules for a document headed «ĐẢNG CỘNG SẢN VIỆT NAM», else NĐ 30, or
the one the caller forces), picks the version of the rules by the document's date, runs the profile
and reports one finding per problem, in words a clerk can read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from doctpl import limits
from doctpl.check.dang import Dang
from doctpl.check.findings import Finding, as_json, grouped, merged
from doctpl.check.nd30 import Nd30
from doctpl.check.reader import Para, Reader
from doctpl.check.texts import DANG_TITLE, date_like, date_of, find_line
from doctpl.errors import FieldError, ValidationError
from doctpl.the_thuc import DANG, LABELS, NHA_NUOC, Rules, rules_on

AUTO = ""
CHOICES = {AUTO: "Tự nhận biết", NHA_NUOC: LABELS[NHA_NUOC], DANG: LABELS[DANG]}


class Report(list[Finding]):
    """The findings of one check, in document order, with the rules they were checked against."""

    def __init__(self, findings: list[Finding], version: Rules, detected: bool):
        super().__init__(findings)
        self.version, self.detected = version, detected

    @property
    def errors(self) -> int:
        """Return how many findings are errors."""
        return sum(finding.severity == "error" for finding in self)

    def profile(self) -> dict[str, Any]:
        """Return the rules checked against, as JSON: thể thức, version code and name, whether it was recognised."""
        return {"the_thuc": self.version.the_thuc, "ma": self.version.ma, "ten": self.version.ten,
                "tu_nhan_biet": self.detected}

    def profile_words(self) -> str:
        """Return the rules checked against in a sentence."""
        kind = "văn bản của Đảng" if self.version.dang else "văn bản hành chính nhà nước"
        how = ("nhận biết qua tiêu đề «ĐẢNG CỘNG SẢN VIỆT NAM»" if self.version.dang else "tự nhận biết") \
            if self.detected else "theo lựa chọn khi kiểm tra"
        return f"Kiểm tra như {kind}, theo {self.version.ten} ({how})."

    def summary(self) -> str:
        """Return the count of findings and errors, or that the document is right."""
        if not self:
            return "Đúng thể thức: không có phát hiện nào."
        return f"{len(self)} phát hiện, {self.errors} lỗi."

    def as_json(self) -> dict[str, Any]:
        """Return the report as JSON: the rules, the findings and the number of errors."""
        return {"the_thuc": self.profile(), "findings": as_json(self), "error_count": self.errors}

    def lines(self) -> list[str]:
        """Return the report as text lines, grouped by element, for the command line."""
        out = [self.profile_words()]
        for element, items in grouped(self):
            out.append(f"{element}:")
            out += [f"  {item.level}: {item.sentence}" for item in items]
        return [*out, self.summary()]


def choice(value: str | None) -> str:
    """Return a thể thức choice from a form or an option ("" to recognise it), or raise a field error."""
    value = (value or "").strip()
    if value not in CHOICES:
        raise ValidationError([FieldError("the_thuc", f"Thể thức «{value[:40]}» không có; chọn "
                                                      f"«{NHA_NUOC}» (nhà nước), «{DANG}» (Đảng) hoặc để trống "
                                                      f"để tự nhận biết.")])
    return value


def document_date(paragraphs: list[Para]) -> dt.date | None:
    """Return the date of the date line (1 January of its year when the day is blank), or None."""
    line = next((para for para in paragraphs if date_like(para.text)), None)
    found = date_of(line.text) if line is not None else None
    return found[0] if found else None


def recognise(paragraphs: list[Para]) -> str:
    """Return the thể thức a document is laid out in: Party when it is headed «ĐẢNG CỘNG SẢN VIỆT NAM»."""
    return DANG if find_line(paragraphs, DANG_TITLE) else NHA_NUOC


def check(content: bytes, name: str = "văn bản", the_thuc: str | None = None) -> Report:
    """Return the report of a .docx (empty for a compliant document); `the_thuc` forces a profile.

    A file over the limits or unreadable raises TooLarge or UnreadableDocx before the rules run; the memory
    of a large document is given back to the system afterwards.
    """
    forced = choice(the_thuc)
    try:
        return _run(Reader(content, name), forced)
    finally:  # the reader and its paragraphs are gone by now: their memory can go back
        limits.release_memory()


def _run(reader: Reader, forced: str) -> Report:
    """Pick the profile and the version of the rules, run them, and merge the findings."""
    paragraphs = reader.paragraphs()
    date = document_date(paragraphs)
    version = rules_on(forced or recognise(paragraphs), date or dt.date.today())
    checker = (Dang if version.dang else Nd30)(reader, paragraphs, version)
    checker.run()
    if date is None and version.dang:
        checker.report("DANG_PHIEN_BAN", f"không đọc được ngày của văn bản: kiểm tra theo {version.ten}, "
                                         f"hướng dẫn đang áp dụng hôm nay")
    return Report(merged(checker.findings), version, detected=not forced)
