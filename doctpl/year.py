"""What a khối's year already holds, as a kind that starts from it asks for it (issue 13, point 5).

A kind declares `from_year` (doctpl/kind.py): given these facts and a new document's data, it returns the
data with what the year's other documents already say, so nothing is typed twice. The store answers the
questions from the saved records (doctpl/store/year_facts.py), each only when asked.
"""

from __future__ import annotations

from typing import Any, Protocol


class YearFacts(Protocol):
    """The year `nam` of one khối, seen from a new document of the khối (`unit` None) or of one member unit."""

    nam: int
    unit: str | None  # the unit's name on 1 January, None for the khối's own document

    def unit_opening(self) -> list[str]:
        """Return the unit's own facts as sentences of its report: what it registered, its score."""
        ...

    def scores(self) -> list[dict[str, Any]]:
        """Return the units' totals from the khối's bảng chấm điểm, best first (empty without one)."""
        ...

    def proposals(self) -> list[dict[str, Any]]:
        """Return the awards the khối's tờ trình proposes, as a tổng kết lists them (empty without one)."""
        ...

    def voted(self) -> list[dict[str, Any]]:
        """Return the rows the suy tôn's biên bản voted an award for (empty without one)."""
        ...
