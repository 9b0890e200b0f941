"""Shared fixtures: the app and its clients, examples, and rendering helpers."""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from doctpl.check.reader import Para, Reader
from doctpl.kind import EXAMPLES_DIR, get_kind
from doctpl.render import render
from tests.stores import web  # noqa: F401  (fixture: the app on each test database)

# One shared list of hostile inputs (DEVELOPERS.md, Standards).
HOSTILE = {
    "amp_lt_quote": 'Công ty A & B <TNHH> "x"',
    "jinja": "{{ 7*7 }} {% if true %}x{% endif %}",
    "nfd": unicodedata.normalize("NFD", "Kế hoạch tổ chức phong trào thi đua Đảng ủy"),
}


@pytest.fixture
def app(tmp_path: Path):
    """A fresh app on its own SQLite database, without the demo data."""
    return create_app({"TESTING": True, "SECRET_KEY": "test", "SEED_DEMO": False, "BATCH_FOLDER": str(tmp_path),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}"})


@pytest.fixture
def demo_app(tmp_path: Path):
    """A fresh app on its own SQLite database, seeded with the demo khối."""
    return create_app({"TESTING": True, "SECRET_KEY": "test", "BATCH_FOLDER": str(tmp_path),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})


def submit(client, path: str, values: dict) -> bytes:
    """Post a form, follow it to the saved record and download the document it offers."""
    response = client.post(path, data=values)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    match = re.match(r"/van-ban/(\d+)\?moi=1$", response.headers["Location"])
    assert match, response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'url=/van-ban/{match.group(1)}/tai-ve' in page  # the record page starts the download
    download = client.get(f"/van-ban/{match.group(1)}/tai-ve")
    assert download.status_code == 200
    return download.data


PASSWORD = "mat-khau-thu-nghiem-2026"


def signed_in(application, login: str = "quantri", role: str = "quan_tri", name: str = "Lê Văn Thư", *,
              don_vi_id: int | None = None, khoi_id: int | None = None):
    """Return a test client signed in to `application` as a new account of `role`, with an API key.

    A văn thư given no unit serves a new one; a thư ký khối given no khối serves a new one.
    """
    from doctpl.store import api_keys, registry_edit, users

    with application.extensions["doctpl.store"].session() as session:
        if role == "van_thu" and don_vi_id is None:
            don_vi_id = registry_edit.create_body(session, {"ten": f"Đơn vị của {login}", "ky_hieu": "DVTN"}).id
        if role == "thu_ky" and khoi_id is None:
            khoi_id = registry_edit.create_khoi(session, {"ten": f"Khối của {login}", "ky_hieu": "KTN"}).id
        user = users.create(session, {"ten_dang_nhap": login, "ho_ten": name, "mat_khau": PASSWORD}, role=role,
                            don_vi_id=don_vi_id, khoi_id=khoi_id)
        _, key = api_keys.create(session, user, "kiểm thử")
    client = application.test_client()
    page = client.get("/dang-nhap").get_data(as_text=True)
    response = client.post("/dang-nhap", data={"csrf_token": csrf_token(page), "ten_dang_nhap": login,
                                               "mat_khau": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def client(app):
    """Flask's test client signed in as an admin, CSRF protection on."""
    return signed_in(app)


@pytest.fixture
def demo_client(demo_app):
    """A signed-in client of the demo database."""
    return signed_in(demo_app)


def example(kind_id: str, name: str | None = None) -> dict[str, Any]:
    """Return a deep copy of an example's raw data."""
    kind = get_kind(kind_id)
    return copy.deepcopy(json.loads((EXAMPLES_DIR / (name or next(iter(kind.examples)))).read_text(encoding="utf-8")))


def state_example(kind_id: str, name: str | None = None) -> dict[str, Any]:
    """Return an example as a state body's document (NĐ 30), whatever thể thức the example has."""
    return example(kind_id, name) | {"the_thuc": "nha_nuoc"}


def rendered(kind_id: str, data: dict[str, Any]) -> Reader:
    """Render `data` and open the result with the reader."""
    return Reader(render(kind_id, data).content)


def body_text(reader: Reader) -> str:
    """Return all text of the document, paragraphs joined by newlines."""
    return "\n".join(p.text for p in reader.paragraphs())


def docx_text(content: bytes) -> str:
    """Return all text of a .docx, table cells included, as the reader sees it."""
    return body_text(Reader(content))


def find(paragraphs: list[Para], pattern: str) -> Para:
    """Return the first paragraph whose text matches `pattern` (a regex)."""
    for para in paragraphs:
        if re.search(pattern, para.text):
            return para
    raise AssertionError(f"no paragraph matches {pattern!r}")


def csrf_token(html: str) -> str:
    """Extract the CSRF token from a rendered form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "form has no CSRF token"
    return match.group(1)


def assert_rejected(kind_id: str, change, field: str, fragment: str) -> None:
    """Apply `change` to the kind's example and check the error on `field` contains `fragment`."""
    from doctpl.errors import ValidationError

    data = example(kind_id)
    change(data)
    with pytest.raises(ValidationError) as caught:
        render(kind_id, data)
    matches = [e for e in caught.value.errors() if e.field == field]
    assert matches and fragment in matches[0].message, caught.value.errors()
