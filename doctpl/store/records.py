"""Saved documents: every document a clerk produces is a record; edits add versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from doctpl import the_thuc
from doctpl.errors import DoctplError, FieldError, NotFound, ValidationError
from doctpl.kind import Kind, get_kind
from doctpl.parts import header
from doctpl.render import Rendered, render_data
from doctpl.store import audit, numbering, registry
from doctpl.store.db import MAX_ID
from doctpl.store.models import DonVi, PhienBan, ThuocTinh, VanBan
from doctpl.vn.dates import short_date
from doctpl.vn.text import without_breaks


def to_json(value: Any) -> Any:
    """Return validated data as JSON values: dates as ISO strings, decimals as strings."""
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def canonical(data: Any) -> str:
    """Return the one JSON text of `data` that is hashed and stored."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256(content: str | bytes) -> str:
    """Return the hex SHA-256 of text or bytes."""
    return hashlib.sha256(content.encode() if isinstance(content, str) else content).hexdigest()


def template_hash(kind: Kind) -> str:
    """Return the hash of the kind's templates (one per version of the rules): what a record was made with."""
    return sha256(b"".join(kind.template_path(rules).read_bytes() for rules in the_thuc.versions()))


class VersionConflict(DoctplError):
    """Another save made a newer version of the record after the clerk opened it: the lost update is refused."""

    status = 409

    def __init__(self, record_id: int, newer: PhienBan, started: int | None):
        self.record_id, self.newer = record_id, newer.phien_ban
        since = f", sau phiên bản {started} mà bạn mở để sửa" if started is not None else ""
        super().__init__(
            f"Bản lưu #{record_id} vừa được {newer.nguoi_luu} lưu thành phiên bản {newer.phien_ban} lúc "
            f"{newer.luu_luc:%H:%M} ngày {short_date(newer.luu_luc.date())}{since}. Nội dung bạn nhập chưa được "
            "lưu để không ghi đè lên phiên bản đó: hãy xem phiên bản mới rồi lưu lại.")


def _next_version(session: Session, record: VanBan, expected: int | None) -> int:
    """Claim the record's next version number, or raise VersionConflict when another save came first.

    The claim is one UPDATE … WHERE phien_ban = the version read: a concurrent save of the same record
    waits for this one's commit and then claims nothing, so it answers the conflict, never a duplicate.
    """
    seen = record.phien_ban
    if expected is None or expected == seen:
        claim = update(VanBan).where(VanBan.id == record.id, VanBan.phien_ban == seen).values(phien_ban=seen + 1)
        if session.execute(claim.execution_options(synchronize_session=False)).rowcount:
            return seen + 1
    newer = session.scalars(select(PhienBan).where(PhienBan.van_ban_id == record.id)
                            .order_by(PhienBan.phien_ban.desc()).limit(1)).one()
    raise VersionConflict(record.id, newer, expected)


def _renders(kind: Kind, data: dict[str, Any]) -> None:
    """Refuse data that validation accepts but the render cannot turn into a .docx: such a record would break."""
    try:
        render_data(kind, data)
    except DoctplError as error:
        raise ValidationError(error.errors()) from error
    except Exception as error:  # whatever the render path raises, the record is not saved
        raise ValidationError([FieldError("", (
            f"Văn bản chưa được lưu: không tạo được tệp .docx từ dữ liệu này ({type(error).__name__}: {error}). "
            "Hãy sửa nội dung vừa nhập, hoặc báo quản trị."))]) from error


