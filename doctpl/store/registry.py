"""The registry: khối/cụm, member units, yearly roles, and what the forms prefill from them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from doctpl.errors import ValidationError
from doctpl.fields import Choice, Group, Text, walk
from doctpl.kind import get_kind
from doctpl.store.db import fetch
from doctpl.store.models import DonVi, Khoi, VaiTro

ROLES = ("truong_khoi", "pho_khoi")
_ISSUER = [
    Text("ten", "Tên", max_len=150),
    Text("ky_hieu", "Ký hiệu (chữ viết tắt trong số, ký hiệu văn bản)", max_len=30),
    Text("chu_quan", "Cơ quan chủ quản", required=False, max_len=150),
    Text("dia_danh", "Địa danh", required=False, max_len=60),
]
KHOI_FORM = Group("khoi", "Khối, cụm thi đua", fields=[
    *_ISSUER, Choice("loai", "Loại", choices={"khoi": "Khối thi đua", "cum": "Cụm thi đua"}, default="khoi")])
DON_VI_FORM = Group("don_vi", "Đơn vị thành viên", fields=[
    *_ISSUER,
    Text("ten_ngan", "Tên ngắn", required=False, max_len=60),
    Text("thu_truong", "Người đứng đầu", required=False, max_len=80),
    Text("chuc_vu_thu_truong", "Chức vụ người đứng đầu", required=False, max_len=120),
    Text("cap_pho", "Cấp phó", required=False, max_len=80),
    Text("chuc_vu_cap_pho", "Chức vụ cấp phó", required=False, max_len=120),
])


def _convert(form: Group, raw: Any) -> dict[str, Any]:
    errors: list[Any] = []
    values = form.convert(raw, "", errors)
    if errors:
        raise ValidationError(errors)
    return values


def khoi_list(session: Session) -> list[Khoi]:
    """Return every khối."""
    return list(session.scalars(select(Khoi).order_by(Khoi.id)))


def get_khoi(session: Session, khoi_id: int) -> Khoi:
    """Return a khối or raise NotFound."""
    return fetch(session, Khoi, khoi_id, "khối")


def get_don_vi(session: Session, don_vi_id: int) -> DonVi:
    """Return a unit or raise NotFound."""
    return fetch(session, DonVi, don_vi_id, "đơn vị")


def save_khoi(session: Session, raw: Any, khoi: Khoi | None = None) -> Khoi:
    """Create or update a khối from form or JSON values."""
    values = _convert(KHOI_FORM, raw)
    khoi = khoi or Khoi()
    for key, value in values.items():
        setattr(khoi, key, value)
    session.add(khoi)
    session.flush()
    return khoi


def save_don_vi(session: Session, khoi: Khoi, raw: Any, unit: DonVi | None = None) -> DonVi:
    """Create or update a member unit."""
    values = _convert(DON_VI_FORM, raw)
    if unit is None:
        unit = DonVi(thu_tu=len(khoi.don_vi) + 1)
        khoi.don_vi.append(unit)
    for key, value in values.items():
        setattr(unit, key, value)
    session.flush()
    return unit


def roles(session: Session, khoi_id: int, nam: int) -> dict[str, DonVi]:
    """Return the units holding each role in `nam`."""
    rows = session.scalars(select(VaiTro).where(VaiTro.khoi_id == khoi_id, VaiTro.nam == nam))
    return {row.vai_tro: session.get(DonVi, row.don_vi_id) for row in rows}


def set_roles(session: Session, khoi_id: int, nam: int, assigned: dict[str, int | None]) -> None:
    """Set the trưởng khối and phó khối of a year (None leaves a role empty)."""
    session.execute(delete(VaiTro).where(VaiTro.khoi_id == khoi_id, VaiTro.nam == nam))
    for role in ROLES:
        if assigned.get(role):
            session.add(VaiTro(khoi_id=khoi_id, nam=nam, vai_tro=role, don_vi_id=assigned[role]))
    session.flush()


def _has(kind_id: str, name: str) -> bool:
    return any(path == name for path, _ in walk(get_kind(kind_id).fields))


def signer_of(khoi: Khoi, truong: DonVi | None) -> dict[str, str]:
    """Return the signer of a khối document: TM. the khối, the trưởng khối unit's head."""
    if truong is None:
        return {}
    return {"tham_quyen": "TM", "thay_mat": khoi.ten, "chuc_vu": truong.chuc_vu_thu_truong,
            "ho_ten": truong.thu_truong}


def prefill(session: Session, kind_id: str, khoi_id: int, don_vi_id: int | None, nam: int) -> dict[str, Any]:
    """Return the values a new document takes from the registry for `nam`.

    The issuing body, ký hiệu, địa danh and signer come from the unit (or the khối for khối
    documents); Kính gửi is the trưởng khối; a giao ước lists every unit with its role.
    """
    khoi = get_khoi(session, khoi_id)
    unit = get_don_vi(session, don_vi_id) if don_vi_id else None
    issuer = unit or khoi
    held = roles(session, khoi_id, nam)
    truong = held.get("truong_khoi")
    out: dict[str, Any] = {
        "co_quan": {"chu_quan": issuer.chu_quan, "ten": issuer.ten, "ky_hieu": issuer.ky_hieu},
        "dia_danh": issuer.dia_danh or khoi.dia_danh, "nam": nam,
    }
    if unit is not None:
        out["nguoi_ky"] = {"tham_quyen": "", "thay_mat": "", "chuc_vu": unit.chuc_vu_thu_truong,
                           "ho_ten": unit.thu_truong}
    elif truong is not None:
        out["nguoi_ky"] = signer_of(khoi, truong)
    if _has(kind_id, "kinh_gui") and unit is not None and truong is not None and truong.id != unit.id:
        out["kinh_gui"] = [f"{truong.ten} (Trưởng {khoi.ten})"]
    if _has(kind_id, "don_vi_ky") and len(khoi.don_vi) >= 2:
        role_of = {u.id: role for role, u in held.items()}
        out["don_vi_ky"] = [{"ten": u.ten, "vai_tro": role_of.get(u.id, ""), "tham_quyen": "", "thay_mat": "",
                             "chuc_vu": u.chuc_vu_thu_truong, "ho_ten": u.thu_truong} for u in khoi.don_vi]
    declared = {f.name for f in get_kind(kind_id).fields}
    return {key: value for key, value in out.items() if key in declared}
