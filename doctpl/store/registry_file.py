"""The registry as a JSON file: export everything with its dates, import it back (idempotent, validated first).

Shape (README «Danh mục khối, đơn vị»): {"khoi": [khối …], "co_quan": [bodies outside any khối …]}.
A khối has "ma", "loai", "tu_ngay", "den_ngay", "ke_tiep" (the successor's "ma"), the dated lists
"ten", "ky_hieu", "chu_quan", "dia_danh" (a plain string is one value with no dates), its
"don_vi" and its "vai_tro" by year. A body has "ma", "tu_ngay", "den_ngay", "hop_nhat_vao" (its
successor's "ma"), the dated lists "ten", "ten_ngan", "ky_hieu", "chu_quan", "dia_danh", the dated
"thu_truong" and "cap_pho" ({"ho_ten", "chuc_vu", "tu_ngay", "den_ngay"}), and under a khối its
"thanh_vien" periods (by default its whole life). A body listed under a second khối (it moved)
is given there by its "ma" and "thanh_vien" alone. Both take the dated "the_thuc" ("nha_nuoc" or "dang";
items {"the_thuc", "tu_ngay", "den_ngay"}) and "nhiem_ky", the terms of a cấp ủy ({"nhiem_ky": "2025–2030",
"tu_ngay": the congress's close, "den_ngay"}), which must not overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from doctpl import the_thuc
from doctpl.errors import BadInput, FieldError, ValidationError
from doctpl.fields import Choice, Date, Group, Integer, Repeat, Text, describe, join
from doctpl.parts.header import check_ky_hieu
from doctpl.store import registry
from doctpl.store.models import DonVi, Khoi, ThanhVien, ThuocTinh, VaiTro
from doctpl.store.registry_edit import check_term

_CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ0123456789-_.")
PEOPLE = {"thu_truong": "chuc_vu_thu_truong", "cap_pho": "chuc_vu_cap_pho"}


def _check_code(value: str) -> list[str]:
    return [] if set(value.upper()) <= _CODE_CHARS else ["chỉ gồm chữ cái không dấu, chữ số, «-», «_» hoặc «.»."]


OWN_KEY = ("ky_hieu", "the_thuc", "nhiem_ky")  # dated lists whose items name their value by the list's name


def item_key(name: str) -> str:
    """Return the key of a dated list's items: its own name for ký hiệu, thể thức and nhiệm kỳ, else "ten"."""
    return name if name in OWN_KEY else "ten"


def _dated(name: str, label: str, *, max_len: int = 120, required: bool = True, check: Any = None) -> Repeat:
    item = Group("", label, fields=[Text(item_key(name), label, max_len=max_len, check=check),
                                    Date("tu_ngay", "Từ ngày", required=False),
                                    Date("den_ngay", "Đến ngày", required=False)], checks=(_check_span,))
    return Repeat(name, label, item=item, item_label="giá trị", required=required, max_items=50)


def _the_thuc() -> Repeat:
    item = Group("", "Thể thức văn bản", checks=(_check_span,), fields=[
        Choice("the_thuc", "Thể thức văn bản", choices=the_thuc.CHOICES),
        Date("tu_ngay", "Từ ngày", required=False), Date("den_ngay", "Đến ngày", required=False)])
    return Repeat("the_thuc", "Thể thức văn bản", item=item, item_label="giá trị", max_items=20)


def _terms() -> Repeat:
    item = Group("", "Nhiệm kỳ", checks=(_check_span,), fields=[
        Text("nhiem_ky", "Nhiệm kỳ", max_len=20, check=check_term), Date("tu_ngay", "Từ ngày"),
        Date("den_ngay", "Đến ngày", required=False)])
    return Repeat("nhiem_ky", "Nhiệm kỳ", item=item, item_label="nhiệm kỳ", max_items=50)


