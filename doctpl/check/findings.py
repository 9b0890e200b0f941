"""The rule tables of the checker and the findings it reports, in words a clerk can read.

Each version of the rules (nd30, hd36, hd05: the codes of doctpl/data/the_thuc.csv) has its rows in a
table: rules.csv for NĐ 30, rules_dang.csv for the Party guidance, whose column `ap_dung` names the
versions a row belongs to. A rule id means the same in every version it appears in; the reference
and the parameters may differ (HD 36 and HD 05 punctuate Nơi nhận differently).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
TABLES = (HERE / "rules.csv", HERE / "rules_dang.csv")
TITLES_FILE = HERE / "danh_xung.csv"
SEVERITIES = {"error": "Lỗi", "warning": "Lưu ý", "info": "Thông tin"}


@dataclass(frozen=True)
class Rule:
    """One row of a rule table."""

    id: str
    element: str
    severity: str
    reference: str
    rule: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, where, what was expected and found; `count` paragraphs share it."""

    rule: str
    severity: str
    reference: str
    element: str
    expected: str
    found: str
    paragraph: int | None = None
    excerpt: str = ""
    count: int = 1

    @property
    def level(self) -> str:
        """Return the severity in words: Lỗi, Lưu ý, Thông tin."""
        return SEVERITIES.get(self.severity, self.severity)

    @property
    def where(self) -> str:
        """Return where the problem is, in words: the excerpt, and how many paragraphs have it."""
        if self.count > 1:
            return f"{self.count} đoạn, đoạn đầu «{self.excerpt}»" if self.excerpt else f"{self.count} chỗ"
        return f"«{self.excerpt}»" if self.excerpt else ""

    @property
    def sentence(self) -> str:
        """Return what was found and where (unless the words found already quote it), what the rule asks, its source."""
        where = self.where if self.count > 1 or f"«{self.excerpt}»" not in self.found else ""
        return f"{self.found}" + (f" ({where})" if where else "") + f". Cần: {self.expected} ({self.reference})."

    @property
    def message(self) -> str:
        """Return the finding as one sentence that names its element."""
        return f"{self.element}: {self.sentence}"


@cache
def _rows() -> tuple[tuple[frozenset[str], Rule], ...]:
    out = []
    for path in TABLES:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rule = Rule(row["id"], row["element"], row["severity"], row["reference"], row["rule"],
                            json.loads(row["params"] or "{}"))
                out.append((frozenset(row["ap_dung"].split()), rule))
    return tuple(out)


@cache
def rules(version: str = "nd30") -> dict[str, Rule]:
    """Return the rule table of one version of the rules ("nd30", "hd36", "hd05"), keyed by rule id."""
    return {rule.id: rule for versions, rule in _rows() if version in versions}


def versions() -> set[str]:
    """Return every version a table has rows for."""
    return {version for versions, _ in _rows() for version in versions}


@cache
def titles() -> tuple[tuple[str, str], ...]:
    """Return the titles that may not stand before a signer's name: (how it is written, what it is)."""
    with open(TITLES_FILE, encoding="utf-8", newline="") as handle:
        return tuple((row["danh_xung"], row["loai"]) for row in csv.DictReader(handle))


def merged(findings: Iterable[Finding]) -> list[Finding]:
    """Return one finding per problem: the same rule and the same words found once, with their count."""
    out: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule, finding.found)
        seen = out.get(key)
        out[key] = finding if seen is None else replace(seen, count=seen.count + finding.count)
    return list(out.values())


def as_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Return findings as JSON objects, each with its sentence for a clerk in `message`."""
    return [{**asdict(finding), "message": finding.message} for finding in findings]


def grouped(findings: Iterable[Finding]) -> Iterator[tuple[str, list[Finding]]]:
    """Yield (element, findings) in the order elements first appear."""
    order: dict[str, list[Finding]] = {}
    for finding in findings:
        order.setdefault(finding.element, []).append(finding)
    yield from order.items()
