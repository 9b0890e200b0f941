"""The command line: kinds, schema, render, with the same field errors as the API."""

from __future__ import annotations

import json

from click.testing import CliRunner

from doctpl.check.reader import Reader
from doctpl.cli import main
from doctpl.kind import EXAMPLES_DIR
from doctpl.render import render
from tests.conftest import body_text, example


def test_kinds():
    result = CliRunner().invoke(main, ["kinds"])
    assert result.exit_code == 0 and "ke_hoach\tKế hoạch tổ chức phong trào thi đua" in result.output


def test_schema():
    result = CliRunner().invoke(main, ["schema", "ke_hoach"])
    assert result.exit_code == 0 and json.loads(result.output)["$id"] == "doctpl:kinds/ke_hoach"


def test_render_writes_the_same_bytes_as_the_library(tmp_path):
    out = tmp_path / "kh.docx"
    result = CliRunner().invoke(main, ["render", "ke_hoach", str(EXAMPLES_DIR / "ke_hoach.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == render("ke_hoach", example("ke_hoach")).content
    assert "Đà Lạt, ngày 08 tháng 4 năm 2021" in body_text(Reader(out.read_bytes()))


def test_invalid_data_exits_2_with_the_field_errors_and_writes_nothing(tmp_path):
    data = example("ke_hoach")
    data["nguoi_ky"]["ho_ten"] = ""
    data["nam"] = 1800
    source, out = tmp_path / "bad.json", tmp_path / "bad.docx"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", "ke_hoach", str(source), "-o", str(out)])
    assert result.exit_code == 2
    assert "nguoi_ky.ho_ten: Vui lòng nhập «Họ và tên người ký»." in result.output
    assert "nam: «Năm» phải là số nguyên từ 1945 đến 2200." in result.output
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_malformed_json_and_unknown_kind(tmp_path):
    source = tmp_path / "x.json"
    source.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", "ke_hoach", str(source)])
    assert result.exit_code == 2 and "không phải JSON hợp lệ (dòng 1" in result.output
    result = CliRunner().invoke(main, ["render", "khong_co", str(source)])
    assert result.exit_code == 2 and "Không có loại văn bản «khong_co»" in result.output


def test_every_kind_renders_from_its_example_on_the_command_line(tmp_path):
    from doctpl.kind import kinds

    for kind in kinds():
        for name in kind.examples:
            out = tmp_path / f"{name}.docx"
            result = CliRunner().invoke(main, ["render", kind.id, str(EXAMPLES_DIR / name), "-o", str(out)])
            assert result.exit_code == 0, (kind.id, result.output)
            assert out.read_bytes() == render(kind.id, example(kind.id, name)).content


def test_db_init_registry_export_and_import(tmp_path):
    empty, demo = f"sqlite:///{tmp_path / 'rong.sqlite3'}", f"sqlite:///{tmp_path / 'mau.sqlite3'}"
    assert CliRunner().invoke(main, ["db", "init", "--database", empty]).exit_code == 0
    made = CliRunner().invoke(main, ["db", "init", "--demo", "--database", demo])
    assert made.exit_code == 0 and "kèm dữ liệu mẫu" in made.output
    again = CliRunner().invoke(main, ["db", "init", "--demo", "--database", demo])
    assert again.exit_code == 0 and "không nạp dữ liệu mẫu" in again.output
    exported = tmp_path / "reg.json"
    result = CliRunner().invoke(main, ["registry", "export", "-o", str(exported), "--database", demo])
    assert result.exit_code == 0 and "3 khối, cụm" in result.output
    for _ in range(2):  # idempotent
        result = CliRunner().invoke(main, ["registry", "import", str(exported), "--database", empty])
        assert result.exit_code == 0 and "Đã nhập 3 khối, cụm" in result.output
    copy = tmp_path / "copy.json"
    CliRunner().invoke(main, ["registry", "export", "-o", str(copy), "--database", empty])
    assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(exported.read_text(encoding="utf-8"))
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["khoi"][1]["vai_tro"][0]["truong_khoi"] = "P-XH"  # a phường is no member of the Party bloc
    exported.write_text(json.dumps(document), encoding="utf-8")
    refused = CliRunner().invoke(main, ["registry", "import", str(exported), "--database", empty])
    assert refused.exit_code == 2
    assert "khoi.1.vai_tro.0.truong_khoi: «P-XH» không phải đơn vị thành viên của khối này." in refused.output


def test_apikey_create_prints_a_key_the_api_takes(tmp_path):
    from app import create_app
    from doctpl.store import users

    url = f"sqlite:///{tmp_path / 'khoa.sqlite3'}"
    application = create_app({"TESTING": True, "SEED_DEMO": False, "DATABASE_URL": url})
    with application.extensions["doctpl.store"].session() as session:
        users.create(session, {"ten_dang_nhap": "quantri", "ho_ten": "Quản trị", "mat_khau": "mat-khau-2026-dai"},
                     role="quan_tri")
    result = CliRunner().invoke(main, ["apikey", "create", "quantri", "--database", url])
    assert result.exit_code == 0 and result.output.startswith("dtpl_")
    key = result.output.strip()
    client = application.test_client()
    assert client.get("/api/v1/kinds", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    missing = CliRunner().invoke(main, ["apikey", "create", "khongco", "--database", url])
    assert missing.exit_code == 2 and "Không có tài khoản «khongco»" in missing.output
