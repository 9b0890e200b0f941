"""Năm thi đua at a glance: every member unit of a khối against every document of the year, and the khối's own.

A document's state is read from its record of the year: chưa có (none), bản nháp (VanBan.nhap), đã soạn (saved,
no number yet), đã lấy số (VanBan.so or a line of the sổ văn bản đi), đã ban hành (an issued file uploaded,
doctpl/store/issued.py), each with its date. A unit's self-score is read from the khối's bảng điểm of the year:
chưa có, đang chấm (some standard criteria scored), đã tự chấm (every one), with its total. Deadlines come from
the khối's plan of the year (han_bao_cao_6_thang, han_bao_cao_nam), else doctpl/data/han_thi_dua.csv; a cell
not done is «sắp đến hạn» from NEAR days before its deadline and «quá hạn» after it, one done after it «muộn».
The deadlines of the units' reports are the units' own: the khối's sơ kết and tổng kết are not held to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from doctpl.errors import NotFound
from doctpl.facts import DATA_DIR
from doctpl.kind import get_kind
from doctpl.score_tree import CHUAN, table, total, values
from doctpl.scoring import score_text
from doctpl.store import issued, registry
from doctpl.store import scope as scopes
from doctpl.store.models import SoDi, VanBan
from doctpl.vn.dates import short_date

SCORE = "tu_cham"
UNIT_COLUMNS = ("dang_ky", SCORE, "bao_cao_so_ket", "bao_cao_tong_ket")
KHOI_COLUMNS = ("ke_hoach", "giao_uoc", "bang_diem", "bien_ban", "to_trinh", "giay_moi", "bao_cao_so_ket",
                "bao_cao_tong_ket")
HEADINGS = {"dang_ky": "Đăng ký thi đua", SCORE: "Tự chấm điểm", "bao_cao_so_ket": "Báo cáo sơ kết",
            "bao_cao_tong_ket": "Báo cáo tổng kết", "ke_hoach": "Kế hoạch", "giao_uoc": "Giao ước",
            "bang_diem": "Bảng điểm", "bien_ban": "Biên bản", "to_trinh": "Tờ trình", "giay_moi": "Giấy mời"}
STATES = {"chua_co": "Chưa có", "nhap": "Bản nháp", "da_soan": "Đã soạn, chưa lấy số", "da_lay_so": "Đã lấy số",
          "ban_hanh": "Đã ban hành", "dang_cham": "Đang chấm", "da_cham": "Đã tự chấm"}
RANK = {"chua_co": 0, "nhap": 1, "dang_cham": 1, "da_soan": 2, "da_lay_so": 3, "da_cham": 3, "ban_hanh": 4}
DONE = {"da_lay_so", "ban_hanh", "da_cham"}  # sent, as far as a deadline goes
ALERTS = {"sap_han": "Sắp đến hạn", "qua_han": "Quá hạn", "muon": "Gửi muộn"}
NEAR = 7  # days before a deadline from which a cell not done is highlighted
PLAN_FIELDS = {"bao_cao_so_ket": ("han_bao_cao_6_thang", "báo cáo sơ kết 6 tháng đầu năm"),
               "bao_cao_tong_ket": ("han_bao_cao_nam", "báo cáo tổng kết năm"),
               SCORE: ("han_bao_cao_nam", "bảng tự chấm điểm kèm báo cáo tổng kết")}
DEADLINES_FILE = "han_thi_dua.csv"


@dataclass(frozen=True)
class Deadline:
    """When a column's document is due, what says so, and whether that source is verified."""

    column: str
    on: dt.date
    text: str
    source: str
    verified: bool

    def alert(self, today: dt.date) -> str:
        """Return "qua_han" once passed, "sap_han" within NEAR days, "" otherwise (for a cell not done)."""
        if today > self.on:
            return "qua_han"
        return "sap_han" if (self.on - today).days <= NEAR else ""


@dataclass(frozen=True)
class Entry:
    """One document of a cell: its record, state, the date of that state, and a short note («Số 03»)."""

    state: str
    on: dt.date | None
    record_id: int | None
    title: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        """Return the state in words."""
        return STATES[self.state]


