"""The demo: Khối thi đua số 1 of the Đà Lạt Party Committee, its six units and its 2021 documents."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from doctpl.kind import get_kind
from doctpl.store import numbering, records, registry
from doctpl.store.models import Khoi

WHO = "dữ liệu mẫu"
# name: (short name, ký hiệu, head, head's title, deputy, deputy's title)
UNITS = {
    "Văn phòng Thành ủy": ("Văn phòng", "VPTU", "Trần Văn Minh", "Chánh Văn phòng", "", ""),
    "Ban Tổ chức Thành ủy": ("Ban Tổ chức", "BTCTU", "Lê Thị Thu Hà", "Trưởng Ban", "", ""),
    "Ban Tuyên giáo Thành ủy": ("Ban Tuyên giáo", "BTGTU", "Võ Thị Hồng Nhung", "Trưởng Ban",
                                "Phạm Ngọc Sơn", "Phó Trưởng Ban"),
    "Ban Dân vận Thành ủy": ("Ban Dân vận", "BDVTU", "Nguyễn Quang Hải", "Trưởng Ban Dân vận", "", ""),
    "Ủy ban Kiểm tra Thành ủy": ("Ủy ban Kiểm tra", "UBKTTU", "Đỗ Văn Tùng", "Chủ nhiệm", "", ""),
    "Trung tâm Bồi dưỡng chính trị thành phố": ("Trung tâm BDCT", "TTBDCT", "Hoàng Thị Lan", "Giám đốc", "", ""),
}
# The trưởng khối rotates: Ban Dân vận in 2021, Văn phòng in 2022 (phó khối likewise).
ROLES = {2021: ("Ban Dân vận Thành ủy", "Văn phòng Thành ủy"), 2022: ("Văn phòng Thành ủy", "Ban Tổ chức Thành ủy")}
KHOI_DOCUMENTS = ("ke_hoach", "giao_uoc", "bao_cao_so_ket", "bao_cao_tong_ket")


def seed_demo(session: Session) -> Khoi | None:
    """Create the demo khối and its 2021 records, unless the registry already has a khối."""
    if session.scalar(select(Khoi.id).limit(1)) is not None:
        return None
    khoi = registry.save_khoi(session, {"ten": "Khối thi đua số 1", "ky_hieu": "KTĐ1", "chu_quan": "Thành ủy Đà Lạt",
                                        "dia_danh": "Đà Lạt", "loai": "khoi"})
    units = {}
    for name, (short, ky_hieu, head, title, deputy, deputy_title) in UNITS.items():
        units[name] = registry.save_don_vi(session, khoi, {
            "ten": name, "ten_ngan": short, "ky_hieu": ky_hieu, "chu_quan": "Thành ủy Đà Lạt", "dia_danh": "Đà Lạt",
            "thu_truong": head, "chuc_vu_thu_truong": title, "cap_pho": deputy, "chuc_vu_cap_pho": deputy_title})
    for year, (truong, pho) in ROLES.items():
        registry.set_roles(session, khoi.id, year, {"truong_khoi": units[truong].id, "pho_khoi": units[pho].id})
    for kind_id in KHOI_DOCUMENTS:
        _save_example(session, kind_id, khoi.id, None)
    _save_example(session, "dang_ky", khoi.id, units["Ban Tuyên giáo Thành ủy"].id)
    return khoi


def _save_example(session: Session, kind_id: str, khoi_id: int, don_vi_id: int | None) -> None:
    kind = get_kind(kind_id)
    data = kind.example()
    record = records.save(session, kind_id, data, who=WHO, khoi_id=khoi_id, don_vi_id=don_vi_id)
    if data.get("so"):
        numbering.record(session, data["co_quan"]["ky_hieu"], data["nam"], data["so"], kind.ten_loai, kind=kind_id,
                         who=WHO, trich_yeu=record.tieu_de, van_ban_id=record.id)
