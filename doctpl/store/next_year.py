"""What a document takes from the registry on its date, and the one rule that starts next year's document.

The same rule serves the roll-over of one record, of a khối's whole set (web, API, CLI) and the
registry batch: start from the saved record, move its dates and year, then take from the registry
as of the new date the issuing body, chủ quản, địa danh and ký hiệu, the signer, the Kính gửi, every
Nơi nhận that names a registry body, and the giao ước's grid. What the registry lacks is left
blank and flagged «cần điền»; a body that ended gives way to its successor, or is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from doctpl.errors import FieldError, NotFound
from doctpl.fields import walk, without_per_issuer
from doctpl.kind import Kind
from doctpl.rollover import Rolled, roll
from doctpl.store import registry, year_facts
from doctpl.store.models import DonVi, Khoi
from doctpl.the_thuc import NHA_NUOC
from doctpl.vn.dates import short_date

TO_FILL = "Cần điền"


class Ended(NotFound):
    """The issuing body of a document ended before the new date and has no successor."""


class Lookups:
    """What the rule reads from the registry, read once: a batch or a set's roll-over shares one for all its
    documents, so the names no longer in force, the year's roles, the members and every name looked up are
    queried once, not once per unit. The registry does not change while they are read.
    """

    def __init__(self, session: Session):
        self.session = session
        self._memo: dict[tuple[Any, ...], Any] = {}

    def _once(self, key: tuple[Any, ...], read: Callable[..., Any], *args: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = read(self.session, *args)
        return self._memo[key]

    def khoi_on(self, khoi_id: int, on: dt.date) -> registry.Body:
        """registry.khoi_on, once."""
        return self._once(("khoi_on", khoi_id, on), registry.khoi_on, khoi_id, on)

    def body_on(self, don_vi_id: int, on: dt.date) -> registry.Body:
        """registry.body_on, once."""
        return self._once(("body_on", don_vi_id, on), registry.body_on, don_vi_id, on)

    def view(self, owner: Khoi | DonVi, on: dt.date) -> registry.Body:
        """registry.view, once."""
        return self._once(("view", type(owner).__name__, owner.id, on), registry.view, owner, on)

    def roles(self, khoi_id: int, nam: int) -> registry.Roles:
        """registry.roles, once."""
        return self._once(("roles", khoi_id, nam), registry.roles, khoi_id, nam)

    def members(self, khoi_id: int, on: dt.date) -> list[registry.Body]:
        """registry.members, once."""
        return self._once(("members", khoi_id, on), registry.members, khoi_id, on)

    def successor(self, owner: Khoi | DonVi, on: dt.date) -> Khoi | DonVi | None:
        """registry.successor, once."""
        return self._once(("successor", type(owner).__name__, owner.id, on), registry.successor, owner, on)

    def khoi_of(self, don_vi_id: int, on: dt.date) -> int | None:
        """registry.khoi_of, once."""
        return self._once(("khoi_of", don_vi_id, on), registry.khoi_of, don_vi_id, on)

    def stale_names(self, on: dt.date) -> dict[str, str]:
        """registry.stale_names, once per date."""
        return self._once(("stale_names", on), registry.stale_names, on)

    def stale_keys(self, on: dt.date) -> set[str]:
        """The comparison keys of stale_names(on), once per date."""
        if ("stale_keys", on) not in self._memo:
            self._memo[("stale_keys", on)] = {registry.name_key(name) for name in self.stale_names(on)}
        return self._memo[("stale_keys", on)]

    def find_by_name(self, text: str) -> tuple[DonVi | Khoi | None, int]:
        """registry.find_by_name, once per text."""
        return self._once(("find_by_name", text), registry.find_by_name, text)


def _declares(kind: Kind, name: str) -> bool:
    return any(path == name for path, _ in walk(kind.fields))


def resolve(session: Session, khoi_id: int | None, don_vi_id: int | None, on: dt.date,
            lookups: Lookups | None = None) -> tuple[int | None, int | None]:
    """Return the khối and body that issue on `on` what the given ones issued: themselves or their successors."""
    found = lookups or Lookups(session)
    if don_vi_id:
        now = _standing(found, registry.get_don_vi(session, don_vi_id), on, "đơn vị kế tiếp")
        return found.khoi_of(now.id, on) or _khoi_now(found, khoi_id, on), now.id
    return _khoi_now(found, khoi_id, on), None


def _khoi_now(found: Lookups, khoi_id: int | None, on: dt.date) -> int | None:
    return _standing(found, registry.get_khoi(found.session, khoi_id), on, "khối kế tiếp").id if khoi_id else None


def _standing(found: Lookups, owner: Khoi | DonVi, on: dt.date, successor: str) -> Khoi | DonVi:
    """Return what stands for `owner` on `on`, or raise Ended naming it when it ended with no successor."""
    now = found.successor(owner, on)
    if now is None:
        name = found.view(owner, on).ten
        raise Ended(f"«{name}» không còn từ ngày {short_date(owner.den_ngay + dt.timedelta(days=1))} "
                    f"và không có {successor} trong danh mục.")
    return now


def registry_values(session: Session, kind: Kind, khoi_id: int | None, don_vi_id: int | None, nam: int,
                    on: dt.date | None = None, lookups: Lookups | None = None
                    ) -> tuple[dict[str, Any], list[FieldError]]:
    """Return what a document of `nam` takes from the registry as of `on` (1 January by default), and what is missing.

    The issuing body, ký hiệu, chủ quản, địa danh and thể thức come from the body (or the khối for khối
    documents; a body with no thể thức recorded takes its khối's, and with none at all the document keeps
    its own); the signer is the body's head, or TM. the khối by the trưởng khối's head; Kính gửi
    is the trưởng khối; a giao ước lists every member on that day with its role.
    """
    on = on or dt.date(nam, 1, 1)
    found = lookups or Lookups(session)
    khoi = found.khoi_on(khoi_id, on) if khoi_id else None
    unit = found.body_on(don_vi_id, on) if don_vi_id else None
    issuer = unit or khoi
    if issuer is None:
        return {"nam": nam}, []
    held = found.roles(khoi_id, nam) if khoi_id else registry.Roles()
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
        units = found.members(khoi.id, on)
        out["don_vi_ky"] = [{"ten": u.ten, "vai_tro": held.of(u.id), "tham_quyen": "", "thay_mat": "",
                             "chuc_vu": u.chuc_vu_thu_truong, "ho_ten": u.thu_truong} for u in units]
        if held.truong is None:
            missing.append(FieldError("don_vi_ky", f"{TO_FILL}: danh mục chưa có trưởng khối năm {nam}; "
                                                   "chọn đơn vị ký đầu tiên khi khối đã bầu."))
        missing += [FieldError(f"don_vi_ky.{index}.ho_ten", f"{TO_FILL}: danh mục chưa có người đứng đầu «{u.ten}».")
                    for index, u in enumerate(units) if not u.thu_truong]
    declared = {f.name for f in kind.fields}
    return {key: value for key, value in out.items() if key in declared}, missing


def _drafter_changed(found: Lookups, khoi_id: int, base: Mapping[str, Any], nam: int) -> bool:
    """Tell whether the trưởng khối, whose office drafts the khối's documents, differs (or is unknown) in `nam`."""
    before = found.roles(khoi_id, int(base["nam"])).truong
    after = found.roles(khoi_id, nam).truong
    return before is None or after is None or before.id != after.id


