"""Changes to the dated registry, each from a date: create, rename, end, merge, move, succeed, yearly roles.

History is never overwritten: a change from a date closes the fact in force the day before and
opens a new one, so documents of earlier dates keep the names they had. A change with no date
corrects the value in force (a typing error, not an event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from doctpl import the_thuc
from doctpl.errors import FieldError, ValidationError
from doctpl.fields import Choice, Date, Group, Text
from doctpl.parts.header import check_ky_hieu
from doctpl.store.models import DonVi, Khoi, ThanhVien, ThuocTinh, VaiTro
from doctpl.store.registry import BODY_FACTS, KHOI_FACTS, MAX_PHO, ROLES, facts_of, in_range, term_label, terms_of
from doctpl.store.registry import view as registry_view
from doctpl.vn.dates import short_date

DAY = dt.timedelta(days=1)
_SINCE = Date("tu_ngay", "Áp dụng từ ngày", required=False,
              help="Ngày thay đổi có hiệu lực; văn bản trước ngày này giữ tên cũ. Để trống khi chỉ sửa lỗi nhập.")
_NAMES = [
    Text("ten", "Tên", max_len=120, help="Tên đầy đủ như in trên văn bản, ví dụ Ban Tuyên giáo và Dân vận Tỉnh ủy."),
    Text("ky_hieu", "Ký hiệu (chữ viết tắt trong số, ký hiệu văn bản)", max_len=30, check=check_ky_hieu),
    Text("chu_quan", "Cơ quan chủ quản", required=False, max_len=120),
    Text("dia_danh", "Địa danh", required=False, max_len=60),
]
_THE_THUC = Choice("the_thuc", "Thể thức văn bản", choices=the_thuc.CHOICES, default=the_thuc.NHA_NUOC,
                   help="Văn bản của khối, cụm hoặc đơn vị được trình bày và đánh số theo thể thức này: cơ quan nhà "
                        "nước theo Nghị định 30/2020/NĐ-CP, cơ quan, tổ chức đảng theo hướng dẫn của Văn phòng "
                        "Trung ương Đảng.")
KHOI_FORM = Group("khoi", "Khối, cụm thi đua", fields=[
    *_NAMES, Choice("loai", "Loại", choices={"khoi": "Khối thi đua", "cum": "Cụm thi đua"}, default="khoi"),
    _THE_THUC, _SINCE])
DON_VI_FORM = Group("don_vi", "Đơn vị", fields=[
    *_NAMES,
    Text("ten_ngan", "Tên ngắn", required=False, max_len=60),
    Text("thu_truong", "Người đứng đầu", required=False, max_len=80),
    Text("chuc_vu_thu_truong", "Chức vụ người đứng đầu", required=False, max_len=120),
    Text("cap_pho", "Cấp phó", required=False, max_len=80),
    Text("chuc_vu_cap_pho", "Chức vụ cấp phó", required=False, max_len=120),
    _THE_THUC, _SINCE,
])


def check_term(value: str) -> list[str]:
    """Return why `value` cannot be a nhiệm kỳ (empty when it can)."""
    return [] if term_label(value) else ["ghi năm đầu và năm cuối của nhiệm kỳ, ví dụ 2025–2030."]


def _term_span(values: dict[str, Any], path: str) -> list[FieldError]:
    start, end = values.get("tu_ngay"), values.get("den_ngay")
    if start and end and end < start:
        return [FieldError("den_ngay", "«Đến ngày» phải sau «Từ ngày».")]
    return []


TERM_FORM = Group("nhiem_ky", "Nhiệm kỳ", checks=(_term_span,), fields=[
    Text("nhiem_ky", "Nhiệm kỳ", max_len=20, check=check_term, placeholder="2025–2030",
         help="Nhiệm kỳ của cấp ủy, ví dụ 2025–2030. Văn bản theo thể thức của Đảng được đánh số riêng từng loại "
              "từ 01 trong mỗi nhiệm kỳ (Hướng dẫn 05-HD/VPTW, mục I.3.1.1.b)."),
    Date("tu_ngay", "Từ ngày", help="Ngày bế mạc đại hội (hoặc ngày khai mạc hội nghị lần thứ nhất của cấp ủy họp "
                                     "trong đại hội; ngày quyết định chỉ định cấp ủy có hiệu lực)."),
    Date("den_ngay", "Đến ngày", required=False,
         help="Để trống khi chưa có nhiệm kỳ sau: nhiệm kỳ này kết thúc khi nhiệm kỳ sau được ghi."),
])
CHANGE_DATE = Group("thay_doi", "Thay đổi", fields=[Date("tu_ngay", "Từ ngày")])


def convert(form: Group, raw: Any) -> dict[str, Any]:
    """Return the converted values of a registry form or raise ValidationError naming each field."""
    errors: list[FieldError] = []
    values = form.convert(raw, "", errors)
    if errors:
        raise ValidationError(errors)
    return values


def _fail(field: str, message: str) -> None:
    raise ValidationError([FieldError(field, message)])


def set_fact(session: Session, owner: Khoi | DonVi, truong: str, value: str, since: dt.date | None) -> None:
    """Give `owner` the value `value` for `truong` from `since` (None: correct the value in force)."""
    facts = [f for f in facts_of(session, owner) if f.truong == truong]
    if since is None:
        current = max(facts, key=lambda f: f.tu_ngay or dt.date.min, default=None)
        if current is None:
            if value:
                session.add(_fact(owner, truong, value, None))
        else:
            current.gia_tri = value
        return
    before = [f for f in facts if (f.tu_ngay or dt.date.min) < since]
    in_force = max(before, key=lambda f: f.tu_ngay or dt.date.min, default=None)
    for fact in facts:
        if fact not in before:
            session.delete(fact)  # replaced by the change from `since`
        elif fact.den_ngay is None or fact.den_ngay >= since:
            fact.den_ngay = since - DAY
    if in_force is not None and in_force.gia_tri == value:
        in_force.den_ngay = None  # no change after all: the old fact goes on
    elif value:
        session.add(_fact(owner, truong, value, since))
    session.flush()


def _fact(owner: Khoi | DonVi, truong: str, value: str, since: dt.date | None) -> ThuocTinh:
    key = {"khoi_id": owner.id} if isinstance(owner, Khoi) else {"don_vi_id": owner.id}
    return ThuocTinh(**key, truong=truong, gia_tri=value, tu_ngay=since)


def _new_code(session: Session, model: type[Khoi] | type[DonVi], prefix: str) -> str:
    number = (session.scalar(select(func.count()).select_from(model)) or 0) + 1
    while session.scalar(select(model.id).where(model.ma == f"{prefix}{number}")) is not None:
        number += 1
    return f"{prefix}{number}"


def _write(session: Session, owner: Khoi | DonVi, values: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in values and name != "nhiem_ky":  # a term has its own dates (set_term)
            set_fact(session, owner, name, values[name] or "", values.get("tu_ngay"))


def _converted(form: Group, raw: Any) -> dict[str, Any]:
    """Convert a khối or body form; a thể thức not given at all is not recorded (it stays as it was)."""
    values = convert(form, raw)
    if not (isinstance(raw, Mapping) and raw.get("the_thuc")):
        values.pop("the_thuc", None)
    return values


def create_khoi(session: Session, raw: Any, *, ma: str = "") -> Khoi:
    """Create a khối from form or JSON values; its facts start on «Áp dụng từ ngày» (or always)."""
    values = _converted(KHOI_FORM, raw)
    khoi = Khoi(ma=ma or _new_code(session, Khoi, "K"), loai=values["loai"], tu_ngay=values["tu_ngay"])
    session.add(khoi)
    session.flush()
    _write(session, khoi, values, KHOI_FACTS)
    return khoi


def update_khoi(session: Session, khoi: Khoi, raw: Any) -> None:
    """Change a khối's names from «Áp dụng từ ngày», or correct them when no date is given."""
    values = _converted(KHOI_FORM, raw)
    khoi.loai = values["loai"]
    _write(session, khoi, values, KHOI_FACTS)