def _check_terms(values: dict[str, Any], path: str) -> list[FieldError]:
    """Refuse terms of one khối or body that overlap (each one's numbers are one series per type)."""
    terms = sorted(((index, item) for index, item in enumerate(values.get("nhiem_ky") or [])
                    if item.get("tu_ngay")), key=lambda pair: pair[1]["tu_ngay"])
    errors = []
    for (_, before), (index, after) in zip(terms, terms[1:], strict=False):
        if before["den_ngay"] is None or before["den_ngay"] >= after["tu_ngay"]:
            errors.append(FieldError(join(path, f"nhiem_ky.{index}.tu_ngay"),
                                     f"Nhiệm kỳ «{after['nhiem_ky']}» bắt đầu trước khi nhiệm kỳ "
                                     f"«{before['nhiem_ky']}» kết thúc: ghi «Đến ngày» của nhiệm kỳ trước."))
    return errors


def _person(name: str, label: str) -> Repeat:
    item = Group("", label, fields=[Text("ho_ten", "Họ và tên", max_len=80), Text("chuc_vu", "Chức vụ", max_len=120),
                                    Date("tu_ngay", "Từ ngày", required=False),
                                    Date("den_ngay", "Đến ngày", required=False)], checks=(_check_span,))
    return Repeat(name, label, item=item, item_label="người", max_items=50)


def _check_span(values: dict[str, Any], path: str) -> list[FieldError]:
    start, end = values.get("tu_ngay"), values.get("den_ngay")
    if start and end and end < start:
        return [FieldError(join(path, "den_ngay"), "«Đến ngày» phải sau «Từ ngày».")]
    return []


NGUON = Text("nguon", "Nguồn, ghi chú (mục chưa xác minh ghi rõ)", required=False, max_len=300)
_LIFE = [Date("tu_ngay", "Ngày thành lập", required=False), Date("den_ngay", "Ngày cuối cùng tồn tại", required=False)]
_PERIOD = Group("", "Thời gian là thành viên", fields=list(_LIFE), checks=(_check_span,))
BODY = Group("", "Đơn vị", checks=(_check_span, _check_terms), fields=[
    Text("ma", "Mã", max_len=40, check=_check_code), *_LIFE,
    _dated("ten", "Tên"), _dated("ten_khac", "Tên gọi khác trên văn bản", max_len=150, required=False),
    _dated("ten_ngan", "Tên ngắn", max_len=60, required=False),
    _dated("ky_hieu", "Ký hiệu", max_len=30, check=check_ky_hieu),
    _dated("chu_quan", "Cơ quan chủ quản", required=False), _dated("dia_danh", "Địa danh", max_len=60, required=False),
    _person("thu_truong", "Người đứng đầu"), _person("cap_pho", "Cấp phó"), _the_thuc(), _terms(),
    Text("hop_nhat_vao", "Hợp nhất vào / kế tiếp là (mã)", required=False, max_len=40), NGUON,
    Repeat("thanh_vien", "Thời gian là thành viên khối", item=_PERIOD, item_label="khoảng thời gian", max_items=20),
])
REFERENCE = Group("", "Đơn vị (đã khai ở khối khác)", fields=[
    Text("ma", "Mã", max_len=40, check=_check_code),
    Repeat("thanh_vien", "Thời gian là thành viên khối", item=_PERIOD, item_label="khoảng thời gian", max_items=20),
])
ROLE = Group("", "Vai trò trong năm", fields=[
    Integer("nam", "Năm", minimum=1945, maximum=2200),
    Text("truong_khoi", "Trưởng khối (mã đơn vị)", required=False, max_len=40),
    Repeat("pho_khoi", "Phó khối (mã đơn vị)", item=Text("", "Mã đơn vị", max_len=40), max_items=registry.MAX_PHO,
           item_label="đơn vị"),
])
KHOI = Group("", "Khối", checks=(_check_span, _check_terms), fields=[
    Text("ma", "Mã", max_len=40, check=_check_code),
    Choice("loai", "Loại", choices={"khoi": "Khối thi đua", "cum": "Cụm thi đua"}, default="khoi"), *_LIFE,
    _dated("ten", "Tên"), _dated("ky_hieu", "Ký hiệu", max_len=30, check=check_ky_hieu),
    _dated("chu_quan", "Cơ quan chủ quản", required=False), _dated("dia_danh", "Địa danh", max_len=60, required=False),
    _the_thuc(), _terms(),
    Text("ke_tiep", "Khối kế tiếp (mã)", required=False, max_len=40), NGUON,
    Repeat("don_vi", "Đơn vị thành viên", item=BODY, item_label="đơn vị", max_items=500),
    Repeat("vai_tro", "Trưởng, phó khối theo năm", item=ROLE, item_label="năm", max_items=200),
])
FILE = [Repeat("khoi", "Khối, cụm", item=KHOI, item_label="khối, cụm"),
        Repeat("co_quan", "Cơ quan khác", item=BODY, item_label="cơ quan")]
