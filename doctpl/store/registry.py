"""The dated registry, read as of a date: khối/cụm, bodies, memberships, yearly roles, names no longer in force.

Every name, ký hiệu, chủ quản, địa danh, head and deputy, the thể thức and the cấp ủy's nhiệm kỳ is a
fact over a date range (ThuocTinh), so a 2021 document is prefilled with the names of 2021 and a 2027
one with those of 2027, and a Party body's documents are numbered within the term covering their date. A body
that ended points at its successor (ke_tiep), which is how a merged or renamed body is found.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from doctpl.store.db import fetch
from doctpl.store.models import DonVi, Khoi, ThanhVien, ThuocTinh, VaiTro
from doctpl.the_thuc import LABELS as THE_THUC_LABELS
from doctpl.the_thuc import NHA_NUOC
from doctpl.vn.dates import short_date
from doctpl.vn.text import fold

KHOI_FACTS = ("ten", "ky_hieu", "chu_quan", "dia_danh", "the_thuc", "nhiem_ky")
BODY_FACTS = ("ten", "ten_ngan", "ky_hieu", "chu_quan", "dia_danh", "thu_truong", "chuc_vu_thu_truong", "cap_pho",
              "chuc_vu_cap_pho", "the_thuc", "nhiem_ky")
ROLES = {"truong_khoi": "Trưởng khối", "pho_khoi": "Phó khối"}
FACT_LABELS = {"ten": "Tên", "ten_khac": "Tên gọi khác", "ten_ngan": "Tên ngắn", "ky_hieu": "Ký hiệu",
               "chu_quan": "Cơ quan chủ quản", "dia_danh": "Địa danh", "thu_truong": "Người đứng đầu",
               "chuc_vu_thu_truong": "Chức vụ người đứng đầu", "cap_pho": "Cấp phó",
               "chuc_vu_cap_pho": "Chức vụ cấp phó", "the_thuc": "Thể thức văn bản", "nhiem_ky": "Nhiệm kỳ",
               "nguon": "Nguồn, ghi chú"}
_TERM = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")
MAX_CHAIN = 5  # how far up the chủ quản a body's nhiệm kỳ is looked for
MAX_PHO = 2  # provinces' guidance allows up to two phó khối a year


def name_key(name: str) -> str:
    """Return the comparison key of a name: folded (lower case, new-style tone marks), single spaces."""
    return " ".join(fold(name).split())


def in_range(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Tell whether `on` falls within [start, end]; a missing bound is open."""
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass(frozen=True)
class Body:
    """A khối or a body of the registry as it stood on one date."""

    id: int
    ma: str
    is_khoi: bool
    loai: str = ""  # khoi | cum for a khối; "" for a body
    ten: str = ""
    ten_ngan: str = ""
    ky_hieu: str = ""
    chu_quan: str = ""
    dia_danh: str = ""
    thu_truong: str = ""
    chuc_vu_thu_truong: str = ""
    cap_pho: str = ""
    chuc_vu_cap_pho: str = ""
    the_thuc: str = ""  # nha_nuoc | dang as the registry records it that day; "" when it records none
    nhiem_ky: str = ""  # the body's own nhiệm kỳ in force that day ("2025–2030"), "" when none is recorded
    tu_ngay: dt.date | None = None
    den_ngay: dt.date | None = None
    ke_tiep_id: int | None = None
    on: dt.date = dt.date.max

    def exists(self, on: dt.date) -> bool:
        """Tell whether the khối or body existed on `on`."""
        return in_range(self.tu_ngay, self.den_ngay, on)

    @property
    def the_thuc_label(self) -> str:
        """Return «Đảng» or «Nhà nước» (NĐ 30 when the registry records nothing)."""
        return THE_THUC_LABELS.get(self.the_thuc or NHA_NUOC, self.the_thuc)

    @property
    def span(self) -> str:
        """Return "từ 01/01/2019 đến 30/06/2025" (or the open bounds left out)."""
        parts = [f"từ {short_date(self.tu_ngay)}" if self.tu_ngay else "",
                 f"đến {short_date(self.den_ngay)}" if self.den_ngay else "đến nay"]
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Roles:
    """The trưởng khối and the phó khối (up to two) of one year."""

    truong: Body | None = None
    pho: tuple[Body, ...] = field(default_factory=tuple)

    def of(self, body_id: int) -> str:
        """Return the role code a body holds ("" when none)."""
        if self.truong and self.truong.id == body_id:
            return "truong_khoi"
        return "pho_khoi" if any(p.id == body_id for p in self.pho) else ""