def create_body(session: Session, raw: Any, *, khoi: Khoi | None = None, ma: str = "") -> DonVi:
    """Create a body, a member of `khoi` from «Áp dụng từ ngày» when one is given."""
    values = _converted(DON_VI_FORM, raw)
    unit = DonVi(ma=ma or _new_code(session, DonVi, "DV"), tu_ngay=values["tu_ngay"])
    session.add(unit)
    session.flush()
    _write(session, unit, values, BODY_FACTS)
    if khoi is not None:
        join(session, khoi, unit, values["tu_ngay"])
    return unit


def update_body(session: Session, unit: DonVi, raw: Any) -> None:
    """Change a body's names or heads from «Áp dụng từ ngày», or correct them when no date is given."""
    _write(session, unit, _converted(DON_VI_FORM, raw), BODY_FACTS)


def join(session: Session, khoi: Khoi, unit: DonVi, since: dt.date | None, end: dt.date | None = None) -> ThanhVien:
    """Make `unit` a member of `khoi` from `since`, last in the khối's list."""
    last = session.scalar(select(func.max(ThanhVien.thu_tu)).where(ThanhVien.khoi_id == khoi.id)) or 0
    link = ThanhVien(khoi_id=khoi.id, don_vi_id=unit.id, tu_ngay=since, den_ngay=end, thu_tu=last + 1)
    session.add(link)
    session.flush()
    return link


