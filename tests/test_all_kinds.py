"""What every kind shares: NĐ 30 page, fonts, header, title, closing and page numbers, hostile input."""

from __future__ import annotations

import re

import pytest

from doctpl.errors import ValidationError
from doctpl.fields import Repeat, Text, walk
from doctpl.kind import get_kind, kinds
from doctpl.render import render
from doctpl.rollover import roll
from tests.conftest import HOSTILE, body_text, example, rendered, state_example, submit

KINDS = [kind.id for kind in kinds()]
FONTS = {slot: "Times New Roman" for slot in ("ascii", "hAnsi", "eastAsia", "cs")}


def test_the_kinds_exist_in_the_order_of_the_year():
    assert KINDS == ["ke_hoach", "giao_uoc", "dang_ky", "bao_cao_so_ket", "bao_cao_tong_ket", "bang_diem", "bien_ban",
                     "to_trinh", "giay_moi"]


@pytest.fixture(scope="module", params=KINDS)
def doc(request):
    return request.param, rendered(request.param, state_example(request.param))


def sizes(para):
    return {(run.size, run.bold, run.italic) for run in para.runs if run.text.strip()}


def test_page_and_fonts(doc):
    _, reader = doc
    section = reader.section()
    assert (section["width"], section["height"], section["orient"]) == (11906, 16838, "portrait")
    assert (section["top"], section["bottom"], section["left"], section["right"]) == (1134, 1134, 1701, 850)
    assert all(fonts == FONTS for fonts in reader.style_fonts().values())
    assert all(run.fonts == FONTS for p in reader.paragraphs() for run in p.runs if run.text)


def test_header_title_and_date_line(doc):
    kind_id, reader = doc
    cells = {}
    for p in reader.paragraphs():
        if p.where.startswith("table 0"):
            cells.setdefault(p.where, []).append(p)
    left, right = cells["table 0 row 0 cell 0"], cells["table 0 row 0 cell 1"]
    assert sizes(left[0]) == {(13, False, False)} and sizes(left[1]) == {(13, True, False)}
    assert left[2].bottom_border
    assert [p.text for p in right[:2]] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    (so,) = cells["table 0 row 1 cell 0"]
    assert re.fullmatch(r"Số: (\d{2,}|\s{5})/[A-ZĐƯ][A-Za-zĐƯ]*-[A-ZĐ0-9]+", so.text), so.text  # TTr is mixed-case
    (date,) = cells["table 0 row 1 cell 1"]
    assert re.fullmatch(r"Đà Lạt, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[012]) năm 2021", date.text)
    assert sizes(date) == {(14, False, True)}
    body = [p for p in reader.paragraphs() if p.where == "body"]
    assert body[0].text.isupper() and sizes(body[0]) == {(14, True, False)} and body[0].align == "center"
    assert sizes(body[1]) == {(14, True, False)} and body[2].bottom_border


def test_nơi_nhận_and_signature(doc):
    kind_id, reader = doc
    paragraphs = reader.paragraphs()
    label = next(p for p in paragraphs if p.text == "Nơi nhận:")
    assert sizes(label) == {(12, True, True)}
    entries = [p for p in paragraphs[label.index + 1:] if p.where == label.where]
    assert entries and all(sizes(e) == {(11, False, False)} for e in entries)
    assert all(e.text.startswith("- ") and e.text.endswith(";") for e in entries[:-1])
    assert re.fullmatch(r"- Lưu: VT(, .+)?\.", entries[-1].text)
    if kind_id not in ("giao_uoc", "bien_ban"):  # a signature grid; signers by role (tests/test_bien_ban.py)
        signer = [p for p in paragraphs if p.where == label.where.replace("cell 0", "cell 1")]
        assert signer[0].text.isupper() and sizes(signer[0]) == {(14, True, False)}
        assert sizes(signer[-1]) == {(14, True, False)} and not signer[-1].text.isupper()


def test_page_numbers_from_page_two(doc):
    _, reader = doc
    section = reader.section()
    default = reader.header_paragraphs()[reader.header_part(section["header_refs"]["default"])]
    first = reader.header_paragraphs()[reader.header_part(section["header_refs"]["first"])]
    assert section["title_page"] and any(p.has_page_field and p.align == "center" for p in default)
    assert not any(p.has_page_field for p in first)


def test_content_ends_with_the_end_mark(doc):
    _, reader = doc
    assert "./." in body_text(reader)


