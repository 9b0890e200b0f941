"""What an import returns: the kind's data, every paragraph it could not place, and what the form still needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from doctpl.errors import FieldError


@dataclass(frozen=True)
class Unplaced:
    """A paragraph (or a line of one) the import could not place: its number in reading order, where, its text."""

    doan: int
    noi: str
    van_ban: str

    def sentence(self) -> str:
        """Return how the clerk reads it: «Đoạn 12 (thân văn bản): «…»»."""
        return f"Đoạn {self.doan} ({self.noi}): «{self.van_ban}»"


@dataclass
class Imported:
    """The kind's raw data, the unplaced paragraphs in document order, and the form's errors on that data."""

    kind: str
    data: dict[str, Any]
    unplaced: list[Unplaced] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Return {"data", "chua_xep": [{"doan", "noi", "van_ban"}], "errors": [{"field", "message"}]}."""
        return {"data": self.data,
                "chua_xep": [{"doan": u.doan, "noi": u.noi, "van_ban": u.van_ban} for u in self.unplaced],
                "errors": [{"field": e.field, "message": e.message} for e in self.errors]}