def _leave(session: Session, unit: DonVi, on: dt.date, khoi_id: int | None = None) -> list[ThanhVien]:
    """End the unit's memberships (of one khối, or all) the day before `on`; return those ended."""
    query = select(ThanhVien).where(ThanhVien.don_vi_id == unit.id)
    if khoi_id is not None:
        query = query.where(ThanhVien.khoi_id == khoi_id)
    ended = []
    for link in session.scalars(query):
        if in_range(link.tu_ngay, link.den_ngay, on):
            link.den_ngay = on - DAY
            ended.append(link)
    return ended


def _alive(owner: Khoi | DonVi, on: dt.date, field: str, what: str) -> None:
    if not in_range(owner.tu_ngay, owner.den_ngay, on):
        _fail(field, f"{what} không còn tồn tại vào ngày {short_date(on)}.")


def end(session: Session, owner: Khoi | DonVi, on: dt.date) -> None:
    """Dissolve a body or a khối from `on` (its last day is the day before); memberships end with it."""
    _alive(owner, on, "tu_ngay", "Đơn vị" if isinstance(owner, DonVi) else "Khối")
    if owner.tu_ngay and on <= owner.tu_ngay:
        _fail("tu_ngay", f"Ngày giải thể phải sau ngày thành lập {short_date(owner.tu_ngay)}.")
    owner.den_ngay = on - DAY
    if isinstance(owner, DonVi):
        _leave(session, owner, on)
    else:
        for link in session.scalars(select(ThanhVien).where(ThanhVien.khoi_id == owner.id)):
            if in_range(link.tu_ngay, link.den_ngay, on):
                link.den_ngay = on - DAY
    session.flush()


def merge(session: Session, units: list[DonVi], raw: Any, on: dt.date, khoi: Khoi | None = None) -> DonVi:
    """Merge `units` into a new body from `on`; each records the new one as its successor.

    The new body joins `khoi`, or the khối the first of them belonged to the day before.
    """
    if len(units) < 2:
        _fail("hop_nhat", "Cần chọn ít nhất hai đơn vị để hợp nhất.")
    for unit in units:
        _alive(unit, on - DAY, "hop_nhat", "Đơn vị được hợp nhất")
    homes = [link.khoi_id for unit in units for link in _leave(session, unit, on)]
    first = registry_view(session, units[0], on - DAY)
    inherited = {name: getattr(first, name) for name in ("chu_quan", "dia_danh", "the_thuc")
                 if not (raw or {}).get(name) and getattr(first, name)}
    new = create_body(session, {**raw, **inherited, "tu_ngay": on.isoformat()})
    target = khoi or (session.get(Khoi, homes[0]) if homes else None)
    if target is not None:
        join(session, target, new, on)
    for unit in units:
        unit.den_ngay, unit.ke_tiep_id = on - DAY, new.id
    session.flush()
    return new


def move(session: Session, unit: DonVi, khoi: Khoi, on: dt.date) -> None:
    """Move a body to another khối from `on`; its history in the old khối is kept."""
    _alive(unit, on, "khoi_moi", "Đơn vị")
    _alive(khoi, on, "khoi_moi", "Khối mới")
    _leave(session, unit, on)
    join(session, khoi, unit, on)


