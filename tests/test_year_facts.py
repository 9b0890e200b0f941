"""Per-unit reports are the unit's own; the khối's tổng kết aggregates its units (issue 13, point 5)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from doctpl import batch
from doctpl.kind import get_kind
from doctpl.store import next_year, records, seed
from doctpl.store.models import DonVi, Khoi
from tests.stores import store  # noqa: F401  (fixture)

KHOI_TEXT = "Khối thi đua các cơ quan Đảng tỉnh"


def _ids(session, khoi: str, unit: str) -> tuple[int, int]:
    return (session.scalar(select(Khoi.id).where(Khoi.ma == khoi)),
            session.scalar(select(DonVi.id).where(DonVi.ma == unit)))


def _texts(data: dict) -> str:
    return "\n".join(block.get("van_ban", "") for section in data["noi_dung"] for block in section["thanh_phan"])


def test_a_units_report_starts_from_its_own_registration_and_scores_never_the_khois_text(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        khoi_id, unit_id = _ids(session, "KTD-CQD-LD", "BTGDVTU-LD")
        khoi_report = next(r for r in records.find(session, khoi_id=khoi_id, kind="bao_cao_tong_ket")
                           if r.don_vi_id is None)
        khoi_text = _texts(records.data(session, khoi_report.id))
        jobs, _ = batch.from_registry(session, khoi_id, 2026, ["bao_cao_tong_ket"], who="t")
        unit_name = "Ban Tuyên giáo và Dân vận Tỉnh ủy"
        [job] = [j for j in jobs if j.folder == unit_name]
        text = _texts(job.raw)
        assert f"Đầu năm 2026, {unit_name} đã đăng ký thi đua" in text
        assert "Kết quả chấm điểm thi đua năm 2026: tự chấm" in text
        first_lines = [line for line in khoi_text.split("\n") if len(line) > 40][:3]
        assert first_lines and not any(line in text for line in first_lines)  # nothing of the khối's report
        assert job.raw["co_quan"]["ten"] == unit_name
        prefilled = next_year.prefill(session, get_kind("bao_cao_tong_ket"), khoi_id, unit_id, 2026)
        assert f"Đầu năm 2026, {unit_name} đã đăng ký thi đua" in _texts(prefilled)


def test_the_khois_tong_ket_takes_its_scores_and_proposals_from_the_year(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        khoi_id, _ = _ids(session, "KTD-CQD-LD", "BTGDVTU-LD")
        data = next_year.prefill(session, get_kind("bao_cao_tong_ket"), khoi_id, None, 2026)
        assert data["co_quan"]["ten"] == KHOI_TEXT
        scored = {row["don_vi"] for row in data["diem"]}
        assert "Ban Tuyên giáo và Dân vận Tỉnh ủy" in scored and len(scored) >= 3
        assert {row["khen"] for row in data["de_nghi"]} >= {"co_tinh"}
        rendered = get_kind("bao_cao_tong_ket").draft(data)[0]
        assert rendered["nam"] == 2026 and dt.date(2026, 1, 1).year == rendered["nam"]


def test_the_bien_ban_takes_the_scores_and_the_to_trinh_the_suy_ton_votes(store):  # noqa: F811
    with store.session() as session:
        seed.seed_demo(session)
        khoi_id, _ = _ids(session, "KTD-CQD-LD", "BTGDVTU-LD")
        minutes = next_year.prefill(session, get_kind("bien_ban"), khoi_id, None, 2026)
        assert {row["don_vi"] for row in minutes["ket_qua"]} >= {"Ban Tuyên giáo và Dân vận Tỉnh ủy"}
        assert all(row["diem"] is not None and row["dong_y"] is None for row in minutes["ket_qua"])
        proposal = next_year.prefill(session, get_kind("to_trinh"), khoi_id, None, 2026)
        voted = {(row["don_vi"], row["khen"]) for row in proposal["de_nghi"]}
        assert ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "co_tinh") in voted
        assert all(row["tong_phieu"] for row in proposal["de_nghi"])


def test_a_batch_sends_the_khois_one_giay_moi_to_every_member_unit(store):  # noqa: F811
    from doctpl.render import render_data
    from doctpl.store import registry
    from tests.conftest import docx_text

    with store.session() as session:
        seed.seed_demo(session)
        khoi_id, _ = _ids(session, "KTD-CQD-LD", "BTGDVTU-LD")
        members = [u.ten for u in registry.members(session, khoi_id, dt.date(2026, 1, 1))]
        jobs, problems = batch.from_registry(session, khoi_id, 2026, ["giay_moi"], who="t")
        assert [job.folder for job in jobs] == members and not problems
        numbers = {job.raw["so"] for job in jobs}
        assert len(numbers) == 1  # one record, one number: copies of the same giấy mời
        kind = get_kind("giay_moi")
        for job, name in zip(jobs, members, strict=True):
            assert job.raw["kinh_moi"] == [name]
            assert name in docx_text(render_data(kind, kind.validate(job.raw)).content)
