"""What a khối's year already knows, for the reports that follow it (issue 13, point 5).

A unit's sơ kết and tổng kết start from that unit's own facts: its đăng ký of the year and its
scores in the khối's bảng chấm điểm, never from the khối's or another unit's text. The khối's
own tổng kết takes its table of scores (with the ranks) and its proposals from the year's bảng
chấm điểm and tờ trình.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from doctpl import facts, score_tree
from doctpl.errors import BadInput
from doctpl.kind import Kind, get_kind
from doctpl.store import records, registry
from doctpl.store.registry import Body

REPORTS = ("bao_cao_so_ket", "bao_cao_tong_ket")  # a unit's own text, never copied from another issuer
FROM_THE_YEAR = (*REPORTS, "bien_ban", "to_trinh")  # what starts from the year's other documents


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


def start(session: Session, kind: Kind, khoi_id: int, unit_id: int | None, nam: int) -> dict[str, Any]:
    """Return a new report of `nam` from what the year knows: a unit's from its own facts, the khối's tổng kết
    from the year's scores and proposals; the kind's defaults around them."""
    data: dict[str, Any] = kind.form.empty() | {"nam": nam, "noi_nhan": {"cac_noi": ["Như trên"], "luu": ""}}
    if unit_id is None:
        return aggregate(session, kind, khoi_id, nam, data)
    unit = registry.body_on(session, unit_id, dt.date(nam, 1, 1))
    opening = [{"loai": "doan", "tieu_de": "", "van_ban": text}
               for text in (registration(session, khoi_id, unit, nam), score(session, khoi_id, unit, nam)) if text]
    sections = data.get("noi_dung") or [{"phan": "", "tieu_de": f"Kết quả thực hiện phong trào thi đua năm {nam}",
                                         "thanh_phan": []}]
    first = {**sections[0], "thanh_phan": opening + list(sections[0]["thanh_phan"])}
    return data | {"noi_dung": [first, *sections[1:]]}


def khoi_scores(session: Session, khoi_id: int, nam: int) -> list[dict[str, Any]]:
    """Return the tổng kết's table of scores from the khối's bảng chấm điểm of `nam` (empty without one)."""
    data = year_record(session, "bang_diem", khoi_id, nam)
    if data is None:
        return []
    standings, _ = score_tree.summary(data)
    return [{"don_vi": row.ten, "tu_cham": row.totals.get("tu_cham") or Decimal(0),
             "khoi_cham": row.totals.get("hoi_dong") or row.totals.get("tham_dinh") or Decimal(0),
             "thuong_tru": Decimal(0)} for row in standings if any(row.totals.values())]


def khoi_proposals(session: Session, khoi_id: int, nam: int) -> list[dict[str, Any]]:
    """Return the tổng kết's proposals from the khối's tờ trình of `nam` (empty without one)."""
    data = year_record(session, "to_trinh", khoi_id, nam)
    if data is None:
        return []
    return [{"ten": row["don_vi"], "doi_tuong": "tap_the", "khen": row["khen"],
             "thanh_tich": f"Đạt {row['diem']} điểm; {row['dong_y']}/{row['tong_phieu']} phiếu đồng ý."
             if row.get("diem") else ""} for row in data.get("de_nghi") or []]


def suy_ton(session: Session, khoi_id: int, nam: int) -> list[dict[str, Any]]:
    """Return the rows voted at the year's suy tôn (the latest biên bản of a bình xét, suy tôn meeting)."""
    found = [r for r in records.find(session, khoi_id=khoi_id, kind="bien_ban", nam=nam) if r.don_vi_id is None]
    for record in found:
        data = get_kind("bien_ban").draft(records.data(session, record.id))[0]
        if data.get("loai_cuoc_hop") == "suy_ton":
            return [dict(row) for row in data.get("ket_qua") or []]
    return []


def aggregate(session: Session, kind: Kind, khoi_id: int, nam: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the khối's document with what the year's other documents already hold, so nothing is typed twice.

    A tổng kết takes the table of scores and the tờ trình's proposals; a biên bản the agreed scores; a tờ
    trình the units the suy tôn voted for an award, with their score and votes.
    """
    out = dict(data)
    if kind.id == "bien_ban":
        scores = khoi_scores(session, khoi_id, nam)
        if scores:
            out["ket_qua"] = [{"don_vi": row["don_vi"], "khen": "", "diem": row["khoi_cham"], "dong_y": None,
                               "tong_phieu": None} for row in scores]
        return out
    if kind.id == "to_trinh":
        voted = [row for row in suy_ton(session, khoi_id, nam) if row.get("khen")]
        if voted:
            out["de_nghi"] = voted
        return out
    if kind.id != "bao_cao_tong_ket":
        return out
    scores, proposals = khoi_scores(session, khoi_id, nam), khoi_proposals(session, khoi_id, nam)
    if scores:
        out["diem"] = scores
    if proposals:
        out["de_nghi"] = proposals
    return out