def succeed(session: Session, old: Khoi, raw: Any, on: dt.date, carried: list[DonVi] = ()) -> Khoi:
    """Start a khối from `on` as the successor of `old`, which ends the day before; `carried` units move over."""
    _alive(old, on - DAY, "tu_ngay", "Khối cũ")
    new = create_khoi(session, {**raw, "tu_ngay": on.isoformat()})
    for unit in carried:
        move(session, unit, new, on)
    end(session, old, on)
    old.ke_tiep_id = new.id
    session.flush()
    return new


def set_roles(session: Session, khoi: Khoi, nam: int, truong: int | None, pho: list[int]) -> None:
    """Set the trưởng khối and up to two phó khối of `nam`; each must be a member of the khối that year."""
    pho = [unit_id for unit_id in dict.fromkeys(pho) if unit_id]
    if len(pho) > MAX_PHO:
        _fail("pho_khoi", f"Mỗi năm có tối đa {MAX_PHO} phó khối.")
    if truong and truong in pho:
        _fail("pho_khoi", "Đơn vị trưởng khối không đồng thời là phó khối.")
    start, finish = dt.date(nam, 1, 1), dt.date(nam, 12, 31)
    links = session.scalars(select(ThanhVien).where(ThanhVien.khoi_id == khoi.id))
    serving = {link.don_vi_id for link in links
               if (link.tu_ngay or dt.date.min) <= finish and (link.den_ngay or dt.date.max) >= start}
    for role, unit_id in [("truong_khoi", truong), *(("pho_khoi", p) for p in pho)]:
        if unit_id and unit_id not in serving:
            _fail(role, f"{ROLES[role]} năm {nam} phải là đơn vị thành viên của khối trong năm đó.")
    session.execute(delete(VaiTro).where(VaiTro.khoi_id == khoi.id, VaiTro.nam == nam))
    if truong:
        session.add(VaiTro(khoi_id=khoi.id, nam=nam, vai_tro="truong_khoi", don_vi_id=truong, thu_tu=0))
    for order, unit_id in enumerate(pho, start=1):
        session.add(VaiTro(khoi_id=khoi.id, nam=nam, vai_tro="pho_khoi", don_vi_id=unit_id, thu_tu=order))
    session.flush()


def set_term(session: Session, owner: Khoi | DonVi, raw: Any) -> ThuocTinh:
    """Record a nhiệm kỳ of `owner` over its dates; the term before it ends the day before it starts.

    A term already recorded under the same name has its dates corrected. A term left open ends the day
    before the next recorded one starts; two terms never overlap.
    """
    values = convert(TERM_FORM, raw)
    label, start, finish = term_label(values["nhiem_ky"]), values["tu_ngay"], values["den_ngay"]
    first, last = (int(year) for year in label.split("–"))
    if not first - 1 <= start.year <= last:
        _fail("tu_ngay", f"Nhiệm kỳ {label} không thể bắt đầu ngày {short_date(start)}.")
    terms = terms_of(session, owner)
    fact = next((f for f in terms if term_label(f.gia_tri) == label), None)
    others = [f for f in terms if f is not fact]
    if finish is None:
        finish = min((f.tu_ngay - DAY for f in others if f.tu_ngay and f.tu_ngay > start), default=None)
    moved = fact.tu_ngay - DAY if fact is not None and fact.tu_ngay else None  # where the term before ended
    for other in others:
        if (other.tu_ngay or dt.date.min) >= start:
            if finish is None or (other.tu_ngay or dt.date.min) <= finish:
                _fail("tu_ngay", f"Nhiệm kỳ {label} trùng thời gian với nhiệm kỳ {other.gia_tri} "
                                 f"({other.tu_ngay and short_date(other.tu_ngay)}).")
        elif other.den_ngay is None or other.den_ngay >= start or other.den_ngay == moved:
            other.den_ngay = start - DAY  # the term before ends the day before this one starts
    if fact is None:
        fact = _fact(owner, "nhiem_ky", label, start)
        session.add(fact)
    fact.gia_tri, fact.tu_ngay, fact.den_ngay = label, start, finish
    session.flush()
    return fact


def remove_term(session: Session, owner: Khoi | DonVi, label: str) -> None:
    """Remove a nhiệm kỳ recorded by mistake (numbers already given keep their series)."""
    wanted = term_label(label)
    found = [f for f in terms_of(session, owner) if term_label(f.gia_tri) == wanted]
    if not found:
        _fail("nhiem_ky", f"Không có nhiệm kỳ «{label}» để xóa.")
    for fact in found:
        session.delete(fact)
    session.flush()