def prefill(session: Session, kind: Kind, khoi_id: int, don_vi_id: int | None, nam: int) -> dict[str, Any]:
    """Return the values a new document of `nam` opens with in the form; a report starts from the year's facts."""
    values = registry_values(session, kind, khoi_id, don_vi_id, nam)[0]
    if kind.from_year is not None:
        return year_facts.start(session, kind, khoi_id, don_vi_id, nam) | values
    return values


def _recipients(found: Lookups, names: list[str], on: dt.date, path: str, stale: set[str]
                ) -> tuple[list[str], list[FieldError]]:
    """Return Nơi nhận entries with each registry body named as it is on `on`, and the flags of what changed.

    `stale` holds the name keys no longer in force on `on`.
    """
    out, flags = [], []
    for index, entry in enumerate(names):
        owner, length = found.find_by_name(entry)
        if owner is None:
            out.append(entry)
            continue
        now = found.successor(owner, on)
        if now is None:
            out.append(entry)
            flags.append(FieldError(f"{path}.{index}", f"«{entry}» không còn tồn tại vào ngày {short_date(on)} và "
                                                       "không có cơ quan kế tiếp: sửa hoặc bỏ nơi nhận này."))
            continue
        name, rest = entry[:length], entry[length:]
        current = found.view(now, on).ten
        if now is owner and registry.name_key(name) not in stale:
            current = name  # a name the body still goes by (an other name, ten_khac): keep the clerk's wording
        out.append(current + rest)
        if registry.name_key(current) != registry.name_key(name):
            flags.append(FieldError(f"{path}.{index}", f"«{name}» nay là «{current}»: đã thay theo danh mục."))
    return out, flags