def _pick(facts: Iterable[ThuocTinh], on: dt.date, nearest: bool) -> dict[str, str]:
    """Return each field's value on `on`.

    With `nearest` (the khối or body did not exist on `on`), a field takes the value it had last, or
    will have first: an ended body keeps its last name. Otherwise a field with no fact that day is
    empty: a head whose term ended is no longer the head.
    """
    best: dict[str, tuple[int, dt.date, str]] = {}
    for fact in facts:
        start = fact.tu_ngay or dt.date.min
        if in_range(fact.tu_ngay, fact.den_ngay, on):
            rank = (2, start)
        elif not nearest:
            continue
        elif start <= on:
            rank = (1, start)  # ended before `on`: the last value it had
        else:
            rank = (0, dt.date.max - (start - dt.date.min))  # begins after `on`: the earliest
        if fact.truong not in best or rank > best[fact.truong][:2]:
            best[fact.truong] = (*rank, fact.gia_tri)
    return {name: value for name, (_, _, value) in best.items()}


def facts_of(session: Session, owner: Khoi | DonVi) -> list[ThuocTinh]:
    """Return every dated fact of a khối or a body, oldest first."""
    column = ThuocTinh.khoi_id if isinstance(owner, Khoi) else ThuocTinh.don_vi_id
    return list(session.scalars(select(ThuocTinh).where(column == owner.id).order_by(ThuocTinh.id)))


def view(session: Session, owner: Khoi | DonVi, on: dt.date) -> Body:
    """Return a khối or a body as it stood on `on`."""
    values = _pick(facts_of(session, owner), on, nearest=not in_range(owner.tu_ngay, owner.den_ngay, on))
    names = KHOI_FACTS if isinstance(owner, Khoi) else BODY_FACTS
    return Body(owner.id, owner.ma, isinstance(owner, Khoi), getattr(owner, "loai", ""),
                **{name: values.get(name, "") for name in names}, tu_ngay=owner.tu_ngay, den_ngay=owner.den_ngay,
                ke_tiep_id=owner.ke_tiep_id, on=on)


def get_khoi(session: Session, khoi_id: int) -> Khoi:
    """Return a khối row or raise NotFound."""
    return fetch(session, Khoi, khoi_id, "khối")


def get_don_vi(session: Session, don_vi_id: int) -> DonVi:
    """Return a body row or raise NotFound."""
    return fetch(session, DonVi, don_vi_id, "đơn vị")


def khoi_on(session: Session, khoi_id: int, on: dt.date) -> Body:
    """Return a khối as it stood on `on`."""
    return view(session, get_khoi(session, khoi_id), on)


def body_on(session: Session, don_vi_id: int, on: dt.date) -> Body:
    """Return a body as it stood on `on`."""
    return view(session, get_don_vi(session, don_vi_id), on)


def khoi_list(session: Session, on: dt.date | None = None) -> list[Body]:
    """Return every khối (with its names on `on`, today by default), those still in being first."""
    on = on or dt.date.today()
    found = [view(session, khoi, on) for khoi in session.scalars(select(Khoi).order_by(Khoi.id))]
    return sorted(found, key=lambda k: (not k.exists(on), k.id))


def bodies(session: Session, on: dt.date | None = None) -> list[Body]:
    """Return every body of the registry with its names on `on`."""
    on = on or dt.date.today()
    return [view(session, unit, on) for unit in session.scalars(select(DonVi).order_by(DonVi.id))]


