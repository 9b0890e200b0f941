"""Stored documents in the body's new shape: blocks under "thanh_phan", the sơ kết's parts as its outline.

Revision ID: 0008
Revises: 0007

Up to 2026-12 the blocks of a body section were under "khoi" (the word of the khối thi đua), and the
sơ kết had fixed parts (ket_qua, uu_diem, han_che, nguyen_nhan, phuong_huong, kien_nghi). Every
stored version is rewritten the way doctpl/upgrade.py reads such data, frozen here as it was on the
day of this migration, and its data hash follows. Downgrade renames "thanh_phan" back; a sơ kết stays
in the tree shape (the old form cannot hold what the tree holds).
"""

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SO_KET_PARTS = ("ket_qua", "uu_diem", "han_che", "nguyen_nhan", "phuong_huong", "kien_nghi")
ASSESSMENT = (("uu_diem", "Ưu điểm"), ("han_che", "Hạn chế"), ("nguyen_nhan", "Nguyên nhân"))
LEAD = "Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong 6 tháng {} năm:"


def _so_ket(raw: dict[str, Any]) -> dict[str, Any]:
    out = {key: value for key, value in raw.items() if key not in SO_KET_PARTS}
    assessment = [{"loai": "khoan", "tieu_de": label, "van_ban": raw.get(key) or ""} for key, label in ASSESSMENT]
    sections = [
        {"tieu_de": "Kết quả thực hiện công tác thi đua, khen thưởng [[ky_bao_cao]]",
         "thanh_phan": [*(raw.get("ket_qua") or []),
                        {"loai": "ky_niem", "khoang": "trong_ky", "van_ban": LEAD.format("đầu")}]},
        {"tieu_de": "Đánh giá chung", "thanh_phan": [block for block in assessment if block["van_ban"]]},
        {"tieu_de": "Phương hướng, nhiệm vụ [[ky_tiep_theo]]",
         "thanh_phan": [*(raw.get("phuong_huong") or []),
                        {"loai": "ky_niem", "khoang": "ky_toi", "van_ban": LEAD.format("cuối")}]},
    ]
    if raw.get("kien_nghi"):
        sections.append({"tieu_de": "Kiến nghị", "thanh_phan": [{"loai": "doan", "van_ban": raw["kien_nghi"]}]})
    return out | {"ky": "6_thang", "noi_dung": sections}


def _renamed(raw: Any, old: str, new: str) -> Any:
    if not isinstance(raw, dict) or not isinstance(raw.get("noi_dung"), list):
        return raw
    sections = [{(new if key == old else key): value for key, value in section.items()}
                if isinstance(section, dict) else section for section in raw["noi_dung"]]
    return {**raw, "noi_dung": sections}


def _rewrite(change: Any) -> None:
    connection = op.get_bind()
    versions = sa.table("phien_ban", sa.column("id", sa.Integer), sa.column("du_lieu", sa.Text),
                        sa.column("ma_du_lieu", sa.String))
    for row in connection.execute(sa.select(versions.c.id, versions.c.du_lieu)).all():
        data = json.loads(row.du_lieu)
        changed = change(data)
        if changed != data:
            text = json.dumps(changed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            connection.execute(versions.update().where(versions.c.id == row.id).values(
                du_lieu=text, ma_du_lieu=hashlib.sha256(text.encode()).hexdigest()))


def upgrade() -> None:
    def change(data: Any) -> Any:
        if isinstance(data, dict) and "noi_dung" not in data and any(key in data for key in SO_KET_PARTS[1:4]):
            data = _so_ket(data)
        return _renamed(data, "khoi", "thanh_phan")

    _rewrite(change)


def downgrade() -> None:
    _rewrite(lambda data: _renamed(data, "thanh_phan", "khoi"))
