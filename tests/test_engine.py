"""The prepared engine: same documents as plain docxtpl, safe across threads, sandboxed."""

from __future__ import annotations

import io
import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

import pytest
from docx import Document
from docx.shared import Pt
from docxtpl import RichText, RichTextParagraph
from lxml import etree

from doctpl import engine
from doctpl.check.reader import Reader
from doctpl.errors import TemplateError
from doctpl.kind import kinds
from doctpl.parts.header import rules_of
from doctpl.render import render
from doctpl.the_thuc import by_code, versions
from tests.conftest import body_text, example

CASES = [(kind.id, name) for kind in kinds() for name in kind.examples]
TEMPLATE_CASES = [(kind_id, name, rules.ma) for kind_id, name in CASES for rules in versions()]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CORE = ("author", "category", "comments", "content_status", "created", "identifier", "keywords", "language",
        "last_modified_by", "last_printed", "modified", "revision", "subject", "title", "version")


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


def grids(content: bytes) -> list[tuple[list[str | None], list[list[int]]]]:
    """Every table's grid (its column widths) and, row by row, each cell's span: what docxtpl's fix_tables sets."""
    tree = etree.fromstring(zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml"))
    out = []
    for table in tree.iter(W + "tbl"):
        grid = table.find(W + "tblGrid")
        columns = [column.get(W + "w") for column in grid.findall(W + "gridCol")] if grid is not None else []
        rows = [[int(span.get(W + "val")) if (span := cell.find(f"{W}tcPr/{W}gridSpan")) is not None else 1
                 for cell in row.findall(W + "tc")] for row in table.iter(W + "tr")]
        out.append((columns, rows))
    return out


def core(content: bytes) -> dict[str, object]:
    """The core properties (title, subject, author…), as Word reads them."""
    properties = Document(io.BytesIO(content)).core_properties
    return {name: getattr(properties, name) for name in CORE}


def canonical_parts(content: bytes) -> dict[str, bytes]:
    """The body, headers and footers as canonical XML (C14N): equal when the XML says the same thing."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    rendered = [name for name in archive.namelist() if name == "word/document.xml"
                or (name.startswith(("word/header", "word/footer")) and name.endswith(".xml"))]
    return {name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n") for name in rendered}


def assert_equivalent(fast: bytes, reference: bytes) -> None:
    """The engine's document says what docxtpl's says: XML, paragraphs and runs, section, grids, core properties."""
    assert canonical_parts(fast) == canonical_parts(reference)
    assert formatted(fast) == formatted(reference)
    assert Reader(fast).section() == Reader(reference).section()
    assert grids(fast) == grids(reference)
    assert core(fast) == core(reference)
    Document(io.BytesIO(fast))  # python-docx opens the engine's archive


@pytest.mark.parametrize(("kind_id", "name", "ma"), TEMPLATE_CASES)
def test_engine_output_equals_plain_docxtpl(kind_id, name, ma):
    """Every kind, every example, through each of its three templates (one per version of the rules)."""
    kind = next(k for k in kinds() if k.id == kind_id)
    data = kind.validate(example(kind_id, name))
    context, template = kind.context(data), kind.template_path(by_code(ma))
    assert_equivalent(engine.prepared(template).render(context), engine.render_docxtpl(template, context))


def test_every_example_is_rendered_through_its_own_template_by_the_engine():
    for kind_id, name in CASES:
        kind = next(k for k in kinds() if k.id == kind_id)
        data = kind.validate(example(kind_id, name))
        prepared = engine.prepared(kind.template_path(rules_of(data)))
        assert not prepared.plain and prepared.grids_hold, (kind_id, name)  # the fast path, no docxtpl pass


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
    assert_equivalent(fast, engine.render_docxtpl(template, context))
    # One paragraph with a line break inside, not two paragraphs.
    assert "Dòng một & <hai>\nDòng hai" in [para.text for para in Reader(fast).paragraphs()]


def _template(tmp_path, build) -> os.PathLike:
    document = Document()
    build(document)
    path = tmp_path / "mau.docx"
    document.save(path)
    return path


def _same_as_docxtpl(path, context) -> bytes:
    fast = engine.prepared(path).render(context)
    assert_equivalent(fast, engine.render_docxtpl(path, context))
    return fast


def test_breaks_tabs_and_escaped_braces_in_values_come_out_as_docxtpl_writes_them(tmp_path):
    def build(document):
        document.add_paragraph("Một: {{ a }}; hai: {{ b }}.")
        run = document.add_paragraph().add_run("{{ c }}")
        run.bold, run.font.size = True, Pt(13)
        document.add_paragraph("{{r rich }} và {{ d }}")

    path = _template(tmp_path, build)
    rich = RichText("đậm\nhai dòng", bold=True)
    rich.add(" thường\n& <ba>")
    context = {"a": "dòng một\ndòng hai & <b>", "b": "cột\tcột", "c": "{_{ không phải mã }_} {_% x %_}",
               "rich": rich, "d": 42}
    fast = _same_as_docxtpl(path, context)
    assert "dòng một\ndòng hai & <b>" in body_text(Reader(fast))
    assert _same_as_docxtpl(path, {**context, "b": "không có tab"})  # breaks only: written by the values


def test_every_value_is_escaped_as_autoescaping_escapes_it_wherever_it_stands(tmp_path):
    """The engine does not autoescape: its writers escape, in a <w:t>, between runs and outside paragraphs."""
    def build(document):
        document.add_paragraph("Trong chữ: {{ a }} {{ n }}")
        document.add_paragraph("{{r b }}")
        document.add_paragraph("{{p c }}")

    path = _template(tmp_path, build)
    risky = "«Tom & Jerry» <w:t>'x'</w:t> \"y\" {{ 7*7 }} ]]>"
    context = {"a": risky, "n": None, "b": RichText(risky), "c": RichTextParagraph(risky)}
    fast = _same_as_docxtpl(path, context)
    assert [para.text for para in Reader(fast).paragraphs()] == [f"Trong chữ: {risky} None", risky, risky]
    for kind in kinds():  # and no expression of any prepared template is left without its writer
        for ma in ("nd30", "hd36", "hd05"):
            for part in engine.prepared(kind.template_path(by_code(ma))).parts.values():
                for expression in re.findall(r"\{\{.*?\}\}", part.template_source, re.DOTALL):
                    assert re.search(r"\|_doctpl_(text|run|xml) -?\}\}$", expression), (kind.id, expression)


def test_a_cell_loop_gets_docxtpl_s_table_grid(tmp_path):
    def build(document):
        table = document.add_table(rows=2, cols=3)
        texts = [["Tên", "{%tc for c in cot %}", "{{ c }}{%tc endfor %}"], ["A", "{%tc for c in cot %}",
                                                                         "{{ c }}{%tc endfor %}"]]
        for row, values in zip(table.rows, texts, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                cell.text = text

    path = _template(tmp_path, build)
    prepared = engine.prepared(path)
    assert not prepared.grids_hold
    for columns in (["x"], ["x", "y", "z", "t"]):  # fewer cells than the grid, then more
        _same_as_docxtpl(path, {"cot": columns})


def test_a_table_left_with_no_row_gets_docxtpl_s_grid(tmp_path):
    def build(document):
        table = document.add_table(rows=3, cols=2)
        table.rows[0].cells[0].text = "{%tr for r in dong %}"
        table.rows[1].cells[0].text, table.rows[1].cells[1].text = "{{ r }}", "x"
        table.rows[2].cells[0].text = "{%tr endfor %}"

    path = _template(tmp_path, build)
    prepared = engine.prepared(path)
    assert prepared.grids_hold and prepared.may_empty
    assert grids(_same_as_docxtpl(path, {"dong": []}))[0][0] == []  # docxtpl drops the grid of a table with no row
    _same_as_docxtpl(path, {"dong": ["một", "hai"]})


def test_templated_core_properties_are_rendered_as_docxtpl_renders_them(tmp_path):
    def build(document):
        document.add_paragraph("{{ x }}")
        document.core_properties.title = "Kế hoạch {{ nam }}"
        document.core_properties.subject = "{{ x }}"

    path = _template(tmp_path, build)
    fast = _same_as_docxtpl(path, {"x": "A & B", "nam": 2026})
    assert engine.prepared(path).plain and core(fast)["title"] == "Kế hoạch 2026"


def test_a_template_with_tags_that_write_their_own_output_is_left_to_docxtpl(tmp_path):
    def build(document):
        document.add_paragraph("{% set who %}{{ x }} & co{% endset %}{{ who }}")

    path = _template(tmp_path, build)
    fast = _same_as_docxtpl(path, {"x": "<A>"})
    assert engine.prepared(path).plain and "<A> & co" in body_text(Reader(fast))


def test_a_tag_split_over_runs_in_a_header_is_rendered_as_docxtpl_renders_it(tmp_path):
    def build(document):
        document.add_paragraph("{{ x }}")
        header = document.sections[0].header.paragraphs[0]
        header.add_run("Số {")
        header.add_run("{ so }} trang")  # Word splits a tag it has spell-checked or restyled

    path = _template(tmp_path, build)
    fast = _same_as_docxtpl(path, {"x": "A", "so": "07"})
    assert "Số 07 trang" in [p.text for ps in Reader(fast).header_paragraphs().values() for p in ps]