def memberships(session: Session, khoi_id: int) -> list[ThanhVien]:
    """Return every membership of a khối, past and present, in list order."""
    return list(session.scalars(select(ThanhVien).where(ThanhVien.khoi_id == khoi_id)
                                .order_by(ThanhVien.thu_tu, ThanhVien.id)))


def memberships_of(session: Session, don_vi_id: int) -> list[ThanhVien]:
    """Return every membership a body has had, oldest first."""
    return list(session.scalars(select(ThanhVien).where(ThanhVien.don_vi_id == don_vi_id).order_by(ThanhVien.id)))


def members(session: Session, khoi_id: int, on: dt.date) -> list[Body]:
    """Return the member bodies of a khối on `on`, in list order, with their names of that day."""
    out = []
    for link in memberships(session, khoi_id):
        if in_range(link.tu_ngay, link.den_ngay, on):
            unit = view(session, get_don_vi(session, link.don_vi_id), on)
            if unit.exists(on):
                out.append(unit)
    return out


def khoi_of(session: Session, don_vi_id: int, on: dt.date) -> int | None:
    """Return the khối a body belongs to on `on` (None when it belongs to none)."""
    found = [link for link in memberships_of(session, don_vi_id) if in_range(link.tu_ngay, link.den_ngay, on)]
    return found[-1].khoi_id if found else None


def roles(session: Session, khoi_id: int, nam: int) -> Roles:
    """Return the trưởng khối and phó khối of `nam`, with their names on 1 January of that year."""
    on = dt.date(nam, 1, 1)
    rows = list(session.scalars(select(VaiTro).where(VaiTro.khoi_id == khoi_id, VaiTro.nam == nam)
                                .order_by(VaiTro.thu_tu, VaiTro.id)))
    truong = [body_on(session, row.don_vi_id, on) for row in rows if row.vai_tro == "truong_khoi"]
    pho = tuple(body_on(session, row.don_vi_id, on) for row in rows if row.vai_tro == "pho_khoi")
    return Roles(truong[0] if truong else None, pho)


def role_years(session: Session, khoi_id: int) -> list[int]:
    """Return the years that have roles set, in order."""
    return list(session.scalars(select(VaiTro.nam).where(VaiTro.khoi_id == khoi_id).distinct().order_by(VaiTro.nam)))


def successor(session: Session, owner: Khoi | DonVi, on: dt.date) -> Khoi | DonVi | None:
    """Return what stands for `owner` on `on`: itself, the end of its successor chain, or None when it ended."""
    seen = set()
    current: Khoi | DonVi | None = owner
    while current is not None and not in_range(current.tu_ngay, current.den_ngay, on):
        if current.ke_tiep_id is None or current.id in seen:
            return None
        seen.add(current.id)
        current = session.get(type(current), current.ke_tiep_id)
    return current


def predecessors(session: Session, unit: DonVi) -> list[DonVi]:
    """Return the bodies that ended into `unit` (merged into it, or replaced by it)."""
    return list(session.scalars(select(DonVi).where(DonVi.ke_tiep_id == unit.id).order_by(DonVi.id)))


def stale_names(session: Session, on: dt.date) -> dict[str, str]:
    """Return every registry name (of a khối, a body or a chủ quản) not in force on `on`, with why, in words.

    A name some khối or body still carries on `on` is never listed, whoever carried it before.
    """
    live: set[str] = set()
    candidates: dict[str, tuple[str, str]] = {}  # key -> (the name as written, why it no longer holds)
    for model in (Khoi, DonVi):
        for owner in session.scalars(select(model)):
            exists = in_range(owner.tu_ngay, owner.den_ngay, on)
            for fact in facts_of(session, owner):
                if fact.truong not in ("ten", "ten_khac", "chu_quan") or not fact.gia_tri:
                    continue
                key = name_key(fact.gia_tri)
                if exists and in_range(fact.tu_ngay, fact.den_ngay, on):
                    live.add(key)
                elif key not in candidates:
                    candidates[key] = (fact.gia_tri, _why(session, owner, fact, on))
    return {name: reason for key, (name, reason) in candidates.items() if key not in live}


