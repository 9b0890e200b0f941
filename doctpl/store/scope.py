"""What an account may reach: a văn thư its unit, a khối's secretariat the khối and its members, an admin all.

Whatever lies outside the scope is reported as not found, never as forbidden, so ids outside it
reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from doctpl.errors import NotFound
from doctpl.store import records, registry
from doctpl.store.models import NguoiDung, ThanhVien, ThuocTinh, VanBan


@dataclass(frozen=True)
class Scope:
    """The reach of one account: everything (quan_tri), one khối (thu_ky) or one unit (van_thu)."""

    role: str
    khoi_id: int | None = None
    don_vi_id: int | None = None

    @property
    def everything(self) -> bool:
        """Tell whether the account is a province admin, who reaches every khối and unit."""
        return self.role == "quan_tri"


def of(user: NguoiDung | dict) -> Scope:
    """Return the scope of an account (a row, or the dict the web layer keeps in g.user)."""
    get = user.get if isinstance(user, dict) else lambda name: getattr(user, name)
    return Scope(get("vai_tro"), get("khoi_id"), get("don_vi_id"))


def units(session: Session, scope: Scope) -> set[int] | None:
    """Return the ids of the bodies in reach (None: all): the unit, or every body ever a member of the khối."""
    if scope.everything:
        return None
    if scope.role == "thu_ky" and scope.khoi_id:
        return set(session.scalars(select(ThanhVien.don_vi_id).where(ThanhVien.khoi_id == scope.khoi_id)))
    return {scope.don_vi_id} if scope.role == "van_thu" and scope.don_vi_id else set()


def allows(session: Session, scope: Scope, khoi_id: int | None, don_vi_id: int | None) -> bool:
    """Tell whether a document of this khối and body is in reach."""
    if scope.everything:
        return True
    if don_vi_id:
        return don_vi_id in (units(session, scope) or set())
    return allows_khoi(scope, khoi_id) if khoi_id else False


def allows_khoi(scope: Scope, khoi_id: int) -> bool:
    """Tell whether the account works for the whole khối (its batches, its roll-over)."""
    return scope.everything or (scope.role == "thu_ky" and scope.khoi_id == khoi_id)


def record(session: Session, scope: Scope, record_id: int, *, deleted: bool = False) -> VanBan:
    """Return a record in reach, or raise NotFound exactly as for a record that does not exist."""
    found = records.get(session, record_id, deleted=deleted)
    if not allows(session, scope, found.khoi_id, found.don_vi_id):
        raise NotFound(f"Không có bản lưu #{record_id}.")
    return found


def khoi(session: Session, scope: Scope, khoi_id: int) -> None:
    """Raise NotFound unless the account works for the whole khối."""
    registry.get_khoi(session, khoi_id)
    if not allows_khoi(scope, khoi_id):
        raise NotFound(f"Không có khối số {khoi_id}.")


def visible(session: Session, scope: Scope, found: list[VanBan]) -> list[VanBan]:
    """Keep the records in reach."""
    if scope.everything:
        return found
    reach = units(session, scope) or set()
    own_khoi = scope.khoi_id if scope.role == "thu_ky" else None
    return [r for r in found if (r.don_vi_id in reach if r.don_vi_id else own_khoi and r.khoi_id == own_khoi)]


def issuers(session: Session, scope: Scope) -> set[str] | None:
    """Return every ký hiệu (past and present) whose register the account keeps (None: every register)."""
    if scope.everything:
        return None
    reach = units(session, scope) or set()
    query = select(ThuocTinh.gia_tri).where(ThuocTinh.truong == "ky_hieu")
    signs = set(session.scalars(query.where(ThuocTinh.don_vi_id.in_(reach)))) if reach else set()
    if scope.role == "thu_ky" and scope.khoi_id:
        signs |= set(session.scalars(query.where(ThuocTinh.khoi_id == scope.khoi_id)))
    return {sign.upper() for sign in signs}