DATED = ("ten", "ten_khac", "ten_ngan", "ky_hieu", "chu_quan", "dia_danh", "the_thuc", "nhiem_ky")
KHOI_DATED = ("ten", "ky_hieu", "chu_quan", "dia_danh", "the_thuc", "nhiem_ky")


def _as_dated(value: Any, name: str) -> Any:
    """Accept a plain string for a dated list (one value, no dates), plain strings as its items, and items keyed
    by the list's own name ({"chu_quan": …}) as well as by "ten"."""
    key = item_key(name)
    if isinstance(value, str):
        return [{key: value}] if value.strip() else []
    if not isinstance(value, list):
        return value
    out = []
    for item in value:
        if isinstance(item, str):
            item = {key: item}
        elif isinstance(item, Mapping) and key not in item and name in item:
            item = {**{k: v for k, v in item.items() if k != name}, key: item[name]}
        out.append(item)
    return out


def _normalise(entry: Any, names: tuple[str, ...]) -> Any:
    if not isinstance(entry, Mapping):
        return entry
    return {**entry, **{name: _as_dated(entry[name], name) for name in names if name in entry}}


def _is_reference(entry: Any) -> bool:
    return isinstance(entry, Mapping) and set(entry) <= {"ma", "thanh_vien"}


def where(path: str) -> str:
    """Return a place in the registry file in words: "khoi.0.don_vi.2.ten" -> "Khối, cụm thứ 1 › đơn vị thứ 3 › …"."""
    return describe(FILE, path)


def validate(document: Any) -> dict[str, Any]:
    """Return the registry file converted, or raise ValidationError naming each field ("khoi.0.don_vi.2.ten")."""
    if not isinstance(document, Mapping):
        raise BadInput("Tệp danh mục phải là một đối tượng JSON {\"khoi\": [...], \"co_quan\": [...]}.")
    unknown = sorted(set(document) - {"khoi", "co_quan"})
    if unknown or not (document.get("khoi") or document.get("co_quan")):
        what = f"có mục lạ {', '.join(map(repr, unknown))}" if unknown else "không có khối hay cơ quan nào"
        raise BadInput(f"Tệp danh mục {what}: cần {{\"khoi\": [...], \"co_quan\": [...]}}.")
    errors: list[FieldError] = []
    khoi_list = document.get("khoi", [])
    if not isinstance(khoi_list, list):
        raise ValidationError([FieldError("khoi", "«khoi» phải là một danh sách.")])
    out: dict[str, Any] = {"khoi": [], "co_quan": []}
    for index, raw in enumerate(khoi_list):
        entry = _normalise(raw, KHOI_DATED)
        units = entry.get("don_vi", []) if isinstance(entry, Mapping) else []
        converted = KHOI.convert({**entry, "don_vi": []} if isinstance(entry, Mapping) else entry,
                                 f"khoi.{index}", errors)
        converted["don_vi"] = []
        for position, unit in enumerate(units if isinstance(units, list) else []):
            form = REFERENCE if _is_reference(unit) else BODY
            converted["don_vi"].append(form.convert(_normalise(unit, DATED), f"khoi.{index}.don_vi.{position}", errors))
        out["khoi"].append(converted)
    others = document.get("co_quan", [])
    for index, raw in enumerate(others if isinstance(others, list) else []):
        out["co_quan"].append(BODY.convert(_normalise(raw, DATED), f"co_quan.{index}", errors))
    if not errors:
        errors += _cross_check(out)
    if errors:
        raise ValidationError(errors)
    return out