def _why(session: Session, owner: Khoi | DonVi, fact: ThuocTinh, on: dt.date) -> str:
    """Say why a name no longer holds on `on`, naming what stands for it now."""
    ended = fact.den_ngay if fact.den_ngay and (owner.den_ngay is None or fact.den_ngay < owner.den_ngay) \
        else owner.den_ngay
    since = f" từ ngày {short_date(ended + dt.timedelta(days=1))}" if ended else ""
    what = "tên cơ quan chủ quản" if fact.truong == "chu_quan" else "tên này"
    now = successor(session, owner, on)
    if now is None:
        return f"{what} không còn dùng{since}"
    current = view(session, now, on)
    if fact.truong == "chu_quan":
        return f"{what} không còn dùng{since}; nay là «{current.chu_quan}»" if current.chu_quan else \
            f"{what} không còn dùng{since}"
    return f"{what} không còn dùng{since}; nay là «{current.ten}»"


def find_by_name(session: Session, text: str) -> tuple[DonVi | Khoi | None, int]:
    """Return the body or khối whose name (or other name) `text` starts with, and that name's length.

    The longest name wins («Hội đồng TĐ-KT Thành phố (thay b/c)» is the council, with a suffix).
    """
    key = name_key(text)
    best: tuple[int, ThuocTinh | None] = (0, None)
    for fact in session.scalars(select(ThuocTinh).where(ThuocTinh.truong.in_(("ten", "ten_khac")))
                                .order_by(ThuocTinh.id)):
        name = name_key(fact.gia_tri)
        boundary = len(key) == len(name) or not key[len(name):len(name) + 1].isalnum()
        if name and key.startswith(name) and boundary and len(name) > best[0]:
            best = (len(name), fact)
    fact = best[1]
    if fact is None:
        return None, 0
    owner = session.get(DonVi, fact.don_vi_id) if fact.don_vi_id else session.get(Khoi, fact.khoi_id)
    return owner, len(fact.gia_tri)


def match_issuer(session: Session, ky_hieu: str, ten: str, on: dt.date) -> tuple[int | None, int | None]:
    """Return (khối id, body id) of the issuing body a document names, as of `on`; (None, None) when unknown.

    A body is recognised by its ký hiệu and name; a khối by either, as khối documents name the khối.
    """
    wanted_sign, wanted_name = name_key(ky_hieu), name_key(ten)
    query = select(ThuocTinh).where(ThuocTinh.truong.in_(("ky_hieu", "ten")),
                                    or_(ThuocTinh.tu_ngay.is_(None), ThuocTinh.tu_ngay <= on),
                                    or_(ThuocTinh.den_ngay.is_(None), ThuocTinh.den_ngay >= on))
    signs: dict[tuple[str, int], set[str]] = {}
    for fact in session.scalars(query):
        owner = ("khoi", fact.khoi_id) if fact.khoi_id else ("don_vi", fact.don_vi_id)
        signs.setdefault(owner, set()).add(name_key(fact.gia_tri))
    for (model, owner_id), known in sorted(signs.items(), key=lambda item: item[0][0] == "khoi"):
        if wanted_sign in known and wanted_name in known:
            if model == "khoi":
                return owner_id, None
            return khoi_of(session, owner_id, on), owner_id
    for (model, owner_id), known in signs.items():
        if model == "khoi" and (wanted_sign in known or wanted_name in known):
            return owner_id, None
    return None, None


@dataclass(frozen=True)
class Term:
    """A nhiệm kỳ of a cấp ủy as the registry records it: "2025–2030", its first and last day, whose it is."""

    ten: str
    tu_ngay: dt.date | None
    den_ngay: dt.date | None
    cua: str = ""  # the name of the khối or body the term is recorded on (the issuer, or its chủ quản)

    @property
    def span(self) -> str:
        """Return "từ 11/10/2025" or "từ 31/07/2020 đến 30/06/2025"."""
        parts = [f"từ {short_date(self.tu_ngay)}" if self.tu_ngay else "",
                 f"đến {short_date(self.den_ngay)}" if self.den_ngay else ""]
        return " ".join(part for part in parts if part)


