"""Roll saved documents into the next year, one record or a khối's whole set, using the registry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from doctpl.errors import FieldError
from doctpl.kind import get_kind
from doctpl.rollover import Rolled, roll
from doctpl.store import audit, records, registry
from doctpl.store.models import VanBan


def plan(session: Session, record_id: int, to_year: int) -> tuple[VanBan, Rolled]:
    """Return the record and its data rolled into `to_year`, nothing saved yet."""
    record = records.get(session, record_id)
    kind = get_kind(record.kind)
    raw = records.data(session, record_id)
    overrides, signer, notes = {}, None, []
    if record.khoi_id:
        fresh = registry.prefill(session, kind.id, record.khoi_id, record.don_vi_id, to_year)
        overrides = {key: fresh[key] for key in ("don_vi_ky", "kinh_gui") if key in fresh}
        before = registry.roles(session, record.khoi_id, record.nam).get("truong_khoi")
        after = registry.roles(session, record.khoi_id, to_year).get("truong_khoi")
        if record.don_vi_id is None and after is None and "nguoi_ky" in raw:
            notes.append(FieldError("nguoi_ky", f"Danh mục chưa có trưởng khối năm {to_year}: kiểm tra người ký."))
        elif record.don_vi_id is None and (before is None or before.id != after.id):
            signer = fresh.get("nguoi_ky")  # a giao ước has no single signer; its grid follows the roles
    rolled = roll(kind, raw, to_year, signer=signer, overrides=overrides)
    rolled.flags.extend(notes)
    return record, rolled


def apply(session: Session, record_id: int, to_year: int, *, who: str) -> tuple[VanBan, Rolled]:
    """Save the rolled record as a new record of `to_year` that remembers where it came from.

    Returns the new record and the roll-over, whose flags say what to review.
    """
    record, rolled = plan(session, record_id, to_year)
    new = records.save(session, record.kind, rolled.data, who=who, khoi_id=record.khoi_id,
                       don_vi_id=record.don_vi_id, tao_tu=record.id)
    audit.log(session, who, "nam_sau", kind=record.kind, van_ban_id=new.id, phien_ban=1,
              chi_tiet=f"từ văn bản số {record.id} năm {record.nam}")
    return new, rolled


def khoi_set(session: Session, khoi_id: int, nam: int) -> list[VanBan]:
    """Return the khối's documents of a year, the latest record of each kind and unit."""
    latest: dict[tuple[str, int | None], VanBan] = {}
    for record in records.find(session, khoi_id=khoi_id, nam=nam):
        latest.setdefault((record.kind, record.don_vi_id), record)
    return sorted(latest.values(), key=lambda r: (get_kind(r.kind).order, r.don_vi_id or 0))
