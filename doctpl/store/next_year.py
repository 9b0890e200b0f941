"""What a document takes from the registry on its date, and the one rule that starts next year's document.

The same rule serves the roll-over of one record, of a khối's whole set (web, API, CLI) and the
registry batch: start from the saved record, move its dates and year, then take from the registry
as of the new date the issuing body, chủ quản, địa danh and ký hiệu, the signer, the Kính gửi, every
Nơi nhận that names a registry body, and the giao ước's grid. What the registry lacks is left
blank and flagged «cần điền»; a body that ended gives way to its successor, or is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from doctpl.errors import FieldError, NotFound
from doctpl.fields import walk, without_per_issuer
from doctpl.kind import Kind
from doctpl.rollover import Rolled, roll
from doctpl.store import registry
from doctpl.store.models import DonVi, Khoi
from doctpl.the_thuc import NHA_NUOC
from doctpl.vn.dates import short_date

TO_FILL = "Cần điền"


class Ended(NotFound):
    """The issuing body of a document ended before the new date and has no successor."""


def _declares(kind: Kind, name: str) -> bool:
    return any(path == name for path, _ in walk(kind.fields))


def resolve(session: Session, khoi_id: int | None, don_vi_id: int | None, on: dt.date
            ) -> tuple[int | None, int | None]:
    """Return the khối and body that issue on `on` what the given ones issued: themselves or their successors."""
    if don_vi_id:
        now = _standing(session, registry.get_don_vi(session, don_vi_id), on, "đơn vị kế tiếp")
        return registry.khoi_of(session, now.id, on) or _khoi_now(session, khoi_id, on), now.id
    return _khoi_now(session, khoi_id, on), None


def _khoi_now(session: Session, khoi_id: int | None, on: dt.date) -> int | None:
    return _standing(session, registry.get_khoi(session, khoi_id), on, "khối kế tiếp").id if khoi_id else None


def _standing(session: Session, owner: Khoi | DonVi, on: dt.date, successor: str) -> Khoi | DonVi:
    """Return what stands for `owner` on `on`, or raise Ended naming it when it ended with no successor."""
    now = registry.successor(session, owner, on)
    if now is None:
        name = registry.view(session, owner, on).ten
        raise Ended(f"«{name}» không còn từ ngày {short_date(owner.den_ngay + dt.timedelta(days=1))} "
                    f"và không có {successor} trong danh mục.")
    return now


def registry_values(session: Session, kind: Kind, khoi_id: int | None, don_vi_id: int | None, nam: int,
                    on: dt.date | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """Return what a document of `nam` takes from the registry as of `on` (1 January by default), and what is missing.

    The issuing body, ký hiệu, chủ quản, địa danh and thể thức come from the body (or the khối for khối
    documents; a body with no thể thức recorded takes its khối's, and with none at all the document keeps
    its own); the signer is the body's head, or TM. the khối by the trưởng khối's head; Kính gửi
    is the trưởng khối; a giao ước lists every member on that day with its role.
    """
    on = on or dt.date(nam, 1, 1)
    khoi = registry.khoi_on(session, khoi_id, on) if khoi_id else None
    unit = registry.body_on(session, don_vi_id, on) if don_vi_id else None
    issuer = unit or khoi
    if issuer is None:
        return {"nam": nam}, []
    held = registry.roles(session, khoi_id, nam) if khoi_id else registry.Roles()
    missing: list[FieldError] = []
    out: dict[str, Any] = {
        "co_quan": {"chu_quan": issuer.chu_quan, "ten": issuer.ten, "ky_hieu": issuer.ky_hieu},
        "dia_danh": issuer.dia_danh or (khoi.dia_danh if khoi else ""), "nam": nam,
    }
    if the_thuc := issuer.the_thuc or (khoi.the_thuc if unit is not None and khoi is not None else ""):
        out["the_thuc"] = the_thuc
    signs = _declares(kind, "nguoi_ky")
    if unit is not None:
        out["nguoi_ky"] = {"tham_quyen": "", "thay_mat": "", "chuc_vu": unit.chuc_vu_thu_truong,
                           "ho_ten": unit.thu_truong}
        if not unit.thu_truong and signs:
            missing.append(FieldError("nguoi_ky.ho_ten", f"{TO_FILL}: danh mục chưa có người đứng đầu "
                                                         f"«{unit.ten}» vào ngày {short_date(on)}."))
    elif held.truong is not None:
        out["nguoi_ky"] = {"tham_quyen": "TM", "thay_mat": khoi.ten, "chuc_vu": held.truong.chuc_vu_thu_truong,
                           "ho_ten": held.truong.thu_truong}
    else:
        out["nguoi_ky"] = {"tham_quyen": "TM", "thay_mat": khoi.ten, "chuc_vu": "", "ho_ten": ""}
        if signs:
            missing.append(FieldError("nguoi_ky.ho_ten", f"{TO_FILL}: danh mục chưa có trưởng khối năm {nam}; "
                                                         "nhập người ký khi khối đã bầu trưởng khối."))
    if _declares(kind, "kinh_gui") and unit is not None and khoi is not None:
        if held.truong is None:
            missing.append(FieldError("kinh_gui", f"Kiểm tra: danh mục chưa có trưởng khối năm {nam}; «Kính gửi» "
                                                  "giữ như văn bản cũ cho đến khi khối bầu trưởng khối."))
        elif held.truong.id != unit.id:
            out["kinh_gui"] = [f"{held.truong.ten} (Trưởng {khoi.ten})"]
    if _declares(kind, "don_vi_ky") and khoi is not None:
        units = registry.members(session, khoi.id, on)
        out["don_vi_ky"] = [{"ten": u.ten, "vai_tro": held.of(u.id), "tham_quyen": "", "thay_mat": "",
                             "chuc_vu": u.chuc_vu_thu_truong, "ho_ten": u.thu_truong} for u in units]
        if held.truong is None:
            missing.append(FieldError("don_vi_ky", f"{TO_FILL}: danh mục chưa có trưởng khối năm {nam}; "
                                                   "chọn đơn vị ký đầu tiên khi khối đã bầu."))
        missing += [FieldError(f"don_vi_ky.{index}.ho_ten", f"{TO_FILL}: danh mục chưa có người đứng đầu «{u.ten}».")
                    for index, u in enumerate(units) if not u.thu_truong]
    declared = {f.name for f in kind.fields}
    return {key: value for key, value in out.items() if key in declared}, missing


def _drafter_changed(session: Session, khoi_id: int, base: Mapping[str, Any], nam: int) -> bool:
    """Tell whether the trưởng khối, whose office drafts the khối's documents, differs (or is unknown) in `nam`."""
    before = registry.roles(session, khoi_id, int(base["nam"])).truong
    after = registry.roles(session, khoi_id, nam).truong
    return before is None or after is None or before.id != after.id


