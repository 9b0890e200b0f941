"""The demo: the 2021 Đà Lạt khối as history, its successor Lâm Đồng khối and a cụm of phường, with their documents.

The registry comes from doctpl/data/demo/danh_muc.json (the registry file's own shape) and the documents from
doctpl/data/demo/van_ban.json, one record per entry, in order (ids stay put as entries are added at the end):
an example of examples/ (`vi_du`), or, with `nhap`, the draft the form starts from the registry for the unit and
year (`nam`), left unfinished. `so` replaces the example's number (null: not numbered yet; a state body numbers
every type in one series, NĐ 30 Điều 15, so two examples of one issuer cannot share a number). `ban_hanh`
attaches, on that day, a small generated PDF as the issued file; `cham_diem` keeps, for a bảng điểm, the scores
of the first units only (how many criteria rows each keeps): the year before every unit has scored. Roles are
set for 2026 and left unset for 2027, the state of a khối in December.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from doctpl.facts import DATA_DIR
from doctpl.kind import EXAMPLES_DIR, get_kind
from doctpl.store import issued, next_year, numbering, records, registry_file
from doctpl.store.models import DonVi, Khoi, VanBan
from doctpl.vn.text import ascii_slug

WHO = "dữ liệu mẫu"
DEMO_DIR = DATA_DIR / "demo"


def _load(name: str) -> Any:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def seed_demo(session: Session) -> bool:
    """Load the demo registry and its documents, unless the registry already has a khối; tell whether it did."""
    if session.scalar(select(Khoi.id).limit(1)) is not None:
        return False
    registry_file.import_file(session, _load("danh_muc.json"))
    for item in _load("van_ban.json"):
        khoi = session.scalar(select(Khoi).where(Khoi.ma == item["khoi"]))
        unit = session.scalar(select(DonVi).where(DonVi.ma == item["don_vi"])) if item.get("don_vi") else None
        unit_id = unit.id if unit else None
        if item.get("nhap"):
            raw = next_year.prefill(session, get_kind(item["kind"]), khoi.id, unit_id, item["nam"])
            raw["noi_nhan"] = {"cac_noi": [], "luu": ""}  # unfinished: the clerk has not entered its recipients
            record = records.save(session, item["kind"], raw, who=WHO, khoi_id=khoi.id, don_vi_id=unit_id, draft=True)
        else:
            path = EXAMPLES_DIR / item["vi_du"]
            if not path.exists():
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
            if "so" in item:
                data["so"] = item["so"]
            if "cham_diem" in item:
                data = _scored(data, item["cham_diem"])
            record = _save_example(session, item["kind"], data, khoi.id, unit_id)
        if item.get("ban_hanh"):
            on = dt.datetime.combine(dt.date.fromisoformat(item["ban_hanh"]), dt.time(9, 0))
            issued.add(session, record, _signed_copy(record), f"{ascii_slug(record.tieu_de)[:80]}-da-ky.pdf", who=WHO,
                       at=on)
    return True


def _scored(data: dict[str, Any], rows: list[int]) -> dict[str, Any]:
    """Keep the first len(rows) units of a bảng điểm, each with the scores of its first rows[i] criteria."""
    units = [{**unit, "diem": unit["diem"][:count]} for unit, count in zip(data["don_vi"], rows, strict=False)]
    return {**data, "don_vi": units}


def _save_example(session: Session, kind_id: str, data: dict[str, Any], khoi_id: int, don_vi_id: int | None
                  ) -> VanBan:
    kind = get_kind(kind_id)
    record = records.save(session, kind_id, data, who=WHO, khoi_id=khoi_id, don_vi_id=don_vi_id)
    if data.get("so"):
        numbering.record(session, data["co_quan"]["ky_hieu"], data["nam"], data["so"], kind.ten_loai, kind=kind_id,
                         who=WHO, trich_yeu=record.tieu_de, van_ban_id=record.id,
                         **numbering.document_series(records.data(session, record.id)))
    return record


def _signed_copy(record: VanBan) -> bytes:
    """Return a one-page PDF standing for the signed scan of a demo record (ASCII text, a standard font)."""
    text = f"doctpl - du lieu mau: ban da ky cua ban luu #{record.id}".replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)