def _cross_check(document: dict[str, Any]) -> list[FieldError]:
    """Check what one entry cannot: unique codes, successors and roles that name known entries."""
    errors = []
    khoi_codes: dict[str, str] = {}
    unit_codes: dict[str, str] = {}
    for index, khoi in enumerate(document["khoi"]):
        if khoi["ma"] in khoi_codes:
            errors.append(FieldError(f"khoi.{index}.ma", f"Mã khối «{khoi['ma']}» đã dùng ở {khoi_codes[khoi['ma']]}."))
        khoi_codes[khoi["ma"]] = f"khoi.{index}"
        for position, unit in enumerate(khoi["don_vi"]):
            if "ten" in unit:
                path = f"khoi.{index}.don_vi.{position}"
                if unit["ma"] in unit_codes:
                    errors.append(FieldError(f"{path}.ma", f"Mã đơn vị «{unit['ma']}» đã khai ở "
                                                           f"{unit_codes[unit['ma']]}; ở khối khác chỉ ghi mã."))
                unit_codes[unit["ma"]] = path
    for index, unit in enumerate(document["co_quan"]):
        if unit["ma"] in unit_codes:
            errors.append(FieldError(f"co_quan.{index}.ma",
                                     f"Mã đơn vị «{unit['ma']}» đã khai ở {unit_codes[unit['ma']]}."))
        unit_codes[unit["ma"]] = f"co_quan.{index}"
    for index, khoi in enumerate(document["khoi"]):
        if khoi["ke_tiep"] and khoi["ke_tiep"] not in khoi_codes:
            errors.append(FieldError(f"khoi.{index}.ke_tiep", f"Không có khối mã «{khoi['ke_tiep']}» trong tệp."))
        members = {unit["ma"] for unit in khoi["don_vi"]}
        for position, unit in enumerate(khoi["don_vi"]):
            if "ten" not in unit and unit["ma"] not in unit_codes:
                errors.append(FieldError(f"khoi.{index}.don_vi.{position}.ma",
                                         f"Đơn vị mã «{unit['ma']}» chưa được khai ở đâu trong tệp."))
        for position, role in enumerate(khoi["vai_tro"]):
            for name, code in [("truong_khoi", role["truong_khoi"]), *(("pho_khoi", c) for c in role["pho_khoi"])]:
                if code and code not in members:
                    errors.append(FieldError(f"khoi.{index}.vai_tro.{position}.{name}",
                                             f"«{code}» không phải đơn vị thành viên của khối này."))
    for path, code in [(p, u.get("hop_nhat_vao")) for p, u in _all_bodies(document)]:
        if code and code not in unit_codes:
            errors.append(FieldError(f"{path}.hop_nhat_vao", f"Không có đơn vị mã «{code}» trong tệp."))
    return errors


