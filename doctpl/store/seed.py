"""The demo: the 2021 Đà Lạt khối as history, its successor Lâm Đồng khối and a cụm of phường, with their documents.

The registry comes from doctpl/data/demo/danh_muc.json (the registry file's own shape) and the
documents from doctpl/data/demo/van_ban.json, which names an example of examples/ for each record.
Roles are set for 2026 and left unset for 2027, the state of a khối in December.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from doctpl.facts import DATA_DIR
from doctpl.kind import EXAMPLES_DIR, get_kind
from doctpl.store import numbering, records, registry_file
from doctpl.store.models import DonVi, Khoi

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
        path = EXAMPLES_DIR / item["vi_du"]
        if not path.exists():
            continue
        khoi = session.scalar(select(Khoi).where(Khoi.ma == item["khoi"]))
        unit = session.scalar(select(DonVi).where(DonVi.ma == item["don_vi"])) if item.get("don_vi") else None
        _save_example(session, item["kind"], json.loads(path.read_text(encoding="utf-8")), khoi.id,
                      unit.id if unit else None)
    return True


def _save_example(session: Session, kind_id: str, data: dict[str, Any], khoi_id: int, don_vi_id: int | None) -> None:
    kind = get_kind(kind_id)
    record = records.save(session, kind_id, data, who=WHO, khoi_id=khoi_id, don_vi_id=don_vi_id)
    if data.get("so"):
        numbering.record(session, data["co_quan"]["ky_hieu"], data["nam"], data["so"], kind.ten_loai, kind=kind_id,
                         who=WHO, trich_yeu=record.tieu_de, van_ban_id=record.id,
                         **numbering.document_series(records.data(session, record.id)))