def save(session: Session, kind_id: str, raw: Any, *, who: str, khoi_id: int | None = None,
         don_vi_id: int | None = None, record_id: int | None = None, tao_tu: int | None = None,
         lay_so: bool = False, draft: bool = False, expected_version: int | None = None) -> VanBan:
    """Validate and store a document: a new record, or a new version of `record_id`.

    With `lay_so` and no number entered, the next number of the issuing body is taken in the same
    transaction, so a number is never given to a document that was not saved; a number typed by the
    clerk enters the register, or is refused when the issuing body gave it already or cancelled it.
    With `draft`, data that still lacks values is kept as a draft (nhap) instead of refused: it cannot
    be downloaded until the clerk completes it, and its number does not enter the register. A finished
    document is rendered once: data that does not render is refused, never saved. `expected_version`
    is the version an edit started from: a newer one saved since raises VersionConflict (409). A
    record given no khối or body is linked to the registry body its header names, as of its date.
    """
    kind = get_kind(kind_id)
    converted, errors = kind.draft(raw)
    if errors and not draft:
        raise ValidationError(errors)
    data = to_json(converted)
    record = get(session, record_id) if record_id else VanBan(
        kind=kind.id, khoi_id=khoi_id, don_vi_id=don_vi_id, phien_ban=0, tao_tu=tao_tu, nguoi_tao=who)
    if record.kind != kind.id:
        raise NotFound(f"Bản lưu #{record.id} không phải «{kind.title}».")
    number = _next_version(session, record, expected_version) if record_id else 1
    if record.khoi_id is None and record.don_vi_id is None:
        record.khoi_id, record.don_vi_id = registry.match_issuer(
            session, data["co_quan"]["ky_hieu"], data["co_quan"]["ten"], header.document_date(converted))
    line = None
    summary = without_breaks(data.get("trich_yeu") or "") or kind.title_of(converted)
    if lay_so and not data["so"] and not errors:
        line = numbering.take(session, data["co_quan"]["ky_hieu"], data["nam"], kind.ten_loai, kind=kind.id,
                              who=who, trich_yeu=summary, **numbering.document_series(data))
        data["so"] = line.so
    checked = kind.draft(data)[0]
    if not errors:
        _renders(kind, checked)
    typed = not errors and line is None and checked["so"] and checked["so"] != record.so
    record.nam, record.so, record.ngay = checked["nam"], checked["so"], checked["ngay"]
    record.tieu_de = kind.title_of(checked)[:300]
    record.nhap = bool(errors)
    record.phien_ban = number
    record.sua_luc = dt.datetime.now()
    text = canonical(data)
    version = PhienBan(van_ban=record, phien_ban=record.phien_ban, du_lieu=text, ma_mau=template_hash(kind),
                       ma_du_lieu=sha256(text), nguoi_luu=who)
    session.add_all([record, version])
    session.flush()
    if line is not None:
        line.van_ban_id = record.id
    if typed:  # a Số typed by the clerk: into the register, or refused when taken
        numbering.record(session, data["co_quan"]["ky_hieu"], data["nam"], data["so"], kind.ten_loai, kind=kind.id,
                         who=who, trich_yeu=summary, van_ban_id=record.id, **numbering.document_series(data))
    action = ("luu_nhap" if errors else "luu") if record.phien_ban == 1 else "sua"
    audit.log(session, who, action, kind=kind.id, van_ban_id=record.id, phien_ban=record.phien_ban,
              ma_mau=version.ma_mau, ma_du_lieu=version.ma_du_lieu, chi_tiet=record.tieu_de)
    return record


def to_fill(session: Session, record_id: int) -> list[FieldError]:
    """Return what a draft still lacks (nothing for a finished record)."""
    record = get(session, record_id)
    return get_kind(record.kind).draft(data(session, record_id))[1] if record.nhap else []


def delete(session: Session, record_id: int, *, who: str) -> VanBan:
    """Move a record to the bin: hidden from lists and batches, kept with every version, restorable."""
    record = get(session, record_id)
    if record.xoa_luc is None:
        record.xoa_luc, record.xoa_boi = dt.datetime.now(), who
        audit.log(session, who, "xoa", kind=record.kind, van_ban_id=record.id, chi_tiet=record.tieu_de)
    return record


def restore(session: Session, record_id: int, *, who: str) -> VanBan:
    """Bring a deleted record back."""
    record = get(session, record_id, deleted=True)
    twin = session.scalar(select(VanBan).where(
        VanBan.xoa_luc.is_(None), VanBan.kind == record.kind, VanBan.nam == record.nam, VanBan.id != record.id,
        VanBan.khoi_id == record.khoi_id if record.khoi_id else VanBan.khoi_id.is_(None),
        VanBan.don_vi_id == record.don_vi_id if record.don_vi_id else VanBan.don_vi_id.is_(None)))
    if twin is not None and (record.khoi_id or record.don_vi_id):
        raise ValidationError([FieldError("", f"Đã có «{twin.tieu_de}» (bản lưu #{twin.id}) của cùng cơ quan, "
                                              "cùng năm; xóa bản đó trước nếu muốn khôi phục bản này.")])
    if record.xoa_luc is not None:
        record.xoa_luc, record.xoa_boi = None, ""
        audit.log(session, who, "khoi_phuc", kind=record.kind, van_ban_id=record.id, chi_tiet=record.tieu_de)
    return record


