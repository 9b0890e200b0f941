"""Contracts over every kind: templates, declarations, examples and the builder agree."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docxtpl import DocxTemplate

from doctpl.build.base import to_bytes
from doctpl.engine import environment
from doctpl.fields import describe, walk
from doctpl.kind import get_kind, kinds
from doctpl.the_thuc import by_code, versions

KINDS = [kind.id for kind in kinds()]


def by_id(kind_id):
    return next(kind for kind in kinds() if kind.id == kind_id)


VERSIONS = [rules.ma for rules in versions()]


@pytest.mark.parametrize("ma", VERSIONS)
@pytest.mark.parametrize("kind_id", KINDS)
def test_every_template_variable_is_declared(kind_id, ma):
    kind = by_id(kind_id)
    used = DocxTemplate(str(kind.template_path(by_code(ma)))).get_undeclared_template_variables(
        jinja_env=environment())
    assert used == set(kind.computed)
    assert set(kind.context(kind.validate(kind.example()))) == set(kind.computed)


@pytest.mark.parametrize("ma", VERSIONS)
@pytest.mark.parametrize("kind_id", KINDS)
def test_committed_template_is_what_the_builder_writes(kind_id, ma):
    kind = by_id(kind_id)
    built = zipfile.ZipFile(io.BytesIO(to_bytes(kind.build(by_code(ma)))))
    committed = zipfile.ZipFile(kind.template_path(by_code(ma)))
    assert built.namelist() == committed.namelist()
    for name in built.namelist():
        assert built.read(name) == committed.read(name), f"{name} differs: run tools/build_templates.py"


@pytest.mark.parametrize("kind_id", KINDS)
def test_every_field_has_a_vietnamese_label(kind_id):
    for path, field in walk(by_id(kind_id).fields):
        assert field.label and field.label != field.name, path
        assert re.search(r"[^\x00-\x7f]", field.label) or field.label.istitle(), path


@pytest.mark.parametrize("kind_id", KINDS)
def test_every_example_validates(kind_id):
    kind = by_id(kind_id)
    assert kind.examples
    for name in kind.examples:
        kind.validate(kind.example(name))


@pytest.mark.parametrize(("kind_id", "path", "words"), [
    ("ke_hoach", "can_cu.0", "Căn cứ thứ 1"),
    ("ke_hoach", "noi_dung.2.thanh_phan.2.van_ban", "Mục thứ 3 › thành phần thứ 3 › Nội dung"),
    ("ke_hoach", "nguoi_ky.ho_ten", "Họ và tên người ký"),
    ("bao_cao_tong_ket", "de_nghi.0.thanh_tich", "Đề nghị thứ 1 › Tóm tắt thành tích"),
    ("ke_hoach", "khong_co.1", "khong_co.1"),  # a path the form does not know is shown as it is
])
def test_paths_are_described_in_the_forms_own_words(kind_id, path, words):
    assert describe(get_kind(kind_id).fields, path) == words