def prefill(session: Session, kind: Kind, khoi_id: int, don_vi_id: int | None, nam: int) -> dict[str, Any]:
    """Return the values a new document of `nam` opens with in the form."""
    return registry_values(session, kind, khoi_id, don_vi_id, nam)[0]


def _recipients(session: Session, names: list[str], on: dt.date, path: str, stale: set[str]
                ) -> tuple[list[str], list[FieldError]]:
    """Return Nơi nhận entries with each registry body named as it is on `on`, and the flags of what changed.

    `stale` holds the name keys no longer in force on `on`.
    """
    out, flags = [], []
    for index, entry in enumerate(names):
        owner, length = registry.find_by_name(session, entry)
        if owner is None:
            out.append(entry)
            continue
        now = registry.successor(session, owner, on)
        if now is None:
            out.append(entry)
            flags.append(FieldError(f"{path}.{index}", f"«{entry}» không còn tồn tại vào ngày {short_date(on)} và "
                                                       "không có cơ quan kế tiếp: sửa hoặc bỏ nơi nhận này."))
            continue
        name, rest = entry[:length], entry[length:]
        current = registry.view(session, now, on).ten
        if now is owner and registry.name_key(name) not in stale:
            current = name  # a name the body still goes by (an other name, ten_khac): keep the clerk's wording
        out.append(current + rest)
        if registry.name_key(current) != registry.name_key(name):
            flags.append(FieldError(f"{path}.{index}", f"«{name}» nay là «{current}»: đã thay theo danh mục."))
    return out, flags


def next_document(session: Session, kind: Kind, base: Mapping[str, Any], nam: int, *, khoi_id: int | None,
                  don_vi_id: int | None, same_issuer: bool = True) -> tuple[Rolled, int | None, int | None]:
    """Start the `nam` document of a khối or body from `base`; return it with the khối and body that issue it.

    `same_issuer` is False when `base` is another body's document: its number, date, staff and
    other per-issuer values are dropped.
    """
    on = dt.date(nam, 1, 1)
    khoi_id, don_vi_id = resolve(session, khoi_id, don_vi_id, on)
    data = dict(base) if same_issuer else without_per_issuer(kind.fields, base)
    data.setdefault("the_thuc", NHA_NUOC)  # a record saved before thể thức existed was in NĐ 30 form
    values, missing = registry_values(session, kind, khoi_id, don_vi_id, nam)
    values.pop("nam", None)
    names = registry.stale_names(session, on)
    stale = {registry.name_key(name) for name in names}
    rolled = roll(kind, data, nam, overrides=values, names=names)
    noi_nhan = rolled.data.get("noi_nhan")
    if isinstance(noi_nhan, Mapping) and noi_nhan.get("cac_noi"):
        entries, flags = _recipients(session, list(noi_nhan["cac_noi"]), on, "noi_nhan.cac_noi", stale)
        rolled.data["noi_nhan"] = {**noi_nhan, "cac_noi": entries}
        rolled.flags += flags
    if "kinh_gui" not in values and rolled.data.get("kinh_gui"):
        entries, flags = _recipients(session, list(rolled.data["kinh_gui"]), on, "kinh_gui", stale)
        rolled.data["kinh_gui"] = entries
        rolled.flags += flags
    luu = (rolled.data.get("noi_nhan") or {}).get("luu") if isinstance(rolled.data.get("noi_nhan"), Mapping) else ""
    if luu and don_vi_id is None and khoi_id and same_issuer and _drafter_changed(session, khoi_id, base, nam):
        rolled.data["noi_nhan"] = {**rolled.data["noi_nhan"], "luu": ""}  # the drafting unit was last year's
        rolled.flags.append(FieldError("noi_nhan.luu", f"«Lưu: {luu}» là của đơn vị soạn thảo năm {base['nam']}; "
                                                       f"nhập lại theo trưởng khối năm {nam}."))
    # What the registry lacks says why better than the form's own «Vui lòng nhập …» or «Đã lấy theo danh mục».
    covered = {f.field.split(".")[0] for f in missing}
    rolled.flags = [f for f in rolled.flags if f.field.split(".")[0] not in covered] + missing
    return rolled, khoi_id, don_vi_id