def _all_bodies(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [(f"khoi.{i}.don_vi.{j}", unit) for i, khoi in enumerate(document["khoi"])
             for j, unit in enumerate(khoi["don_vi"]) if "ten" in unit]
    return found + [(f"co_quan.{i}", unit) for i, unit in enumerate(document["co_quan"])]


def import_file(session: Session, document: Any) -> dict[str, int]:
    """Write a registry file into the database; importing the same file again changes nothing.

    Khối and bodies are matched by "ma": their facts, memberships and the roles of the years given
    are replaced by the file's; entries the file does not name are left alone.
    """
    data = validate(document)
    khoi_rows = {k["ma"]: _upsert(session, Khoi, k["ma"]) for k in data["khoi"]}
    body_rows = {u["ma"]: _upsert(session, DonVi, u["ma"]) for _, u in _all_bodies(data)}
    for entry in data["khoi"]:
        row = khoi_rows[entry["ma"]]
        row.loai, row.tu_ngay, row.den_ngay = entry["loai"], entry["tu_ngay"], entry["den_ngay"]
        row.ke_tiep_id = khoi_rows[entry["ke_tiep"]].id if entry["ke_tiep"] else None
        _replace_facts(session, row, entry, KHOI_DATED)
    for _, entry in _all_bodies(data):
        row = body_rows[entry["ma"]]
        row.tu_ngay, row.den_ngay = entry["tu_ngay"], entry["den_ngay"]
        row.ke_tiep_id = body_rows[entry["hop_nhat_vao"]].id if entry["hop_nhat_vao"] else None
        _replace_facts(session, row, entry, DATED)
    for entry in data["khoi"]:
        row = khoi_rows[entry["ma"]]
        session.execute(delete(ThanhVien).where(ThanhVien.khoi_id == row.id))
        for order, member in enumerate(entry["don_vi"], start=1):
            unit = body_rows[member["ma"]]  # every member is declared somewhere (validate checked it)
            for period in member["thanh_vien"] or [{"tu_ngay": None, "den_ngay": None}]:
                session.add(ThanhVien(khoi_id=row.id, don_vi_id=unit.id, tu_ngay=period["tu_ngay"],
                                      den_ngay=period["den_ngay"], thu_tu=order))
        for role in entry["vai_tro"]:
            session.execute(delete(VaiTro).where(VaiTro.khoi_id == row.id, VaiTro.nam == role["nam"]))
            if role["truong_khoi"]:
                session.add(VaiTro(khoi_id=row.id, nam=role["nam"], vai_tro="truong_khoi",
                                   don_vi_id=body_rows[role["truong_khoi"]].id, thu_tu=0))
            for order, code in enumerate(role["pho_khoi"], start=1):
                session.add(VaiTro(khoi_id=row.id, nam=role["nam"], vai_tro="pho_khoi", don_vi_id=body_rows[code].id,
                                   thu_tu=order))
    session.flush()
    return {"khoi": len(khoi_rows), "don_vi": len(body_rows)}


def _upsert(session: Session, model: type[Khoi] | type[DonVi], code: str) -> Khoi | DonVi:
    row = session.scalar(select(model).where(model.ma == code))
    if row is None:
        row = model(ma=code)
        session.add(row)
        session.flush()
    return row


def _replace_facts(session: Session, row: Khoi | DonVi, entry: dict[str, Any], names: tuple[str, ...]) -> None:
    owner = ThuocTinh.khoi_id if isinstance(row, Khoi) else ThuocTinh.don_vi_id
    session.execute(delete(ThuocTinh).where(owner == row.id))
    key = {"khoi_id": row.id} if isinstance(row, Khoi) else {"don_vi_id": row.id}
    for name in names:
        for item in entry.get(name, []):
            value = registry.term_label(item[name]) if name == "nhiem_ky" else item[item_key(name)]
            session.add(ThuocTinh(**key, truong=name, gia_tri=value, tu_ngay=item["tu_ngay"],
                                  den_ngay=item["den_ngay"]))
    if entry.get("nguon"):
        session.add(ThuocTinh(**key, truong="nguon", gia_tri=entry["nguon"]))
    for person, title in PEOPLE.items():
        for item in entry.get(person, []):
            for field_name, value in ((person, item["ho_ten"]), (title, item["chuc_vu"])):
                session.add(ThuocTinh(**key, truong=field_name, gia_tri=value, tu_ngay=item["tu_ngay"],
                                      den_ngay=item["den_ngay"]))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _dated_out(facts: list[ThuocTinh], name: str) -> list[dict[str, Any]]:
    return [{item_key(name): f.gia_tri, "tu_ngay": _iso(f.tu_ngay), "den_ngay": _iso(f.den_ngay)}
            for f in sorted(facts, key=lambda f: f.tu_ngay or dt.date.min) if f.truong == name]


def _people_out(facts: list[ThuocTinh], person: str) -> list[dict[str, Any]]:
    titles = {(f.tu_ngay, f.den_ngay): f.gia_tri for f in facts if f.truong == PEOPLE[person]}
    return [{"ho_ten": f.gia_tri, "chuc_vu": titles.get((f.tu_ngay, f.den_ngay), ""), "tu_ngay": _iso(f.tu_ngay),
             "den_ngay": _iso(f.den_ngay)}
            for f in sorted(facts, key=lambda f: f.tu_ngay or dt.date.min) if f.truong == person]


def _body_out(session: Session, unit: DonVi) -> dict[str, Any]:
    facts = registry.facts_of(session, unit)
    successor = session.get(DonVi, unit.ke_tiep_id) if unit.ke_tiep_id else None
    return {"ma": unit.ma, "tu_ngay": _iso(unit.tu_ngay), "den_ngay": _iso(unit.den_ngay),
            **{name: _dated_out(facts, name) for name in DATED},
            **{person: _people_out(facts, person) for person in PEOPLE},
            "hop_nhat_vao": successor.ma if successor else None, "nguon": _note(facts)}


def _note(facts: list[ThuocTinh]) -> str:
    return next((f.gia_tri for f in facts if f.truong == "nguon"), "")


def export(session: Session) -> dict[str, Any]:
    """Return the whole registry in the file's shape, every fact with its dates."""
    defined: set[int] = set()
    out: dict[str, Any] = {"khoi": [], "co_quan": []}
    for khoi in session.scalars(select(Khoi).order_by(Khoi.id)):
        facts = registry.facts_of(session, khoi)
        successor = session.get(Khoi, khoi.ke_tiep_id) if khoi.ke_tiep_id else None
        units: dict[int, dict[str, Any]] = {}
        for link in registry.memberships(session, khoi.id):
            if link.don_vi_id not in units:
                unit = registry.get_don_vi(session, link.don_vi_id)
                units[link.don_vi_id] = {"ma": unit.ma} if unit.id in defined else _body_out(session, unit)
                units[link.don_vi_id]["thanh_vien"] = []
                defined.add(unit.id)
            units[link.don_vi_id]["thanh_vien"].append({"tu_ngay": _iso(link.tu_ngay), "den_ngay": _iso(link.den_ngay)})
        roles = []
        for nam in registry.role_years(session, khoi.id):
            rows = list(session.scalars(select(VaiTro).where(VaiTro.khoi_id == khoi.id, VaiTro.nam == nam)
                                        .order_by(VaiTro.thu_tu)))
            code = {row.don_vi_id: registry.get_don_vi(session, row.don_vi_id).ma for row in rows}
            roles.append({"nam": nam, "truong_khoi": next((code[r.don_vi_id] for r in rows
                                                           if r.vai_tro == "truong_khoi"), None),
                          "pho_khoi": [code[r.don_vi_id] for r in rows if r.vai_tro == "pho_khoi"]})
        out["khoi"].append({"ma": khoi.ma, "loai": khoi.loai, "tu_ngay": _iso(khoi.tu_ngay),
                            "den_ngay": _iso(khoi.den_ngay), "ke_tiep": successor.ma if successor else None,
                            **{name: _dated_out(facts, name) for name in KHOI_DATED}, "nguon": _note(facts),
                            "don_vi": list(units.values()), "vai_tro": roles})
    for unit in session.scalars(select(DonVi).order_by(DonVi.id)):
        if unit.id not in defined:
            out["co_quan"].append(_body_out(session, unit))
    return out