def get(session: Session, record_id: int, *, deleted: bool = False) -> VanBan:
    """Return a record or raise NotFound; a deleted one only with `deleted`."""
    record = session.get(VanBan, record_id) if 0 < record_id <= MAX_ID else None
    if record is None:
        raise NotFound(f"Không có bản lưu #{record_id}.")
    if record.xoa_luc is not None and not deleted:
        raise NotFound(f"Bản lưu #{record_id} đã bị xóa; khôi phục trong «Văn bản đã xóa».")
    return record


def version(session: Session, record_id: int, number: int | None = None) -> PhienBan:
    """Return one version of a record (the latest by default)."""
    record = get(session, record_id)
    wanted = number or record.phien_ban
    found = session.scalar(select(PhienBan).where(PhienBan.van_ban_id == record.id, PhienBan.phien_ban == wanted))
    if found is None:  # one version read, not the record's whole history
        raise NotFound(f"Bản lưu #{record_id} không có phiên bản {wanted}.")
    return found


def data(session: Session, record_id: int, number: int | None = None) -> dict[str, Any]:
    """Return the stored data of a version."""
    return json.loads(version(session, record_id, number).du_lieu)


def render_record(session: Session, record_id: int, number: int | None = None, *, who: str) -> Rendered:
    """Render a stored version again (byte-identical for the same data and template) and log it."""
    item = version(session, record_id, number)
    kind = get_kind(item.van_ban.kind)
    document = render_data(kind, kind.validate(json.loads(item.du_lieu)))
    audit.log(session, who, "tai_ve", kind=kind.id, van_ban_id=record_id, phien_ban=item.phien_ban,
              ma_mau=template_hash(kind), ma_du_lieu=item.ma_du_lieu, chi_tiet=sha256(document.content)[:16])
    return document


def find(session: Session, *, khoi_id: int | None = None, don_vi_id: int | None = None, nam: int | None = None,
         kind: str | None = None, deleted: bool = False) -> list[VanBan]:
    """List records by khối, unit, year and kind, newest first: those in use, or with `deleted` those in the bin."""
    query = select(VanBan).order_by(VanBan.nam.desc(), VanBan.id.desc())
    query = query.where(VanBan.xoa_luc.is_not(None) if deleted else VanBan.xoa_luc.is_(None))
    for column, value in ((VanBan.khoi_id, khoi_id), (VanBan.don_vi_id, don_vi_id), (VanBan.nam, nam),
                          (VanBan.kind, kind)):
        if value:
            query = query.where(column == value)
    return list(session.scalars(query))


def years(session: Session) -> list[int]:
    """Return the years that have records, newest first."""
    query = select(VanBan.nam).where(VanBan.xoa_luc.is_(None)).distinct().order_by(VanBan.nam.desc())
    return list(session.scalars(query))


def current_year() -> int:
    """Return this calendar year, the default year of a new document."""
    return dt.date.today().year


@dataclass(frozen=True)
class Latest:
    """A record found by `latest`, with the text of its current version (parsed afresh on each `data`)."""

    record: VanBan
    text: str

    @property
    def data(self) -> dict[str, Any]:
        """Return the stored data, a new copy each time (a batch may start several documents from one record)."""
        return json.loads(self.text)


def latest(session: Session, *, khoi_id: int, kinds: Collection[str], nam: int, exact: bool = False
           ) -> dict[tuple[str, int | None], Latest]:
    """Return the latest live record of each kind and issuer (a unit's id, None for the khối itself) of a khối,
    of `nam` or an earlier year (of `nam` only with `exact`), with its current version's data.

    One query, whatever the history: the database ranks the khối's records of those kinds by year and id
    within each kind and issuer (on the index of migration 0009) and returns only the first of each.
    """
    ranked = select(VanBan.id, func.row_number().over(
        partition_by=(VanBan.kind, VanBan.don_vi_id), order_by=(VanBan.nam.desc(), VanBan.id.desc())).label("rank")
    ).where(VanBan.khoi_id == khoi_id, VanBan.kind.in_(list(kinds)), VanBan.xoa_luc.is_(None),
            VanBan.nam == nam if exact else VanBan.nam <= nam).subquery()
    query = (select(VanBan, PhienBan.du_lieu).join(ranked, ranked.c.id == VanBan.id)
             .join(PhienBan, and_(PhienBan.van_ban_id == VanBan.id, PhienBan.phien_ban == VanBan.phien_ban))
             .where(ranked.c.rank == 1))
    return {(record.kind, record.don_vi_id): Latest(record, text) for record, text in session.execute(query)}


