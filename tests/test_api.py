"""The JSON API: kinds, schema, render, and the one error shape."""

from __future__ import annotations

import jsonschema
import pytest

from doctpl.check.reader import Reader
from doctpl.parts import body
from doctpl.render import DOCX_MIME
from tests.conftest import HOSTILE, body_text, example, state_example


def assert_error_shape(response, status):
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"errors"} and body["errors"]
    for error in body["errors"]:
        assert set(error) == {"field", "message"} and isinstance(error["message"], str) and error["message"]
    return body["errors"]


def test_kinds(client):
    kinds = client.get("/api/v1/kinds").get_json()["kinds"]
    assert kinds[0]["id"] == "ke_hoach" and kinds[0]["schema"] == "/api/v1/kinds/ke_hoach/schema"


def test_schema_is_valid_and_accepts_every_example(client):
    schema = client.get("/api/v1/kinds/ke_hoach/schema").get_json()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for name in ("ke_hoach.json", "ke_hoach_cum_phuong.json"):
        validator.validate(example("ke_hoach", name))
    assert schema["properties"]["trich_yeu"]["title"] == "Trích yếu nội dung"
    nested = schema["properties"]["noi_dung"]["items"]["properties"]["thanh_phan"]["items"]
    assert nested["properties"]["loai"]["enum"] == list(body.BLOCK_TYPES)
    assert {"doan", "gach", "cong", "khoan", "diem", "quy", "bang", "ky_niem"} == set(body.BLOCK_TYPES)


def test_render_returns_the_docx(client):
    response = client.post("/api/v1/render/ke_hoach", json=example("ke_hoach"))
    assert response.status_code == 200 and response.mimetype == DOCX_MIME
    assert "Số 01-KH/KTĐ1" in body_text(Reader(response.data))  # the seed khối writes in Party form


def test_missing_required_field_is_422_with_its_message(client):
    data = example("ke_hoach")
    del data["dia_danh"]
    errors = assert_error_shape(client.post("/api/v1/render/ke_hoach", json=data), 422)
    assert errors == [{"field": "dia_danh", "message": "Vui lòng nhập «Địa danh»."}]


def test_nested_error_paths_are_dotted(client):
    data = example("ke_hoach")
    data["noi_dung"][1]["thanh_phan"][3]["con"][2]["chu_de"] = ""
    errors = assert_error_shape(client.post("/api/v1/render/ke_hoach", json=data), 422)
    assert errors[0]["field"] == "noi_dung.1.thanh_phan.3.con.2.chu_de"


@pytest.mark.parametrize(("body", "content_type"), [("{không phải json", "application/json"),
                                                    ('["a list"]', "application/json"),
                                                    ("nam=2021", "application/x-www-form-urlencoded")])
def test_malformed_body_is_400(client, body, content_type):
    assert_error_shape(client.post("/api/v1/render/ke_hoach", data=body, content_type=content_type), 400)


def test_unknown_kind_and_unknown_path_are_404(client):
    assert_error_shape(client.post("/api/v1/render/khong_co", json={}), 404)
    assert_error_shape(client.get("/api/v1/kinds/khong_co/schema"), 404)
    assert_error_shape(client.get("/api/v1/khong_co"), 404)


def test_wrong_method_is_405(client):
    assert_error_shape(client.get("/api/v1/render/ke_hoach"), 405)


def test_hostile_values_through_the_api(client):
    data = state_example("ke_hoach")  # a Party trích yếu would start lower-case
    data["trich_yeu"] = HOSTILE["amp_lt_quote"] + " " + HOSTILE["jinja"]
    response = client.post("/api/v1/render/ke_hoach", json=data)
    assert response.status_code == 200
    assert HOSTILE["amp_lt_quote"] + " " + HOSTILE["jinja"] in body_text(Reader(response.data)).replace("\n", " ")


def test_unexpected_failure_keeps_the_shape(app, client, monkeypatch):
    import web.api

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(web.api, "render", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    errors = assert_error_shape(client.post("/api/v1/render/ke_hoach", json=example("ke_hoach")), 500)
    assert "disk full" not in errors[0]["message"]


def test_legal_bases_in_force_on_a_date(client):
    listed = client.get("/api/v1/can-cu?ngay=15/06/2025").get_json()
    assert listed["ngay"] == "2025-06-15"
    assert [b["so_hieu"] for b in listed["can_cu"]] == ["06/2022/QH15", "98/2023/NĐ-CP", "01/2024/TT-BNV"]
    assert listed["can_cu"][1]["het_hieu_luc"] == "2025-06-30" and listed["can_cu"][1]["da_xac_minh"] is True
    later = client.get("/api/v1/can-cu?ngay=2026-10-01").get_json()["can_cu"]
    assert "152/2025/NĐ-CP" in [b["so_hieu"] for b in later] and "98/2023/NĐ-CP" not in [b["so_hieu"] for b in later]
    for bad in ("31/02/2026", "{{ 7*7 }}", "2026-1"):
        response = client.get("/api/v1/can-cu", query_string={"ngay": bad})
        assert response.status_code == 400
        assert "Tham số ngay phải là ngày" in response.get_json()["errors"][0]["message"]