@dataclass(frozen=True)
class Cell:
    """A column of one row: the documents it holds (none: chưa có), its deadline and its highlight."""

    column: str
    kind: str  # the kind a new document of the cell is started in
    entries: tuple[Entry, ...] = ()
    deadline: Deadline | None = None
    alert: str = ""

    @property
    def state(self) -> str:
        """Return the most advanced state of the cell's documents."""
        return max((entry.state for entry in self.entries), key=RANK.__getitem__, default="chua_co")

    @property
    def label(self) -> str:
        """Return the cell's state in words."""
        return STATES[self.state]


@dataclass(frozen=True)
class Row:
    """One line of the overview: a member unit (or, with unit None, the khối) and its cells."""

    unit: registry.Body | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Year:
    """The overview of a khối's year as of `today`."""

    khoi: registry.Body
    nam: int
    today: dt.date
    rows: tuple[Row, ...]
    khoi_row: Row | None  # None when the account sees its own unit only
    deadlines: tuple[Deadline, ...]
    scores_id: int | None  # the bảng điểm record the self-scores are read from
    counts: dict[str, int] = field(default_factory=dict)  # units done per unit column


@cache
def usual_deadlines() -> tuple[dict[str, str], ...]:
    """Return the rows of doctpl/data/han_thi_dua.csv."""
    with open(DATA_DIR / DEADLINES_FILE, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _usual(column: str, nam: int) -> Deadline | None:
    """Return the usual deadline of a column in `nam`: the newest row in force on 1 January."""
    rows = [row for row in usual_deadlines() if row["ma"] == column and
            dt.date.fromisoformat(row["hieu_luc_tu"]) <= dt.date(nam, 1, 1)]
    if not rows:
        return None
    row = max(rows, key=lambda item: item["hieu_luc_tu"])
    day, month = (int(part) for part in row["han"].split("/"))
    return Deadline(column, dt.date(nam, month, day), row["noi_dung"], f"{DEADLINES_FILE}: {row['nguon']}",
                    row["xac_minh"] == "V")


def deadlines(plan: VanBan | None, nam: int) -> dict[str, Deadline]:
    """Return each column's deadline: the khối's plan where it sets one, else the usual one."""
    data = get_kind("ke_hoach").draft(_data(plan))[0] if plan is not None else {}
    out = {}
    for column in dict.fromkeys(UNIT_COLUMNS + KHOI_COLUMNS):
        name, what = PLAN_FIELDS.get(column, ("", ""))
        on = data.get(name)
        if isinstance(on, dt.date) and plan is not None:
            number = f" số {plan.so:02d}" if plan.so else ""
            dated = f" ngày {short_date(plan.ngay)}" if plan.ngay else ""
            out[column] = Deadline(column, on, f"Các đơn vị gửi {what} chậm nhất ngày {short_date(on)}",
                                   f"Kế hoạch{number}{dated} (bản lưu #{plan.id})", True)
        elif (usual := _usual(column, nam)) is not None:
            out[column] = usual
    return out


def _data(record: VanBan) -> dict[str, Any]:
    """Return the data of a record's current version."""
    current = next(v for v in record.versions if v.phien_ban == record.phien_ban)
    return json.loads(current.du_lieu)


def members(session: Session, khoi_id: int, nam: int) -> list[registry.Body]:
    """Return every body that was a member of the khối at some time in `nam`, named as on its last day there."""
    first, last = dt.date(nam, 1, 1), dt.date(nam, 12, 31)
    out: dict[int, registry.Body] = {}
    for link in registry.memberships(session, khoi_id):
        unit = registry.get_don_vi(session, link.don_vi_id)
        start = max(d for d in (first, link.tu_ngay, unit.tu_ngay) if d)
        end = min(d for d in (last, link.den_ngay, unit.den_ngay) if d)
        if start <= end and unit.id not in out:
            out[unit.id] = registry.view(session, unit, end)
    return list(out.values())


def reach(session: Session, scope: scopes.Scope, khoi_id: int, nam: int) -> int | None:
    """Return None when the account sees the whole khối's year, its own unit's id when it sees that row only.

    A khối's secretariat and an admin see the whole year; a văn thư sees its unit's row of a khối the unit
    belonged to in `nam`; anyone else gets NotFound, as for a khối that does not exist.
    """
    registry.get_khoi(session, khoi_id)
    if scopes.allows_khoi(scope, khoi_id):
        return None
    if scope.role == "van_thu" and scope.don_vi_id in {unit.id for unit in members(session, khoi_id, nam)}:
        return scope.don_vi_id
    raise NotFound(f"Không có khối số {khoi_id}.")


def _numbered(session: Session, ids: set[int]) -> dict[int, dt.date]:
    """Return the records among `ids` that have a number in the sổ văn bản đi (not cancelled), with its day."""
    if not ids:
        return {}
    query = select(SoDi.van_ban_id, SoDi.ngay, SoDi.lay_luc).where(SoDi.van_ban_id.in_(ids), SoDi.huy_luc.is_(None))
    return {row.van_ban_id: row.ngay or row.lay_luc.date() for row in session.execute(query)}


def _entry(record: VanBan, issued_at: dict[int, dt.datetime], numbered: dict[int, dt.date]) -> Entry:
    """Return the state of one record with the date of that state."""
    title = record.tieu_de
    number = f"Số {record.so:02d}" if record.so else ""
    if record.id in issued_at:
        return Entry("ban_hanh", issued_at[record.id].date(), record.id, title, number)
    if record.nhap:
        return Entry("nhap", record.sua_luc.date(), record.id, title)
    if record.so or record.id in numbered:
        return Entry("da_lay_so", record.ngay or numbered.get(record.id), record.id, title, number)
    return Entry("da_soan", record.sua_luc.date(), record.id, title)


def _cell(column: str, kind: str, entries: list[Entry], deadline: Deadline | None, today: dt.date) -> Cell:
    """Return a cell, its documents most advanced first, highlighted against its deadline."""
    ordered = tuple(sorted(entries, key=lambda entry: -RANK[entry.state]))
    done = [entry.on for entry in ordered if entry.state in DONE and entry.on]
    if deadline is None:
        alert = ""
    elif ordered and ordered[0].state in DONE:
        alert = "muon" if done and max(done) > deadline.on else ""
    else:
        alert = deadline.alert(today)
    return Cell(column, kind, ordered, deadline, alert)


def year(session: Session, khoi_id: int, nam: int, *, today: dt.date, only_unit: int | None = None) -> Year:
    """Return the overview of a khối's `nam` as of `today`; with `only_unit`, that unit's row alone."""
    khoi = registry.khoi_on(session, khoi_id, min(dt.date(nam, 12, 31), max(dt.date(nam, 1, 1), today)))
    units = [unit for unit in members(session, khoi_id, nam) if only_unit is None or unit.id == only_unit]
    ids = {unit.id for unit in units}
    found = list(session.scalars(select(VanBan).where(
        VanBan.nam == nam, VanBan.xoa_luc.is_(None),
        or_(VanBan.don_vi_id.in_(ids), (VanBan.khoi_id == khoi_id) & VanBan.don_vi_id.is_(None)))
        .order_by(VanBan.id.desc())))
    record_ids = {record.id for record in found}
    issued_at, numbered = issued.first_uploads(session, record_ids), _numbered(session, record_ids)
    own = [record for record in found if record.don_vi_id is None]
    plan = next((record for record in own if record.kind == "ke_hoach" and not record.nhap), None)
    due = deadlines(plan, nam)
    scores = next((record for record in own if record.kind == "bang_diem"), None)
    scored = score_entries(session, scores, ids) if scores is not None else {}
    rows = []
    for unit in units:
        cells = []
        for column in UNIT_COLUMNS:
            if column == SCORE:
                entries = [scored[unit.id]] if unit.id in scored and scored[unit.id].state != "chua_co" else []
                cells.append(_cell(column, "bang_diem", entries, due.get(column), today))
                continue
            mine = [r for r in found if r.don_vi_id == unit.id and r.kind == column][:1]  # the newest
            cells.append(_cell(column, column, [_entry(r, issued_at, numbered) for r in mine], due.get(column), today))
        rows.append(Row(unit, tuple(cells)))
    khoi_row = None if only_unit is not None else Row(None, tuple(  # the units' deadlines are not the khối's own
        _cell(column, column, [_entry(r, issued_at, numbered) for r in own if r.kind == column],
              None if column in UNIT_COLUMNS else due.get(column), today) for column in KHOI_COLUMNS))
    counts = {column: sum(row.cells[index].state in DONE for row in rows) for index, column in enumerate(UNIT_COLUMNS)}
    shown = [due[column] for column in dict.fromkeys(UNIT_COLUMNS + KHOI_COLUMNS) if column in due]
    return Year(khoi, nam, today, tuple(rows), khoi_row, tuple(sorted(shown, key=lambda d: d.on)),
                scores.id if scores is not None else None, counts)


def score_entries(session: Session, record: VanBan, unit_ids: set[int]) -> dict[int, Entry]:
    """Return each unit's self-score in the khối's bảng điểm: its state, the day it last changed, its total."""
    data = get_kind("bang_diem").draft(_data(record))[0]
    tree = table(data)
    history = [(version.luu_luc, json.loads(version.du_lieu)) for version in reversed(record.versions)]
    out = {}
    for unit_id in unit_ids:
        keys = names(session, unit_id)
        index = index_of(data, keys)
        scores = values(data["don_vi"][index], SCORE, len(tree.leaves)) if index is not None else []
        if not any(value is not None for value in scores):
            out[unit_id] = Entry("chua_co", None, record.id)
            continue
        standard = [value for node, value in zip(tree.leaves, scores, strict=True) if node.loai == CHUAN]
        filled = sum(value is not None for value in standard)
        points = f"{score_text(total(tree, scores).total)}/{score_text(tree.maximum)} điểm"
        state, note = ("da_cham", points) if filled == len(standard) else (
            "dang_cham", f"{filled}/{len(standard)} tiêu chí, {points}")
        out[unit_id] = Entry(state, _changed_on(history, keys), record.id, record.tieu_de, note)
    return out


def names(session: Session, don_vi_id: int) -> set[str]:
    """Return the comparison keys of every name a body has gone by (names, other names, short names)."""
    facts = registry.facts_of(session, registry.get_don_vi(session, don_vi_id))
    return {registry.name_key(f.gia_tri) for f in facts if f.truong in ("ten", "ten_khac", "ten_ngan") and f.gia_tri}


def index_of(data: dict[str, Any], keys: set[str]) -> int | None:
    """Return the index of the bảng điểm's unit that is the body named by `keys`, or None.

    A unit is written as the body is named, or by the end of its name when that is the only such unit
    («Phường Xuân Hương - Đà Lạt» for «Ủy ban nhân dân phường Xuân Hương - Đà Lạt»).
    """
    written = [registry.name_key(unit.get("ten", "")) for unit in data.get("don_vi") or []]
    exact = [index for index, key in enumerate(written) if key and key in keys]
    if exact:
        return exact[0]
    ending = [index for index, key in enumerate(written)
              if key and any(name.endswith(" " + key) for name in keys)]
    return ending[0] if len(ending) == 1 else None


def _changed_on(history: list[tuple[dt.datetime, dict[str, Any]]], keys: set[str]) -> dt.date:
    """Return the day a unit's self-scores last changed, from the record's versions newest first."""
    def scores(raw: dict[str, Any]) -> list[Any] | None:
        index = index_of(raw, keys)
        return None if index is None else [row.get(SCORE) for row in raw["don_vi"][index].get("diem") or []]

    current, since = scores(history[0][1]), history[0][0]
    for saved, raw in history[1:]:
        if scores(raw) != current:
            break
        since = saved
    return since.date()
