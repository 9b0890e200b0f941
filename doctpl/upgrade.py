"""Data written by earlier versions of doctpl, read as the current declaration reads it.

A JSON file from an older release (an API client, a saved `data.json`) still validates: each change
of shape is undone here, once, before conversion. Stored records are rewritten by the migration
of the same change (migrations/versions), so this only meets data from outside the database.
"""

from __future__ import annotations

from typing import Any

# Up to 2026-12: the blocks of a body section were under "khoi", the word of the khối thi đua.
_SECTION_BLOCKS = ("khoi", "thanh_phan")
# Up to 2026-12 the sơ kết had fixed parts; they are now the default outline of its body.
_SO_KET_PARTS = ("ket_qua", "uu_diem", "han_che", "nguyen_nhan", "phuong_huong", "kien_nghi")
_ASSESSMENT = (("uu_diem", "Ưu điểm"), ("han_che", "Hạn chế"), ("nguyen_nhan", "Nguyên nhân"))
_LEAD = "Tổ chức các hoạt động kỷ niệm các ngày lễ lớn trong 6 tháng {} năm:"


def _anniversaries(span: str, lead: str) -> dict[str, Any]:
    return {"loai": "ky_niem", "khoang": span, "van_ban": lead}


def _so_ket(raw: dict[str, Any]) -> dict[str, Any]:
    """Return a sơ kết of fixed parts as the body tree those parts printed."""
    out = {key: value for key, value in raw.items() if key not in _SO_KET_PARTS}
    assessment = [{"loai": "khoan", "tieu_de": label, "van_ban": raw.get(key) or ""} for key, label in _ASSESSMENT]
    sections = [
        {"tieu_de": "Kết quả thực hiện công tác thi đua, khen thưởng [[ky_bao_cao]]",
         "thanh_phan": [*(raw.get("ket_qua") or []),
                        _anniversaries("trong_ky", _LEAD.format("đầu"))]},
        {"tieu_de": "Đánh giá chung", "thanh_phan": [block for block in assessment if block["van_ban"]]},
        {"tieu_de": "Phương hướng, nhiệm vụ [[ky_tiep_theo]]",
         "thanh_phan": [*(raw.get("phuong_huong") or []),
                        _anniversaries("ky_toi", _LEAD.format("cuối"))]},
    ]
    if raw.get("kien_nghi"):
        sections.append({"tieu_de": "Kiến nghị", "thanh_phan": [{"loai": "doan", "van_ban": raw["kien_nghi"]}]})
    return out | {"ky": "6_thang", "noi_dung": sections}


def current(raw: Any) -> Any:
    """Return `raw` in the current shape (the same object when nothing is old)."""
    if not isinstance(raw, dict):
        return raw
    if "noi_dung" not in raw and any(key in raw for key in _SO_KET_PARTS[1:4]):
        raw = _so_ket(raw)
    if not isinstance(raw.get("noi_dung"), list):
        return raw
    old, new = _SECTION_BLOCKS
    if not any(isinstance(section, dict) and old in section and new not in section for section in raw["noi_dung"]):
        return raw
    sections = [{(new if key == old else key): value for key, value in section.items()}
                if isinstance(section, dict) and new not in section else section for section in raw["noi_dung"]]
    return {**raw, "noi_dung": sections}