def _text_paths(kind_id, data, prefix=""):
    """Yield the dotted paths of every filled free-text field (to inject hostile input everywhere)."""
    texts = set()
    for path, field in walk(get_kind(kind_id).fields):
        if isinstance(field, Text):
            texts.add(path)
        elif isinstance(field, Repeat) and isinstance(field.item, Text):
            texts.add(path + ".*")
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _text_paths(kind_id, value, f"{prefix}{key}.")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _text_paths(kind_id, value, f"{prefix}{index}.")
    elif isinstance(data, str) and data:
        path = prefix[:-1]
        schema_path = re.sub(r"\.\d+(?=\.|$)", ".*", path)
        if schema_path in texts and "ky_hieu" not in path:
            yield path


def _set(data, path, value):
    *parents, last = path.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    data[int(last) if isinstance(data, list) else last] = value


@pytest.mark.parametrize("kind_id", KINDS)
@pytest.mark.parametrize("value", list(HOSTILE.values()))
def test_hostile_values_in_every_text_field_render_literally(kind_id, value):
    data = state_example(kind_id)
    paths = list(_text_paths(kind_id, data))
    assert len(paths) >= 5
    for path in paths:
        _set(data, path, value)
    text = body_text(rendered(kind_id, data))
    expected = "Kế hoạch tổ chức phong trào thi đua Đảng ủy" if value == HOSTILE["nfd"] else value
    assert expected in text


@pytest.mark.parametrize("kind_id", KINDS)
def test_empty_data_names_every_required_field(kind_id):
    with pytest.raises(ValidationError) as caught:
        render(kind_id, {})
    fields = {e.field for e in caught.value.errors()}
    required = {"co_quan.ten", "co_quan.ky_hieu", "dia_danh", "nam"}
    optional = any(f.name == "co_noi_nhan" for f in get_kind(kind_id).fields)  # a biên bản's Nơi nhận
    assert required | (set() if optional else {"noi_nhan.cac_noi"}) <= fields
    assert all(e.message for e in caught.value.errors())


@pytest.mark.parametrize("kind_id", KINDS)
def test_api_and_web_form_work_for_every_kind(client, kind_id):
    import lxml.html

    assert client.post(f"/api/v1/render/{kind_id}", json=state_example(kind_id)).status_code == 200
    page = client.get(f"/{kind_id}")  # the form opens on the kind's first example, in its own thể thức
    assert page.status_code == 200
    values = dict(lxml.html.fromstring(page.data).get_element_by_id("doc-form").form_values())
    api = client.post(f"/api/v1/render/{kind_id}", json=example(kind_id) | {"so": None})  # the form leaves Số
    assert submit(client, f"/{kind_id}", values) == api.data


@pytest.mark.parametrize("kind_id", KINDS)
def test_a_cited_legal_document_not_in_force_is_warned_about_but_renders(kind_id):
    data = roll(get_kind(kind_id), state_example(kind_id), 2026).data | {"ngay": ""}  # last year's file, copied
    data |= {name: value for name, value in (("chu_de_nam", "Chủ đề năm 2026"), ("chu_de", "Chủ đề năm 2026"),
                                              ("han_bao_cao_6_thang", "2026-06-20"),
                                              ("ngay_quyet_dinh", "2026-12-28")) if name in data}  # per_year
    data["can_cu"] = [*data["can_cu"], "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;",
                      "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ;"]
    stale = len(data["can_cu"]) - 2
    document = render(kind_id, data)
    warned = [w for w in document.warnings if w.message.startswith("Căn cứ thứ")]  # not the review's old dates
    assert [(w.field, w.message) for w in warned] == [(f"can_cu.{stale}", (
        f"Căn cứ thứ {stale + 1} dẫn văn bản số 98/2023/NĐ-CP, đã hết hiệu lực từ ngày 01/7/2025, trong khi "
        "văn bản này thuộc năm 2026. Có thể còn sót từ văn bản năm trước. Kiểm tra lại căn cứ."))]
    assert "- Căn cứ Nghị định số 98/2023/NĐ-CP" in body_text(rendered(kind_id, data))


def test_a_legal_document_cited_before_it_takes_effect_is_warned_about():
    data = state_example("ke_hoach") | {"can_cu": ["Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
                                              "Căn cứ Nghị định số 198/2023/NĐ-CP;"]}
    assert [w.message for w in render("ke_hoach", data).warnings] == [
        "Căn cứ thứ 1 dẫn văn bản số 06/2022/QH15, chỉ có hiệu lực từ ngày 01/01/2024, trong khi văn bản này "
        "ban hành ngày 08/4/2021. Kiểm tra lại căn cứ.",
        "còn ghi năm 2023: «Căn cứ Nghị định số 198/2023/NĐ-CP;»"]  # not catalogued: the review sees its year