def newest(found: Collection[Latest]) -> Latest | None:
    """Return the newest of some records: the latest year, then the latest saved."""
    return max(found, key=lambda item: (item.record.nam, item.record.id), default=None)


PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, how many rows match in all, which page it is."""

    rows: list[Any]
    total: int
    number: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """Return how many pages the matching rows fill (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """Return the position of the page's first row among all (1-based; 0 when there is none)."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """Return the position of the page's last row among all."""
        return self.first + len(self.rows) - 1 if self.rows else 0


def page_number(value: int | None, total: int, per_page: int = PER_PAGE) -> int:
    """Return a page asked for, kept between the first and the last."""
    return min(max(value or 1, 1), max(1, -(-total // per_page)))


def text_patterns(column: Any, text: str) -> Any:
    """Return a condition: `column` contains `text`, ignoring case as far as the database can.

    SQLite (and PostgreSQL under the C locale) fold only ASCII letters, so the text is also tried as
    typed, in lower case, capitalised and in capitals: «kế hoạch» finds «Kế hoạch», «đăng ký» finds «Đăng ký».
    """
    forms = dict.fromkeys([text, text.lower(), text[:1].upper() + text[1:], text.capitalize(), text.upper()])
    return or_(*(column.icontains(form, autoescape=True) for form in forms))


def page(session: Session, *, khoi_id: int | None = None, don_vi_id: int | None = None, nam: int | None = None,
         kind: str | None = None, deleted: bool = False, q: str = "", units: Collection[int] | None = None,
         own_khoi: int | None = None, number: int | None = None, per_page: int = PER_PAGE) -> Page:
    """Return one page of records, newest first, filtered and searched in the database.

    `units` (None: every record) limits the page to an account's reach: the records of those bodies and,
    with `own_khoi`, the khối's own; `q` searches the title, or finds «#12» (a record) and «12» (a Số).
    """
    query = select(VanBan).where(VanBan.xoa_luc.is_not(None) if deleted else VanBan.xoa_luc.is_(None))
    for column, value in ((VanBan.khoi_id, khoi_id), (VanBan.don_vi_id, don_vi_id), (VanBan.nam, nam),
                          (VanBan.kind, kind)):
        if value:
            query = query.where(column == value)
    if units is not None:
        reach = and_(VanBan.don_vi_id.is_not(None), VanBan.don_vi_id.in_(list(units)))
        query = query.where(or_(reach, and_(VanBan.don_vi_id.is_(None), VanBan.khoi_id == own_khoi))
                            if own_khoi else reach)
    text = " ".join((q or "").split())[:200]
    if text:
        digits = text.lstrip("#")
        matches = [text_patterns(VanBan.tieu_de, text)]
        if digits.isascii() and digits.isdigit() and len(digits) <= 9:
            matches.append(VanBan.id == int(digits) if text.startswith("#") else VanBan.so == int(digits))
        query = query.where(or_(*matches))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    current = page_number(number, total, per_page)
    rows = list(session.scalars(query.order_by(VanBan.nam.desc(), VanBan.id.desc())
                                .limit(per_page).offset((current - 1) * per_page)))
    return Page(rows, total, current, per_page)


def body_names(session: Session, on: dt.date, ids: Collection[int] | None = None) -> dict[int, str]:
    """Return the name of every body (of `ids`, None: all) on `on`, as registry.view names it, in two queries
    however many bodies there are: the list pages name each row's issuer and offer every unit in reach."""
    bodies = select(DonVi).order_by(DonVi.id)
    names = select(ThuocTinh).where(ThuocTinh.don_vi_id.is_not(None), ThuocTinh.truong == "ten").order_by(ThuocTinh.id)
    if ids is not None:
        wanted = list(ids)
        bodies, names = bodies.where(DonVi.id.in_(wanted)), names.where(ThuocTinh.don_vi_id.in_(wanted))
    facts: dict[int, list[ThuocTinh]] = {}
    for fact in session.scalars(names):
        facts.setdefault(fact.don_vi_id, []).append(fact)  # type: ignore[arg-type]
    return {body.id: registry._pick(facts.get(body.id, []), on, not registry.in_range(body.tu_ngay, body.den_ngay, on))
            .get("ten", "") for body in session.scalars(bodies)}