def term_label(value: str) -> str | None:
    """Return a nhiệm kỳ written the one way ("2025-2030" -> "2025–2030"), or None when it is not one."""
    match = _TERM.match(value or "")
    if not match or not 0 < int(match.group(2)) - int(match.group(1)) <= 10:
        return None
    return f"{match.group(1)}–{match.group(2)}"


def terms_of(session: Session, owner: Khoi | DonVi) -> list[ThuocTinh]:
    """Return the nhiệm kỳ recorded on a khối or a body, oldest first."""
    return sorted((fact for fact in facts_of(session, owner) if fact.truong == "nhiem_ky"),
                  key=lambda fact: fact.tu_ngay or dt.date.min)


def own_term(session: Session, owner: Khoi | DonVi, on: dt.date) -> Term | None:
    """Return the nhiệm kỳ recorded on `owner` itself that covers `on`."""
    for fact in terms_of(session, owner):
        if in_range(fact.tu_ngay, fact.den_ngay, on):
            return Term(fact.gia_tri, fact.tu_ngay, fact.den_ngay, view(session, owner, on).ten)
    return None


def term(session: Session, owner: Khoi | DonVi, on: dt.date) -> Term | None:
    """Return the nhiệm kỳ a Party document of `owner` dated `on` is numbered within (HD 05 I.3.1.1.b), or None.

    A body numbers within its own recorded term, else its cấp ủy's: the term of its chủ quản, up the chain.
    A khối numbers within a term only when one is recorded on the khối itself: HD 05 does not say that a
    khối thi đua is a body set up by the cấp ủy, so per term or per calendar year is the khối's choice.
    """
    seen: set[tuple[str, int]] = set()
    current: Khoi | DonVi | None = owner
    while current is not None and len(seen) < MAX_CHAIN:
        seen.add((type(current).__name__, current.id))
        found = own_term(session, current, on)
        if found is not None or isinstance(current, Khoi):
            return found
        chu_quan = view(session, current, on).chu_quan
        parent = find_by_name(session, chu_quan)[0] if chu_quan else None
        if parent is None or (type(parent).__name__, parent.id) in seen:
            return None
        current = parent
    return None


def by_sign(session: Session, ky_hieu: str, on: dt.date) -> Khoi | DonVi | None:
    """Return the one khối or body that existed on `on` with ký hiệu `ky_hieu` then; None when none or several."""
    wanted = name_key(ky_hieu)
    found: dict[tuple[str, int], Khoi | DonVi] = {}
    for fact in session.scalars(select(ThuocTinh).where(ThuocTinh.truong == "ky_hieu")):
        if name_key(fact.gia_tri) != wanted or not in_range(fact.tu_ngay, fact.den_ngay, on):
            continue
        owner = session.get(DonVi, fact.don_vi_id) if fact.don_vi_id else session.get(Khoi, fact.khoi_id)
        if owner is not None and in_range(owner.tu_ngay, owner.den_ngay, on):
            found[(type(owner).__name__, owner.id)] = owner
    return next(iter(found.values())) if len(found) == 1 else None


def issuer(session: Session, ky_hieu: str, ten: str, on: dt.date) -> Khoi | DonVi | None:
    """Return the khối or body of the registry that issues under `ky_hieu` (named `ten`, when known) on `on`."""
    if ten:
        khoi_id, body_id = match_issuer(session, ky_hieu, ten, on)
        if body_id is not None:
            return get_don_vi(session, body_id)
        if khoi_id is not None:
            return get_khoi(session, khoi_id)
    return by_sign(session, ky_hieu, on) if ky_hieu else None


def the_thuc_of(session: Session, owner: Khoi | DonVi, on: dt.date) -> str:
    """Return the thể thức the registry records for `owner` on `on`: its own, a body's else its khối's; "" for none."""
    own = view(session, owner, on).the_thuc
    if own or isinstance(owner, Khoi):
        return own
    khoi_id = khoi_of(session, owner.id, on)
    return khoi_on(session, khoi_id, on).the_thuc if khoi_id else ""
