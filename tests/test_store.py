"""Persistence on SQLite and PostgreSQL: migrations, numbering, records and versions, registry, roll-over."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from doctpl.check.reader import Reader
from doctpl.kind import get_kind
from doctpl.render import render
from doctpl.store import carry, next_year, numbering, records, registry, seed
from doctpl.store.db import Store
from doctpl.store.models import Base, BoDem, Khoi, NhatKy, SoDi
from tests.conftest import body_text, example
from tests.stores import BACKENDS, database, store  # noqa: F401  (fixture)

PROCESSES, REQUESTS = 8, 200


def test_upgrade_from_an_empty_database_matches_the_models(store):  # noqa: F811
    tables = set(inspect(store.engine).get_table_names())
    assert {"khoi", "don_vi", "vai_tro", "van_ban", "phien_ban", "bo_dem", "so_di", "nhat_ky"} <= tables
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_from_the_previous_schema_keeps_the_data(backend, tmp_path):
    with database(backend, tmp_path) as url:
        old = Store(url)
        old.upgrade("0001")
        assert "nhat_ky" not in inspect(old.engine).get_table_names()
        with old.engine.begin() as connection:
            connection.execute(text("INSERT INTO khoi (ten, loai, ky_hieu, chu_quan, dia_danh) "
                                    "VALUES ('Khối thi đua số 1', 'khoi', 'KTĐ1', 'Thành ủy Đà Lạt', 'Đà Lạt')"))
            connection.execute(text(
                "INSERT INTO don_vi (khoi_id, ten, ten_ngan, ky_hieu, chu_quan, dia_danh, thu_truong, "
                "chuc_vu_thu_truong, cap_pho, chuc_vu_cap_pho, thu_tu) VALUES (1, 'Ban Dân vận Thành ủy', '', "
                "'BDVTU', 'Thành ủy Đà Lạt', 'Đà Lạt', 'Nguyễn Quang Hải', 'Trưởng Ban Dân vận', '', '', 1)"))
            connection.execute(text("INSERT INTO vai_tro (khoi_id, nam, vai_tro, don_vi_id) "
                                    "VALUES (1, 2021, 'truong_khoi', 1)"))
            connection.execute(text("INSERT INTO bo_dem (co_quan, nam, so_cuoi) VALUES ('KTĐ1', 2021, 7)"))
        old.dispose()
        new = Store(url)
        new.upgrade()
        with new.session() as session:
            assert [k.ten for k in registry.khoi_list(session)] == ["Khối thi đua số 1"]
            on = dt.date(2021, 1, 1)
            assert [(u.ten, u.thu_truong) for u in registry.members(session, 1, on)] == [
                ("Ban Dân vận Thành ủy", "Nguyễn Quang Hải")]
            assert registry.roles(session, 1, 2021).truong.ky_hieu == "BDVTU"
            assert numbering.take(session, "KTĐ1", 2021, "Kế hoạch", kind="ke_hoach", who="t").so == 8
            session.add(NhatKy(nguoi="t", hanh_dong="thu"))
        new.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    with database("sqlite", tmp_path) as url:
        instance = Store(url)
        instance.upgrade()
        with instance.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        instance.dispose()
        path = url.removeprefix("sqlite:///")
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_numbers_restart_each_year_and_have_a_leading_zero(store):  # noqa: F811
    with store.session() as session:
        lines = [numbering.take(session, "ktđ1", 2021, "Kế hoạch", kind="ke_hoach", who="t") for _ in range(3)]
        assert [line.ky_hieu for line in lines] == ["01/KH-KTĐ1", "02/KH-KTĐ1", "03/KH-KTĐ1"]
        assert numbering.take(session, "KTĐ1", 2022, "Báo cáo", kind="bao_cao_so_ket", who="t").ky_hieu == "01/BC-KTĐ1"
        assert numbering.take(session, "VPTU", 2021, "Báo cáo", kind="bao_cao_so_ket", who="t").so == 1
        numbering.record(session, "KTĐ1", 2021, 15, "Báo cáo", kind="bao_cao_tong_ket", who="t")
        assert numbering.take(session, "KTĐ1", 2021, "Kế hoạch", kind="ke_hoach", who="t").so == 16
        numbering.record(session, "KTĐ1", 2021, 9, "Báo cáo", kind="bao_cao_tong_ket", who="t")
        assert numbering.take(session, "KTĐ1", 2021, "Kế hoạch", kind="ke_hoach", who="t").so == 17


def _take_many(url: str, count: int, queue) -> None:
    instance = Store(url)
    taken = []
    for _ in range(count):
        with instance.session() as session:
            taken.append(numbering.take(session, "KTĐ1", 2021, "Kế hoạch", kind="ke_hoach", who="p").so)
    instance.dispose()
    queue.put(taken)


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_number_is_given_twice_under_concurrent_processes(backend, tmp_path):
    with database(backend, tmp_path) as url:
        Store(url).upgrade()
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        workers = [context.Process(target=_take_many, args=(url, REQUESTS, queue)) for _ in range(PROCESSES)]
        for worker in workers:
            worker.start()
        taken = [number for _ in workers for number in queue.get(timeout=600)]
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
        assert sorted(taken) == list(range(1, PROCESSES * REQUESTS + 1))
        instance = Store(url)
        with instance.session() as session:
            assert len(session.scalars(select(SoDi)).all()) == PROCESSES * REQUESTS
            assert session.get(BoDem, ("KTĐ1", "", "2021")).so_cuoi == PROCESSES * REQUESTS
        instance.dispose()


def test_records_keep_every_version_and_render_byte_identically(store):  # noqa: F811
    with store.session() as session:
        record = records.save(session, "ke_hoach", example("ke_hoach"), who="Văn thư A")
        first = records.render_record(session, record.id, who="t").content
        assert first == records.render_record(session, record.id, who="t").content
        assert first == render("ke_hoach", example("ke_hoach")).content
        edited = example("ke_hoach")
        edited["nguoi_ky"]["ho_ten"] = "Trần Văn Minh"
        records.save(session, "ke_hoach", edited, who="Văn thư B", record_id=record.id)
        assert record.phien_ban == 2 and [v.nguoi_luu for v in record.versions] == ["Văn thư A", "Văn thư B"]
        assert records.render_record(session, record.id, 1, who="t").content == first
        assert "Trần Văn Minh" in body_text(Reader(records.render_record(session, record.id, who="t").content))
        v1, v2 = record.versions
        assert v1.ma_mau == v2.ma_mau and len(v1.ma_mau) == 64 and v1.ma_du_lieu != v2.ma_du_lieu
        actions = [e.hanh_dong for e in session.scalars(select(NhatKy).order_by(NhatKy.id))]
        assert actions == ["luu", "tai_ve", "tai_ve", "sua", "tai_ve", "tai_ve"]


def test_saving_can_take_the_number_in_the_same_transaction(store):  # noqa: F811
    data = example("ke_hoach")
    data["so"], data["the_thuc"] = None, "nha_nuoc"
    with store.session() as session:
        record = records.save(session, "ke_hoach", data, who="t", lay_so=True)
        assert record.so == 1 and records.data(session, record.id)["so"] == 1
        line = numbering.register(session)[0]
        assert (line.ky_hieu, line.van_ban_id) == ("01/KH-KTĐ1", record.id)
        party = records.save(session, "ke_hoach", {**data, "the_thuc": "dang"}, who="t", lay_so=True)
        line = numbering.register(session)[-1]
        assert (party.so, line.ky_hieu, line.loai, line.ky) == (1, "01-KH/KTĐ1", "Kế hoạch", "2021")


def test_demo_seed_registry_and_prefill(store):  # noqa: F811
    with store.session() as session:
        assert seed.seed_demo(session) is True
        assert seed.seed_demo(session) is False  # only once
        old = session.scalar(select(Khoi).where(Khoi.ma == "KTD1-DL"))
        members = registry.members(session, old.id, dt.date(2021, 1, 1))
        assert [u.ten for u in members][3] == "Ban Dân vận Thành ủy" and len(members) == 6
        assert {r.kind for r in records.find(session, khoi_id=old.id, nam=2021)} == {
            "ke_hoach", "giao_uoc", "dang_ky", "bao_cao_so_ket", "bao_cao_tong_ket"}
        plan = next_year.prefill(session, get_kind("ke_hoach"), old.id, None, 2022)
        assert plan["co_quan"] == {"chu_quan": "Thành ủy Đà Lạt", "ten": "Khối thi đua số 1", "ky_hieu": "KTĐ1"}
        assert plan["nguoi_ky"] == {"tham_quyen": "TM", "thay_mat": "Khối thi đua số 1",
                                    "chuc_vu": "Chánh Văn phòng", "ho_ten": "Trần Văn Minh"}
        tuyen_giao = members[2]
        registration = next_year.prefill(session, get_kind("dang_ky"), old.id, tuyen_giao.id, 2021)
        assert registration["kinh_gui"] == ["Ban Dân vận Thành ủy (Trưởng Khối thi đua số 1)"]
        assert registration["nguoi_ky"]["ho_ten"] == "Võ Thị Hồng Nhung"
        covenant = next_year.prefill(session, get_kind("giao_uoc"), old.id, None, 2022)
        assert [(u["ten"], u["vai_tro"]) for u in covenant["don_vi_ky"]][:2] == [
            ("Văn phòng Thành ủy", "truong_khoi"), ("Ban Tổ chức Thành ủy", "pho_khoi")]


def test_rolling_a_record_follows_the_new_trưởng_khối(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        old = session.scalar(select(Khoi).where(Khoi.ma == "KTD1-DL"))
        plan_2021 = next(r for r in records.find(session, kind="ke_hoach", khoi_id=old.id))
        step = carry.plan(session, plan_2021.id, 2022)
        assert {"so", "ngay", "nguoi_ky"} <= {f.field for f in step.rolled.flags}
        assert step.rolled.data["nguoi_ky"]["ho_ten"] == "Trần Văn Minh"
        assert {"chu_de_nam", "han_bao_cao_6_thang", "han_bao_cao_nam"} <= {f.field for f in step.rolled.flags}
        assert step.rolled.data["the_thuc"] == "dang"  # the Party khối's plan stays a Party document
        draft = carry.apply(session, carry.plan(session, plan_2021.id, 2022), 2022, who="Văn thư").created
        # [[chu_de_nam]], [[han_bao_cao]]; «- Lưu <đơn vị soạn thảo>.» was cleared with last year's drafting
        # unit (a Party document then files under its issuer, nothing to fill).
        to_fill = {e.field for e in records.to_fill(session, draft.id)}
        tokens = {field for field in to_fill if field.startswith("noi_dung.") and field.endswith(".van_ban")}
        assert draft.nhap and len(tokens) == 2 and to_fill == tokens
        records.delete(session, draft.id, who="Văn thư")
        step.rolled.data |= {"chu_de_nam": "Chủ đề năm 2022", "han_bao_cao_6_thang": "2022-06-20",
                             "han_bao_cao_nam": "2022-12-20",
                             "noi_nhan": {**step.rolled.data["noi_nhan"], "luu": "VPTU"}}
        new = carry.apply(session, step, 2022, who="Văn thư").created
        assert (new.nam, new.tao_tu, new.so, new.nhap) == (2022, plan_2021.id, None, False)
        text = body_text(Reader(records.render_record(session, new.id, who="t").content))
        assert "92 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2022); Mừng xuân Nhâm Dần" in text
        assert "TRƯỞNG BAN DÂN VẬN" not in text and "CHÁNH VĂN PHÒNG" in text
        assert carry.plan(session, plan_2021.id, 2022).action == "da_co"
        assert len(carry.khoi_set(session, old.id, 2021)) == 5


@pytest.mark.parametrize("backend", BACKENDS)
def test_stored_documents_of_the_old_body_shape_are_rewritten(backend, tmp_path):
    plan = example("ke_hoach")
    for section in plan["noi_dung"]:
        section["khoi"] = section.pop("thanh_phan")  # as versions before 0008 stored it
    old_so_ket = {key: value for key, value in example("bao_cao_so_ket").items() if key not in ("noi_dung", "ky")}
    old_so_ket |= {"ket_qua": [{"loai": "doan", "van_ban": "Kết quả."}], "uu_diem": "Ưu.", "han_che": "Hạn.",
                   "nguyen_nhan": "Do.", "phuong_huong": [{"loai": "gach", "van_ban": "Tiếp."}], "kien_nghi": "Xin."}
    with database(backend, tmp_path) as url:
        old = Store(url)
        old.upgrade("0007")
        with old.engine.begin() as connection:
            for number, (kind_id, data) in enumerate((("ke_hoach", plan), ("bao_cao_so_ket", old_so_ket)), 1):
                stored = records.canonical(data)
                connection.execute(text("INSERT INTO van_ban (id, kind, nam, tieu_de, phien_ban, nhap, xem_lai, "
                                        "xoa_boi, nguoi_tao) VALUES (:id, :kind, 2021, 't', 1, false, '', '', 't')"),
                                   {"id": number, "kind": kind_id})
                connection.execute(text("INSERT INTO phien_ban (van_ban_id, phien_ban, du_lieu, ma_mau, ma_du_lieu, "
                                        "nguoi_luu) VALUES (:id, 1, :data, 'x', :hash, 't')"),
                                   {"id": number, "data": stored, "hash": records.sha256(stored)})
        old.dispose()
        new = Store(url)
        new.upgrade()
        with new.session() as session:
            rewritten = records.data(session, 1)
            assert "thanh_phan" in rewritten["noi_dung"][0] and "khoi" not in rewritten["noi_dung"][0]
            so_ket = records.data(session, 2)
            assert "uu_diem" not in so_ket and so_ket["ky"] == "6_thang"
            assert [s["tieu_de"] for s in so_ket["noi_dung"]][-1] == "Kiến nghị"
            text_of = body_text(Reader(records.render_record(session, 2, who="t").content))
            assert "Ưu." in text_of and "- Tiếp." in text_of and "IV. KIẾN NGHỊ" in text_of
            version = records.version(session, 1)
            assert version.ma_du_lieu == records.sha256(version.du_lieu)
        new.dispose()
