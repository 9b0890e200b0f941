"""The store's answers to doctpl.year.YearFacts: what a khối's year already knows, from the saved records.

A unit's sơ kết and tổng kết start from that unit's own facts: its đăng ký of the year and its scores in
the khối's bảng chấm điểm, never from the khối's or another unit's text. The khối's documents start from
the year's other documents as each kind's `from_year` says (forms/*.py): the tổng kết takes the scores and
the tờ trình's proposals, the biên bản the agreed scores, the tờ trình the suy tôn's votes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from doctpl import facts, score_tree
from doctpl.errors import BadInput
from doctpl.kind import Kind, get_kind
from doctpl.store import records, registry
from doctpl.store.registry import Body


def year_record(session: Session, kind_id: str, khoi_id: int, nam: int, unit_id: int | None = None
                ) -> dict[str, Any] | None:
    """Return the khối's (or a unit's) latest record of `kind_id` for `nam`, converted as the form converts it."""
    found = [r for r in records.find(session, khoi_id=khoi_id, kind=kind_id, nam=nam) if r.don_vi_id == unit_id]
    return get_kind(kind_id).draft(records.data(session, found[0].id))[0] if found else None


def registration(session: Session, khoi_id: int, unit: Body, nam: int) -> str:
    """Return what the unit registered for `nam`, as a sentence of its report ("" without a đăng ký)."""
    data = year_record(session, "dang_ky", khoi_id, nam, unit.id)
    if data is None:
        return ""
    names = facts.rewards()  # the short names: «Lao động tiên tiến»
    collective = sorted({names.get(row.get("danh_hieu"), "") for row in data.get("tap_the") or []} - {""})
    people = data.get("ca_nhan") or []
    counted: dict[str, int] = {}
    for person in people:
        label = names.get(person.get("danh_hieu"), "")
        if label:
            counted[label] = counted.get(label, 0) + 1
    parts = [f"tập thể đăng ký danh hiệu «{'», «'.join(collective)}»"] if collective else []
    if people:
        detail = ", ".join(f"{count:02d} {label}" for label, count in counted.items())
        parts.append(f"{len(people):02d} cá nhân đăng ký" + (f" ({detail})" if detail else ""))
    return f"Đầu năm {nam}, {unit.ten} đã đăng ký thi đua: {'; '.join(parts)}." if parts else ""


def score(session: Session, khoi_id: int, unit: Body, nam: int) -> str:
    """Return the unit's score of `nam` in words from the khối's bảng chấm điểm ("" when it has none)."""
    data = year_record(session, "bang_diem", khoi_id, nam)
    if data is None:
        return ""
    try:
        cited = score_tree.cite(data, unit.ten)
    except BadInput:  # the unit is not in the table (yet)
        return ""
    return f"Kết quả chấm điểm thi đua năm {nam}: {cited}." if cited else ""


class StoredYear:
    """The facts of one khối's year `nam` for a new document of the khối (`unit_id` None) or of a member unit."""

    def __init__(self, session: Session, khoi_id: int, unit_id: int | None, nam: int):
        self.session, self.khoi_id, self.nam = session, khoi_id, nam
        self.body = registry.body_on(session, unit_id, dt.date(nam, 1, 1)) if unit_id is not None else None
        self.unit = self.body.ten if self.body is not None else None

    def unit_opening(self) -> list[str]:
        """Return the unit's registration and score of the year as sentences (none for the khối's document)."""
        if self.body is None:
            return []
        texts = (registration(self.session, self.khoi_id, self.body, self.nam),
                 score(self.session, self.khoi_id, self.body, self.nam))
        return [text for text in texts if text]

    def scores(self) -> list[dict[str, Any]]:
        """Return the tổng kết's table of scores from the khối's bảng chấm điểm (empty without one)."""
        data = year_record(self.session, "bang_diem", self.khoi_id, self.nam)
        if data is None:
            return []
        standings, _ = score_tree.summary(data)
        return [{"don_vi": row.ten, "tu_cham": row.totals.get("tu_cham") or Decimal(0),
                 "khoi_cham": row.totals.get("hoi_dong") or row.totals.get("tham_dinh") or Decimal(0),
                 "thuong_tru": Decimal(0)} for row in standings if any(row.totals.values())]

    def proposals(self) -> list[dict[str, Any]]:
        """Return the tổng kết's proposals from the khối's tờ trình (empty without one)."""
        data = year_record(self.session, "to_trinh", self.khoi_id, self.nam)
        if data is None:
            return []
        return [{"ten": row["don_vi"], "doi_tuong": "tap_the", "khen": row["khen"],
                 "thanh_tich": f"Đạt {row['diem']} điểm; {row['dong_y']}/{row['tong_phieu']} phiếu đồng ý."
                 if row.get("diem") else ""} for row in data.get("de_nghi") or []]

    def voted(self) -> list[dict[str, Any]]:
        """Return the rows voted an award at the year's suy tôn (the latest biên bản of a suy tôn meeting)."""
        found = [r for r in records.find(self.session, khoi_id=self.khoi_id, kind="bien_ban", nam=self.nam)
                 if r.don_vi_id is None]
        for record in found:
            data = get_kind("bien_ban").draft(records.data(self.session, record.id))[0]
            if data.get("loai_cuoc_hop") == "suy_ton":
                return [dict(row) for row in data.get("ket_qua") or [] if row.get("khen")]
        return []


def start(session: Session, kind: Kind, khoi_id: int, unit_id: int | None, nam: int) -> dict[str, Any]:
    """Return a new document of `nam`: the kind's defaults, then what the year's records give it (from_year)."""
    data: dict[str, Any] = kind.form.empty() | {"nam": nam, "noi_nhan": {"cac_noi": ["Như trên"], "luu": ""}}
    return kind.from_year(StoredYear(session, khoi_id, unit_id, nam), data) if kind.from_year else data
