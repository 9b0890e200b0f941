"""Issued files of a record: the signed scan or the digitally signed PDF (or .docx), checked, stored, audited.

A record holding one counts as «đã ban hành» from the day of its first upload. A file is taken for what its
content shows, never its name alone: a PDF starts with «%PDF-» and ends with «%%EOF», a .docx is a zip with
word/document.xml, within the upload limits (doctpl/limits.py). A file uploaded by mistake is taken off by
the person who uploaded it or an admin, with a reason; the log keeps its name, hash and the reason.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from doctpl import limits, pdf
from doctpl.errors import BadInput, FieldError, NotFound, ValidationError
from doctpl.render import DOCX_MIME
from doctpl.store import audit
from doctpl.store.db import MAX_ID
from doctpl.store.models import BanHanh, VanBan
from doctpl.store.records import sha256
from doctpl.store.scope import Scope
from doctpl.vn.numbers import group_digits
from doctpl.vn.text import clean

MIME = {"pdf": pdf.PDF_MIME, "docx": DOCX_MIME}
TAIL = 2048  # «%%EOF» stands within the last bytes of a whole PDF (a signature may append a revision)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
REASON_MIN = 5  # characters of the reason a file is taken off for


def clean_name(name: str) -> str:
    """Return the uploaded file's own name: no folder, no control characters, at most 200 characters."""
    base = _UNSAFE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return base[-200:] or "tep-ban-hanh"


def sniff(content: bytes, name: str) -> str:
    """Return "pdf" or "docx" as the content shows; refuse a file over the limits or not what its name says."""
    limits.check_upload(len(content), name)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "pdf":
        if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-TAIL:]:
            raise BadInput(f"«{name}» không phải tệp PDF trọn vẹn (tệp PDF bắt đầu bằng «%PDF-» và kết thúc bằng "
                           "«%%EOF»): hãy tải lên bản quét hoặc bản PDF đã ký số.")
        return "pdf"
    if suffix == "docx":
        with limits.open_zip(content, name, ".docx") as archive:
            if "word/document.xml" not in archive.namelist():
                raise BadInput(f"«{name}» không phải tệp .docx: không có phần nội dung word/document.xml.")
        return "docx"
    raise BadInput(f"«{name}»: chỉ nhận bản ban hành dạng .pdf (bản quét có chữ ký, bản ký số) hoặc .docx.")


def files(session: Session, record_id: int) -> list[BanHanh]:
    """Return a record's issued files, oldest first."""
    return list(session.scalars(select(BanHanh).where(BanHanh.van_ban_id == record_id).order_by(BanHanh.id)))


def first_uploads(session: Session, record_ids: set[int]) -> dict[int, dt.datetime]:
    """Return when each of these records got its first issued file (records without one are left out)."""
    if not record_ids:
        return {}
    query = select(BanHanh.van_ban_id, func.min(BanHanh.tai_luc)).where(BanHanh.van_ban_id.in_(record_ids))
    return {record_id: at for record_id, at in session.execute(query.group_by(BanHanh.van_ban_id))}


def add(session: Session, record: VanBan, content: bytes, name: str, *, who: str,
        at: dt.datetime | None = None) -> BanHanh:
    """Store an issued file of a record and log it; a draft cannot be issued."""
    name = clean_name(name)
    if record.nhap:
        raise BadInput("Bản nháp chưa ban hành được: hãy điền đủ các mục, lưu văn bản rồi tải lên bản đã ký.")
    loai = sniff(content, name)
    count = session.scalar(select(func.count()).select_from(BanHanh).where(BanHanh.van_ban_id == record.id)) or 0
    limits.check_issued_files(count)
    row = BanHanh(van_ban_id=record.id, ten_tep=name, loai=loai, kich_thuoc=len(content), ma_bam=sha256(content),
                  noi_dung=content, nguoi_tai=who)
    if at is not None:
        row.tai_luc = at
    session.add(row)
    session.flush()
    audit.log(session, who, "ban_hanh", kind=record.kind, van_ban_id=record.id, phien_ban=record.phien_ban,
              chi_tiet=f"{name} ({group_digits(len(content))} byte, sha256 {row.ma_bam[:16]})")
    return row


def get(session: Session, record_id: int, file_id: int) -> BanHanh:
    """Return an issued file of this record, or raise NotFound (also for another record's file)."""
    row = session.get(BanHanh, file_id) if 0 < file_id <= MAX_ID else None
    if row is None or row.van_ban_id != record_id:
        raise NotFound(f"Bản lưu #{record_id} không có tệp ban hành số {file_id}.")
    return row


def may_remove(row: BanHanh, *, who: str, scope: Scope) -> bool:
    """Tell whether this person may take the file off: the one who uploaded it, or an admin."""
    return scope.everything or row.nguoi_tai == who


def remove(session: Session, record: VanBan, file_id: int, *, who: str, scope: Scope, reason: str) -> BanHanh:
    """Take off an issued file uploaded by mistake and log why; the record is «đã ban hành» while one is left."""
    row = get(session, record.id, file_id)
    if not may_remove(row, who=who, scope=scope):
        raise ValidationError([FieldError("ly_do", f"Chỉ người đã tải lên ({row.nguoi_tai}) hoặc quản trị được gỡ "
                                                   f"tệp «{row.ten_tep}».")])
    reason = clean(reason or "")[:300]
    if len(reason) < REASON_MIN:
        raise ValidationError([FieldError("ly_do", f"Vui lòng ghi «Lý do gỡ» tệp «{row.ten_tep}» (ít nhất "
                                                   f"{REASON_MIN} ký tự), ví dụ: tải nhầm tệp của văn bản khác.")])
    session.delete(row)
    session.flush()
    audit.log(session, who, "go_ban_hanh", kind=record.kind, van_ban_id=record.id, phien_ban=record.phien_ban,
              chi_tiet=f"{row.ten_tep} ({group_digits(row.kich_thuoc)} byte, sha256 {row.ma_bam[:16]}): {reason}")
    return row
