"""The dated registry on SQLite and PostgreSQL: every change from a date, history, the registry file."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlalchemy import select

from doctpl import batch
from doctpl.check.reader import Reader
from doctpl.errors import NotFound, ValidationError
from doctpl.kind import get_kind
from doctpl.render import render
from doctpl.store import audit, carry, next_year, records, registry, registry_edit, registry_file, seed
from doctpl.store.models import DonVi, Khoi
from tests.conftest import body_text
from tests.stores import store  # noqa: F401  (fixture)

D = dt.date


def _khoi(session, ma: str) -> Khoi:
    return session.scalar(select(Khoi).where(Khoi.ma == ma))


def _unit(session, ma: str) -> DonVi:
    return session.scalar(select(DonVi).where(DonVi.ma == ma))


def _bloc(session) -> tuple[Khoi, list[DonVi]]:
    """A khối of three units created through the admin operations, from 2020."""
    khoi = registry_edit.create_khoi(session, {"ten": "Khối thi đua số 3", "ky_hieu": "KTĐ3", "chu_quan": "Thành ủy A",
                                               "dia_danh": "A", "loai": "khoi", "tu_ngay": "2020-01-01"})
    units = [registry_edit.create_body(session, {"ten": name, "ky_hieu": sign, "chu_quan": "Thành ủy A",
                                                 "thu_truong": head, "chuc_vu_thu_truong": "Trưởng Ban",
                                                 "tu_ngay": "2020-01-01"}, khoi=khoi)
             for name, sign, head in (("Ban Tuyên giáo Thành ủy", "BTGTU", "Người Một"),
                                      ("Ban Dân vận Thành ủy", "BDVTU", "Người Hai"),
                                      ("Văn phòng Thành ủy", "VPTU", "Người Ba"))]
    return khoi, units


def test_rename_from_a_date_keeps_the_old_name_for_earlier_dates(store):  # noqa: F811
    with store.session() as session:
        khoi, (tuyen_giao, *_) = _bloc(session)
        registry_edit.update_body(session, tuyen_giao, {"ten": "Ban Tuyên giáo Thành ủy A", "ky_hieu": "BTG",
                                                        "thu_truong": "Người Bốn", "chuc_vu_thu_truong": "Trưởng Ban",
                                                        "tu_ngay": "2023-03-01"})
        before, after = registry.body_on(session, tuyen_giao.id, D(2023, 2, 28)), \
            registry.body_on(session, tuyen_giao.id, D(2023, 3, 1))
        assert (before.ten, before.ky_hieu, before.thu_truong) == ("Ban Tuyên giáo Thành ủy", "BTGTU", "Người Một")
        assert (after.ten, after.ky_hieu, after.thu_truong) == ("Ban Tuyên giáo Thành ủy A", "BTG", "Người Bốn")
        # A correction (no date) changes the value in force, not the history.
        registry_edit.update_body(session, tuyen_giao, {"ten": "Ban Tuyên giáo Thành ủy A", "ky_hieu": "BTGA",
                                                        "thu_truong": "Người Bốn", "chuc_vu_thu_truong": "Trưởng Ban"})
        assert registry.body_on(session, tuyen_giao.id, D(2024, 1, 1)).ky_hieu == "BTGA"
        assert registry.body_on(session, tuyen_giao.id, D(2022, 1, 1)).ky_hieu == "BTGTU"
        registry_edit.update_khoi(session, khoi, {"ten": "Khối các ban Đảng", "ky_hieu": "KCB", "loai": "khoi",
                                                  "chu_quan": "Thành ủy A", "tu_ngay": "2024-01-01"})
        assert registry.khoi_on(session, khoi.id, D(2023, 12, 31)).ten == "Khối thi đua số 3"
        assert registry.khoi_on(session, khoi.id, D(2024, 1, 1)).ten == "Khối các ban Đảng"


def test_end_merge_move_and_successor(store):  # noqa: F811
    with store.session() as session:
        khoi, (tuyen_giao, dan_van, van_phong) = _bloc(session)
        merged = registry_edit.merge(session, [tuyen_giao, dan_van], {
            "ten": "Ban Tuyên giáo và Dân vận Thành ủy", "ky_hieu": "BTGDVTU", "thu_truong": "Người Hai",
            "chuc_vu_thu_truong": "Trưởng Ban"}, D(2025, 3, 1))
        assert [u.ten for u in registry.members(session, khoi.id, D(2025, 2, 28))] == [
            "Ban Tuyên giáo Thành ủy", "Ban Dân vận Thành ủy", "Văn phòng Thành ủy"]
        assert [u.ten for u in registry.members(session, khoi.id, D(2025, 3, 1))] == [
            "Văn phòng Thành ủy", "Ban Tuyên giáo và Dân vận Thành ủy"]
        assert registry.successor(session, dan_van, D(2025, 6, 1)).id == merged.id
        other = registry_edit.create_khoi(session, {"ten": "Khối khác", "ky_hieu": "KK", "loai": "khoi"})
        registry_edit.move(session, van_phong, other, D(2025, 5, 1))
        assert registry.khoi_of(session, van_phong.id, D(2025, 4, 30)) == khoi.id
        assert registry.khoi_of(session, van_phong.id, D(2025, 5, 1)) == other.id
        new = registry_edit.succeed(session, khoi, {"ten": "Khối thi đua các cơ quan Đảng", "ky_hieu": "KCQĐ",
                                                    "chu_quan": "Tỉnh ủy B", "loai": "khoi"}, D(2025, 7, 1), [merged])
        assert registry.successor(session, khoi, D(2026, 1, 1)).id == new.id
        assert [u.ten for u in registry.members(session, new.id, D(2026, 1, 1))] == [
            "Ban Tuyên giáo và Dân vận Thành ủy"]
        assert registry.members(session, khoi.id, D(2026, 1, 1)) == []
        registry_edit.end(session, merged, D(2026, 7, 1))
        assert registry.members(session, new.id, D(2026, 7, 1)) == []
        with pytest.raises(next_year.Ended, match="không có đơn vị kế tiếp"):
            next_year.resolve(session, new.id, merged.id, D(2027, 1, 1))
        with pytest.raises(ValidationError) as caught:
            registry_edit.end(session, merged, D(2026, 8, 1))
        assert caught.value.errors()[0].field == "tu_ngay"


def test_roles_allow_two_pho_khoi_and_only_members(store):  # noqa: F811
    with store.session() as session:
        khoi, (a, b, c) = _bloc(session)
        registry_edit.set_roles(session, khoi, 2026, a.id, [b.id, c.id])
        held = registry.roles(session, khoi.id, 2026)
        assert held.truong.id == a.id and [p.id for p in held.pho] == [b.id, c.id]
        outsider = registry_edit.create_body(session, {"ten": "Sở Nội vụ", "ky_hieu": "SNV"})
        with pytest.raises(ValidationError) as caught:
            registry_edit.set_roles(session, khoi, 2026, outsider.id, [])
        assert caught.value.errors()[0].field == "truong_khoi"
        assert "thành viên" in caught.value.errors()[0].message
        with pytest.raises(ValidationError):
            registry_edit.set_roles(session, khoi, 2026, a.id, [a.id])


def test_demo_history_the_2021_document_keeps_the_old_names(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        old, new = _khoi(session, "KTD1-DL"), _khoi(session, "KTD-CQD-LD")
        assert registry.khoi_on(session, old.id, D(2021, 4, 8)).chu_quan == "Thành ủy Đà Lạt"
        assert not registry.khoi_on(session, old.id, D(2025, 7, 1)).exists(D(2025, 7, 1))
        assert registry.successor(session, old, D(2027, 1, 1)).id == new.id
        plan = records.find(session, khoi_id=old.id, kind="ke_hoach")[0]
        before = records.render_record(session, plan.id, who="t").content
        text = body_text(Reader(before))
        assert "THÀNH ỦY ĐÀ LẠT" in text and "Đà Lạt, ngày 08 tháng 4 năm 2021" in text
        # Later changes to the registry leave the 2021 document and its 2021 prefill as they were.
        dan_van = _unit(session, "BDVTU-DL")
        registry_edit.update_body(session, dan_van, {"ten": "Ban Dân vận Thành ủy Đà Lạt", "ky_hieu": "BDVTU",
                                                     "tu_ngay": "2024-01-01"})
        registry_edit.update_khoi(session, old, {"ten": "Khối thi đua các ban Đảng", "ky_hieu": "KTĐ1",
                                                 "loai": "khoi", "tu_ngay": "2024-01-01"})
        assert records.render_record(session, plan.id, who="t").content == before
        assert registry.body_on(session, dan_van.id, D(2021, 6, 1)).ten == "Ban Dân vận Thành ủy"
        assert registry.khoi_on(session, old.id, D(2021, 6, 1)).ten == "Khối thi đua số 1"
        prefilled = next_year.prefill(session, get_kind("ke_hoach"), old.id, None, 2021)
        assert prefilled["co_quan"]["chu_quan"] == "Thành ủy Đà Lạt"
        names = registry.stale_names(session, D(2027, 1, 1))
        assert "Thành ủy Đà Lạt" in names and "Ban Dân vận Thành ủy" in names
        assert "Ban Tuyên giáo và Dân vận Tỉnh ủy" not in names and "Văn phòng Tỉnh ủy" not in names
        assert "Tỉnh ủy Lâm Đồng" in names["Thành ủy Đà Lạt"]


def test_december_roll_over_with_no_trưởng_khối_yet(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        old = _khoi(session, "KTD1-DL")
        plan = records.find(session, khoi_id=old.id, kind="ke_hoach")[0]
        rolled, khoi_id, don_vi_id = next_year.next_document(session, get_kind("ke_hoach"),
                                                             records.data(session, plan.id), 2027,
                                                             khoi_id=old.id, don_vi_id=None)
        assert khoi_id == _khoi(session, "KTD-CQD-LD").id and don_vi_id is None
        assert rolled.data["co_quan"] == {"chu_quan": "Tỉnh ủy Lâm Đồng", "ten": "Khối thi đua các cơ quan Đảng tỉnh",
                                          "ky_hieu": "KTĐCQĐ", "cap_tren": ""}  # the level the registry lacks kept
        assert rolled.data["dia_danh"] == "Lâm Đồng"
        assert rolled.data["nguoi_ky"]["ho_ten"] == "" and rolled.data["nguoi_ky"]["tham_quyen"] == "TM"
        assert any(f.field == "nguoi_ky.ho_ten" and "Cần điền" in f.message for f in rolled.flags)
        entries = rolled.data["noi_nhan"]["cac_noi"]
        assert entries[:2] == ["Hội đồng Thi đua – Khen thưởng tỉnh Lâm Đồng (thay b/c)", "Sở Nội vụ tỉnh Lâm Đồng"]
        saved = records.save(session, "ke_hoach", rolled.data, who="t", khoi_id=khoi_id, draft=True)
        assert saved.nhap and any(e.field == "nguoi_ky.ho_ten" for e in records.to_fill(session, saved.id))


def test_registry_file_round_trip_and_idempotent_import(store, tmp_path):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        exported = registry_file.export(session)
    assert [k["ma"] for k in exported["khoi"]] == ["KTD1-DL", "KTD-CQD-LD", "CTDP2-LD"]
    old = exported["khoi"][0]
    assert old["den_ngay"] == "2025-06-30" and old["ke_tiep"] == "KTD-CQD-LD"
    assert exported["khoi"][1]["vai_tro"] == [{"nam": 2026, "truong_khoi": "BTGDVTU-LD",
                                               "pho_khoi": ["VPTU-LD", "UBKTTU-LD"]}]
    with store.session() as session:
        registry_file.import_file(session, copy.deepcopy(exported))
        registry_file.import_file(session, copy.deepcopy(exported))
    with store.session() as session:
        assert registry_file.export(session) == exported
        assert len(registry.khoi_list(session)) == 3


def test_registry_file_accepts_the_issue_shape_and_names_bad_fields(store):  # noqa: F811
    document = {"khoi": [{"ma": "KTD1-DL", "ten": "Khối thi đua số 1", "loai": "khoi", "ky_hieu": "KTĐ1",
                          "tu_ngay": "2019-01-01", "den_ngay": "2025-06-30", "ke_tiep": None,
                          "chu_quan": [{"ten": "Thành ủy Đà Lạt", "tu_ngay": "2019-01-01", "den_ngay": "2025-06-30"}],
                          "dia_danh": [{"ten": "Đà Lạt", "tu_ngay": "2019-01-01"}],
                          "don_vi": [{"ma": "BDV", "ky_hieu": "BDVTU", "tu_ngay": "2019-01-01",
                                      "den_ngay": "2025-06-30",
                                      "ten": [{"ten": "Ban Dân vận Thành ủy", "tu_ngay": "2019-01-01"}],
                                      "thu_truong": [{"ho_ten": "Nguyễn Quang Hải", "chuc_vu": "Trưởng Ban Dân vận",
                                                      "tu_ngay": "2019-01-01"}], "hop_nhat_vao": None},
                                     {"ma": "VP", "ky_hieu": "VPTU", "ten": "Văn phòng Thành ủy"}],
                          "vai_tro": [{"nam": 2021, "truong_khoi": "BDV", "pho_khoi": ["VP"]}]}]}
    with store.session() as session:
        registry_file.import_file(session, json.loads(json.dumps(document)))
        khoi = _khoi(session, "KTD1-DL")
        assert registry.khoi_on(session, khoi.id, D(2021, 1, 1)).chu_quan == "Thành ủy Đà Lạt"
        assert registry.roles(session, khoi.id, 2021).truong.thu_truong == "Nguyễn Quang Hải"
    broken = copy.deepcopy(document)
    broken["khoi"][0]["don_vi"][0]["ten"][0]["tu_ngay"] = "31/02/2020"
    broken["khoi"][0]["don_vi"][1]["ky_hieu"] = "VP TU/"
    broken["khoi"][0]["vai_tro"][0]["truong_khoi"] = "KHONG-CO"
    broken["khoi"][0]["ten"] = ""
    with pytest.raises(ValidationError) as caught:
        registry_file.validate(broken)
    fields = {e.field for e in caught.value.errors()}
    assert {"khoi.0.don_vi.0.ten.0.tu_ngay", "khoi.0.don_vi.1.ky_hieu.0.ky_hieu", "khoi.0.ten"} <= fields
    broken["khoi"][0]["ten"] = "Khối"
    broken["khoi"][0]["don_vi"][0]["ten"][0]["tu_ngay"] = "2019-01-01"
    broken["khoi"][0]["don_vi"][1]["ky_hieu"] = "VPTU"
    with pytest.raises(ValidationError) as caught:
        registry_file.validate(broken)
    assert [e.field for e in caught.value.errors()] == ["khoi.0.vai_tro.0.truong_khoi"]


def test_a_record_composed_in_the_form_is_linked_to_its_issuer(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        data = json.loads(json.dumps(get_kind("dang_ky").example("dang_ky_2026_khoi_dang.json"))) | {"so": None}
        record = records.save(session, "dang_ky", data, who="t")
        assert (record.khoi_id, record.don_vi_id) == (_khoi(session, "KTD-CQD-LD").id,
                                                       _unit(session, "BTGDVTU-LD").id)
        assert render("dang_ky", data).content.startswith(b"PK")


def test_december_roll_over_of_the_demo_set_and_the_batch_agree(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        khoi = _khoi(session, "KTD-CQD-LD")
        steps = carry.plan_set(session, khoi.id, 2026, 2027)
        assert [s.action for s in steps] == ["tao"] * 10  # the khối's 2026 year: 5 reports, scores, meetings
        live = {registry.name_key(u.ten) for u in registry.members(session, khoi.id, D(2027, 1, 1))}
        stale = registry.stale_names(session, D(2027, 1, 1))
        for step in steps:
            data = step.rolled.data
            assert data["nam"] == 2027 and data["so"] is None and data["ngay"] in ("", None)
            assert data["co_quan"]["ten"] in ("Khối thi đua các cơ quan Đảng tỉnh", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                                              "Văn phòng Tỉnh ủy")
            for name in [*data.get("noi_nhan", {}).get("cac_noi", []), *(data.get("kinh_gui") or [])]:
                assert registry.name_key(name) not in {registry.name_key(n) for n in stale}
            for unit in data.get("don_vi_ky", []):
                assert registry.name_key(unit["ten"]) in live
        plan = next(s for s in steps if s.source.kind == "ke_hoach")
        assert plan.rolled.data["chu_de_nam"] == "" and plan.rolled.data["nguoi_ky"]["ho_ten"] == ""
        reasons = " ".join(f.reason for f in plan.rolled.review())
        assert "Cần điền" in reasons and "Chủ đề năm 2026 không dùng cho năm 2027" in reasons
        # The registry batch starts the unit's 2027 registration from the same record by the same rule.
        jobs, problems = batch.from_registry(session, khoi.id, 2027, ["dang_ky"], who="t")
        own = next(s for s in steps if s.source.kind == "dang_ky")
        unit = registry.body_on(session, own.don_vi_id, D(2027, 1, 1))
        [job] = [j for j in jobs if j.folder == unit.ten]
        assert job.raw == own.rolled.data and not [p for p in problems if p.where.startswith(unit.ten)]
        created = carry.apply_set(session, khoi.id, 2026, 2027, who="t")
        assert all(s.created for s in created)
        assert all(s.action == "da_co" for s in carry.plan_set(session, khoi.id, 2026, 2027))
        assert not any(s.created for s in carry.apply_set(session, khoi.id, 2026, 2027, who="t"))


def test_deleted_records_leave_lists_and_batches_and_come_back(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        khoi = _khoi(session, "KTD-CQD-LD")
        plan = records.find(session, khoi_id=khoi.id, kind="ke_hoach", nam=2026)[0]
        records.delete(session, plan.id, who="Văn thư")
        assert plan.id not in {r.id for r in records.find(session)}
        assert [r.id for r in records.find(session, deleted=True)] == [plan.id]
        with pytest.raises(NotFound, match="đã bị xóa"):
            records.get(session, plan.id)
        assert all(s.source.id != plan.id for s in carry.plan_set(session, khoi.id, 2026, 2027))
        records.restore(session, plan.id, who="Văn thư")
        assert records.get(session, plan.id).xoa_luc is None
        actions = [e.hanh_dong for e in audit.entries(session)][:2]
        assert actions == ["khoi_phuc", "xoa"]


def _party_committee(session) -> DonVi:
    """Thành ủy A, a cấp ủy outside any khối, with the nhiệm kỳ 2020–2025 then 2025–2030."""
    committee = registry_edit.create_body(session, {"ten": "Thành ủy A", "ky_hieu": "TU", "the_thuc": "dang",
                                                    "tu_ngay": "2015-01-01"})
    registry_edit.set_term(session, committee, {"nhiem_ky": "2020-2025", "tu_ngay": "2020-07-31"})
    registry_edit.set_term(session, committee, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"})
    return committee


def test_the_the_thuc_and_the_nhiem_ky_are_dated_facts(store):  # noqa: F811
    with store.session() as session:
        khoi, (tuyen_giao, dan_van, _) = _bloc(session)
        committee = _party_committee(session)
        # A khối and a body record their own thể thức, from a date; a body with none takes its khối's.
        registry_edit.update_khoi(session, khoi, {"ten": "Khối thi đua số 3", "ky_hieu": "KTĐ3", "the_thuc": "dang",
                                                  "tu_ngay": "2023-01-01"})
        registry_edit.update_body(session, dan_van, {"ten": "Ban Dân vận Thành ủy", "ky_hieu": "BDVTU",
                                                     "the_thuc": "nha_nuoc"})
        assert registry.khoi_on(session, khoi.id, D(2022, 6, 1)).the_thuc == ""
        assert registry.khoi_on(session, khoi.id, D(2023, 6, 1)).the_thuc == "dang"
        assert registry.the_thuc_of(session, tuyen_giao, D(2023, 6, 1)) == "dang"  # its khối's
        assert registry.the_thuc_of(session, dan_van, D(2023, 6, 1)) == "nha_nuoc"  # its own
        # An edit that does not name the thể thức leaves it as it was.
        registry_edit.update_khoi(session, khoi, {"ten": "Khối thi đua số 3", "ky_hieu": "KTĐ3"})
        assert registry.khoi_on(session, khoi.id, D(2024, 1, 1)).the_thuc == "dang"
        # Terms: the first ends the day before the next begins; written «2020–2025» whatever the dash.
        terms = [(t.gia_tri, t.tu_ngay, t.den_ngay) for t in registry.terms_of(session, committee)]
        assert terms == [("2020–2025", D(2020, 7, 31), D(2025, 10, 10)), ("2025–2030", D(2025, 10, 11), None)]
        assert registry.body_on(session, committee.id, D(2025, 10, 10)).nhiem_ky == "2020–2025"
        assert registry.body_on(session, committee.id, D(2026, 1, 1)).nhiem_ky == "2025–2030"
        # A Ban of the Thành ủy numbers within its chủ quản's term; a khối only within its own.
        assert registry.term(session, tuyen_giao, D(2026, 3, 1)).ten == "2025–2030"
        assert registry.term(session, tuyen_giao, D(2026, 3, 1)).cua == "Thành ủy A"
        assert registry.term(session, tuyen_giao, D(2019, 3, 1)) is None
        assert registry.term(session, khoi, D(2026, 3, 1)) is None
        registry_edit.set_term(session, khoi, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"})
        assert registry.term(session, khoi, D(2026, 3, 1)).ten == "2025–2030"
        # Correcting a term's start moves the end of the one before; overlaps and bad names are refused.
        registry_edit.set_term(session, committee, {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-12"})
        assert registry.terms_of(session, committee)[0].den_ngay == D(2025, 10, 11)
        for raw, field in (({"nhiem_ky": "2025", "tu_ngay": "2025-10-11"}, "nhiem_ky"),
                           ({"nhiem_ky": "2023–2028", "tu_ngay": "2023-01-01", "den_ngay": "2027-01-01"}, "tu_ngay"),
                           ({"nhiem_ky": "2030–2035", "tu_ngay": "2020-01-01"}, "tu_ngay"),
                           ({"nhiem_ky": "2030–2035", "tu_ngay": "2030-10-01", "den_ngay": "2030-01-01"}, "den_ngay")):
            with pytest.raises(ValidationError) as caught:
                registry_edit.set_term(session, committee, raw)
            assert [e.field for e in caught.value.errors()] == [field], raw
        registry_edit.remove_term(session, khoi, "2025-2030")
        assert registry.terms_of(session, khoi) == []


def test_the_registry_file_carries_the_the_thuc_and_the_terms(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        exported = registry_file.export(session)
    khoi = {k["ma"]: k for k in exported["khoi"]}
    bodies = {u["ma"]: u for k in exported["khoi"] for u in k["don_vi"] if "ten" in u}
    bodies |= {u["ma"]: u for u in exported["co_quan"]}
    assert [t["the_thuc"] for t in khoi["KTD1-DL"]["the_thuc"]] == ["dang"]
    assert [t["the_thuc"] for t in khoi["CTDP2-LD"]["the_thuc"]] == ["nha_nuoc"]
    assert bodies["BTGDVTU-LD"]["the_thuc"] == [{"the_thuc": "dang", "tu_ngay": None, "den_ngay": None}]
    assert bodies["P-XH"]["the_thuc"][0]["the_thuc"] == "nha_nuoc"
    assert bodies["TU-LD"]["nhiem_ky"] == [{"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11", "den_ngay": None}]
    assert bodies["TU-DL"]["nhiem_ky"] == [{"nhiem_ky": "2020–2025", "tu_ngay": "2020-07-31",
                                            "den_ngay": "2025-06-30"}]
    with store.session() as session:
        registry_file.import_file(session, copy.deepcopy(exported))
        registry_file.import_file(session, copy.deepcopy(exported))
    with store.session() as session:
        assert registry_file.export(session) == exported
        unit = registry.body_on(session, _unit(session, "BTGDVTU-LD").id, D(2026, 3, 1))
        assert (unit.the_thuc, registry.term(session, _unit(session, "BTGDVTU-LD"), D(2026, 3, 1)).ten) == (
            "dang", "2025–2030")
    # A plain string is one value; a term needs its first day; bad values and overlapping terms name their field.
    document = {"co_quan": [{"ma": "TU-A", "ten": "Thành ủy A", "ky_hieu": "TU", "the_thuc": "dang",
                             "nhiem_ky": [{"nhiem_ky": "2020-2025", "tu_ngay": "2020-07-31"},
                                          {"nhiem_ky": "2025–2030", "tu_ngay": "2025-10-11"}]}]}
    with pytest.raises(ValidationError) as caught:
        registry_file.validate(copy.deepcopy(document))
    assert [e.field for e in caught.value.errors()] == ["co_quan.0.nhiem_ky.1.tu_ngay"]
    assert "ghi «Đến ngày» của nhiệm kỳ trước" in caught.value.errors()[0].message
    document["co_quan"][0]["nhiem_ky"][0]["den_ngay"] = "2025-10-10"
    with store.session() as session:
        registry_file.import_file(session, copy.deepcopy(document))
        row = _unit(session, "TU-A")
        assert [t.gia_tri for t in registry.terms_of(session, row)] == ["2020–2025", "2025–2030"]
        assert registry.body_on(session, row.id, D(2026, 1, 1)).the_thuc == "dang"
    broken = copy.deepcopy(document)
    broken["co_quan"][0]["the_thuc"] = "dang_uy"
    broken["co_quan"][0]["nhiem_ky"] = [{"nhiem_ky": "khóa XI", "tu_ngay": "2020-07-31"}, "2025–2030"]
    with pytest.raises(ValidationError) as caught:
        registry_file.validate(broken)
    assert {e.field for e in caught.value.errors()} == {
        "co_quan.0.the_thuc.0.the_thuc", "co_quan.0.nhiem_ky.0.nhiem_ky", "co_quan.0.nhiem_ky.1.tu_ngay"}
    assert registry_file.where("co_quan.0.nhiem_ky.1.tu_ngay") == "Cơ quan thứ 1 › nhiệm kỳ thứ 2 › Từ ngày"


def test_documents_take_their_issuers_the_thuc_from_the_registry(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        party, cum = _khoi(session, "KTD-CQD-LD"), _khoi(session, "CTDP2-LD")
        unit = _unit(session, "BTGDVTU-LD")
        assert next_year.prefill(session, get_kind("ke_hoach"), party.id, None, 2026)["the_thuc"] == "dang"
        assert next_year.prefill(session, get_kind("dang_ky"), party.id, unit.id, 2026)["the_thuc"] == "dang"
        assert next_year.prefill(session, get_kind("ke_hoach"), cum.id, None, 2026)["the_thuc"] == "nha_nuoc"
        # The registry batch of the Party khối: every document in Party form, the cụm's in state form.
        # (A unit's đăng ký built from another unit's lacks its own «Lưu …», which a Party document must name:
        # it is listed, and kept as a draft.)
        jobs, problems = batch.from_registry(session, party.id, 2026, ["ke_hoach", "dang_ky"], who="t", save=True)
        assert {job.raw["the_thuc"] for job in jobs} == {"dang"} and {job.kind_id for job in jobs} == {
            "ke_hoach", "dang_ky"}
        assert all("«Lưu»" in problem.message for problem in problems)
        saved = records.find(session, khoi_id=party.id, nam=2026, kind="dang_ky")
        assert len(saved) == 7 and {records.data(session, r.id)["the_thuc"] for r in saved} == {"dang"}
        jobs, _ = batch.from_registry(session, cum.id, 2026, ["ke_hoach"], who="t")
        assert [job.raw["the_thuc"] for job in jobs] == ["nha_nuoc"]
        # A record saved in state form is rolled into the new year in the form the registry gives its issuer.
        plan = records.find(session, khoi_id=party.id, kind="ke_hoach", nam=2026)[0]
        data = records.data(session, plan.id) | {"the_thuc": "nha_nuoc"}
        rolled, _, _ = next_year.next_document(session, get_kind("ke_hoach"), data, 2027, khoi_id=party.id,
                                               don_vi_id=None)
        assert rolled.data["the_thuc"] == "dang" and "the_thuc" in {f.field for f in rolled.flags}
        # A khối the registry records no thể thức for leaves the document's own.
        other = registry_edit.create_khoi(session, {"ten": "Khối B", "ky_hieu": "KB", "tu_ngay": "2020-01-01"})
        rolled, _, _ = next_year.next_document(session, get_kind("ke_hoach"), records.data(session, plan.id), 2027,
                                               khoi_id=other.id, don_vi_id=None)
        assert rolled.data["the_thuc"] == records.data(session, plan.id)["the_thuc"]