def next_document(session: Session, kind: Kind, base: Mapping[str, Any], nam: int, *, khoi_id: int | None,
                  don_vi_id: int | None, same_issuer: bool = True, lookups: Lookups | None = None
                  ) -> tuple[Rolled, int | None, int | None]:
    """Start the `nam` document of a khối or body from `base`; return it with the khối and body that issue it.

    `same_issuer` is False when `base` is another body's document: its number, date, staff and
    other per-issuer values are dropped. `lookups` is shared by the documents of one batch or set.
    """
    on = dt.date(nam, 1, 1)
    found = lookups or Lookups(session)
    khoi_id, don_vi_id = resolve(session, khoi_id, don_vi_id, on, found)
    data = dict(base) if same_issuer else without_per_issuer(kind.fields, base)
    data.setdefault("the_thuc", NHA_NUOC)  # a record saved before thể thức existed was in NĐ 30 form
    values, missing = registry_values(session, kind, khoi_id, don_vi_id, nam, lookups=found)
    values.pop("nam", None)
    names = found.stale_names(on)
    stale = found.stale_keys(on)
    rolled = roll(kind, data, nam, overrides=values, names=names)
    noi_nhan = rolled.data.get("noi_nhan")
    if isinstance(noi_nhan, Mapping) and noi_nhan.get("cac_noi"):
        entries, flags = _recipients(found, list(noi_nhan["cac_noi"]), on, "noi_nhan.cac_noi", stale)
        rolled.data["noi_nhan"] = {**noi_nhan, "cac_noi": entries}
        rolled.flags += flags
    if "kinh_gui" not in values and rolled.data.get("kinh_gui"):
        entries, flags = _recipients(found, list(rolled.data["kinh_gui"]), on, "kinh_gui", stale)
        rolled.data["kinh_gui"] = entries
        rolled.flags += flags
    luu = (rolled.data.get("noi_nhan") or {}).get("luu") if isinstance(rolled.data.get("noi_nhan"), Mapping) else ""
    if luu and don_vi_id is None and khoi_id and same_issuer and _drafter_changed(found, khoi_id, base, nam):
        rolled.data["noi_nhan"] = {**rolled.data["noi_nhan"], "luu": ""}  # the drafting unit was last year's
        rolled.flags.append(FieldError("noi_nhan.luu", f"«Lưu: {luu}» là của đơn vị soạn thảo năm {base['nam']}; "
                                                       f"nhập lại theo trưởng khối năm {nam}."))
    # What the registry lacks says why better than the form's own «Vui lòng nhập …» or «Đã lấy theo danh mục».
    covered = {f.field.split(".")[0] for f in missing}
    rolled.flags = [f for f in rolled.flags if f.field.split(".")[0] not in covered] + missing
    return rolled, khoi_id, don_vi_id

