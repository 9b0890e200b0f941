"""The prepared engine: same documents as plain docxtpl, safe across threads, sandboxed."""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

import pytest
from docx import Document

from doctpl import engine
from doctpl.check.reader import Reader
from doctpl.errors import TemplateError
from doctpl.kind import kinds
from doctpl.parts.header import rules_of
from doctpl.render import render
from tests.conftest import body_text, example

CASES = [(kind.id, name) for kind in kinds() for name in kind.examples]


def formatted(content: bytes) -> list[dict]:
    """Every paragraph with its text and effective formatting, runs included."""
    reader = Reader(content)
    paragraphs = reader.paragraphs() + [p for ps in reader.header_paragraphs().values() for p in ps]
    out = []
    for p in paragraphs:
        item = asdict(p)
        item["runs"] = [r for r in item["runs"] if r["text"]]
        out.append(item)
    return out


@pytest.mark.parametrize(("kind_id", "name"), CASES)
def test_engine_output_equals_plain_docxtpl(kind_id, name):
    kind = next(k for k in kinds() if k.id == kind_id)
    data = kind.validate(example(kind_id, name))
    context, template = kind.context(data), kind.template_path(rules_of(data))
    fast = engine.prepared(template).render(context)
    reference = engine.render_docxtpl(template, context)
    assert formatted(fast) == formatted(reference)
    assert Reader(fast).section() == Reader(reference).section()
    Document(io.BytesIO(fast))  # python-docx opens the engine's archive


def _plan(index: int) -> dict:
    data = example("ke_hoach")
    year = 2021 + index
    data.update(nam=year, ngay=f"{year}-04-08", han_bao_cao_6_thang=f"{year}-06-20", han_bao_cao_nam=f"{year}-12-20")
    data["nguoi_ky"]["ho_ten"] = f"Người ký số {index}"
    return data


def test_concurrent_rendering_from_8_threads_gives_correct_distinct_documents():
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: (i, render("ke_hoach", _plan(i)).content), [i % 16 for i in range(64)]))
    assert len({content for _, content in results}) == 16
    for index, content in results:
        text = body_text(Reader(content))
        assert f"Người ký số {index}" in text
        assert f"{91 + index} năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/{2021 + index})" in text
        assert content == render("ke_hoach", _plan(index)).content  # the same as rendered alone


def test_a_template_cannot_reach_python_internals(tmp_path):
    document = Document()
    document.add_paragraph("{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    path = tmp_path / "evil.docx"
    document.save(path)
    with pytest.raises(TemplateError):
        engine.prepared(path).render({})


def test_a_changed_template_is_prepared_again(tmp_path):
    path = tmp_path / "t.docx"
    for step, text in enumerate(("Một {{ x }}", "Hai {{ x }}")):
        document = Document()
        document.add_paragraph(text)
        document.save(path)
        os.utime(path, (1_700_000_000 + step, 1_700_000_000 + step))  # an admin's edit changes the time
        content = engine.prepared(path).render({"x": "&<>"})
        assert body_text(Reader(content)) == text.replace("{{ x }}", "&<>")


def test_multi_line_values_in_table_cells_break_lines_as_docxtpl_does():
    kind = next(k for k in kinds() if k.id == "bao_cao_tong_ket")
    data = example("bao_cao_tong_ket")
    data["de_nghi"][0]["thanh_tich"] = "Dòng một & <hai>\nDòng hai"
    checked = kind.validate(data)
    context, template = kind.context(checked), kind.template_path(rules_of(checked))
    fast = engine.prepared(template).render(context)
    assert formatted(fast) == formatted(engine.render_docxtpl(template, context))
    # One paragraph with a line break inside, not two paragraphs.
    assert "Dòng một & <hai>\nDòng hai" in [para.text for para in Reader(fast).paragraphs()]
