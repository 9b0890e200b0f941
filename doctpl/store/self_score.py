"""A unit's self-score in the khối's bảng điểm of the year: its .xlsx to fill, and the filled one read back.

Reached by the khối's secretariat and an admin, and by the văn thư of the unit itself (its own row only, never
the other units' scores). A unit the bảng điểm does not list yet is added under its registry name; a sheet
read back is saved as a new version of the khối's record, whose other units and stages are left as they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from doctpl import scoring_xlsx
from doctpl.errors import FieldError, NotFound
from doctpl.store import audit, overview, records, registry
from doctpl.store import scope as scopes
from doctpl.store.models import VanBan
from doctpl.vn.text import ascii_slug


@dataclass(frozen=True)
class Sheet:
    """The khối's bảng điểm record, its data with the unit listed, and the unit's place and name in it."""

    record: VanBan
    data: dict[str, Any]
    index: int
    ten: str

    @property
    def filename(self) -> str:
        """Return the ASCII name of the unit's .xlsx: tu-cham-2026-Van-phong-Tinh-uy.xlsx."""
        return f"tu-cham-{self.record.nam}-{ascii_slug(self.ten)}.xlsx"


def sheet(session: Session, scope: scopes.Scope, record_id: int, don_vi_id: int) -> Sheet:
    """Return a unit's sheet of a bảng điểm record in reach, or raise NotFound as for one that does not exist."""
    record = records.get(session, record_id)
    unit_ids = {unit.id for unit in overview.members(session, record.khoi_id, record.nam)} if record.khoi_id else set()
    allowed = scopes.allows(session, scope, record.khoi_id, None) or (
        scope.role == "van_thu" and scope.don_vi_id == don_vi_id)
    if record.kind != "bang_diem" or record.don_vi_id is not None or don_vi_id not in unit_ids or not allowed:
        raise NotFound(f"Không có bảng tự chấm của đơn vị số {don_vi_id} trong bản lưu #{record_id}.")
    data = records.data(session, record_id)
    index = overview.index_of(data, overview.names(session, don_vi_id))
    if index is None:
        ten = registry.body_on(session, don_vi_id, record.ngay or dt.date(record.nam, 12, 31)).ten
        data = {**data, "don_vi": [*(data.get("don_vi") or []), {"ten": ten, "diem": []}]}
        index = len(data["don_vi"]) - 1
    return Sheet(record, data, index, data["don_vi"][index]["ten"])


def template(session: Session, chosen: Sheet, *, who: str) -> bytes:
    """Return the unit's .xlsx to fill (the scores it has already filled in), and log the download."""
    content = scoring_xlsx.template(chosen.data, chosen.index)
    audit.log(session, who, "tai_ve", kind="bang_diem", van_ban_id=chosen.record.id,
              phien_ban=chosen.record.phien_ban, chi_tiet=f"Bảng tự chấm của {chosen.ten}")
    return content


def upload(session: Session, chosen: Sheet, content: bytes, filename: str, *, who: str
           ) -> tuple[VanBan, list[FieldError]]:
    """Read a filled sheet into the unit's tự chấm scores and save it as a new version; return it and the warnings.

    A sheet that cannot be read raises BadInput; scores that are wrong raise ValidationError naming rows and columns.
    """
    imported = scoring_xlsx.read(chosen.data, content, filename, chosen.index)
    record = records.save(session, "bang_diem", imported.data, who=who,
                          record_id=chosen.record.id, draft=chosen.record.nhap,
                          expected_version=chosen.record.phien_ban)
    return record, imported.warnings
