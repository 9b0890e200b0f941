"""Whatever a kind's declaration accepts renders: property-based data from every declaration (Hypothesis).

The strategies are derived from the field declarations (doctpl/fields.py), with the examples' values
mixed in so that constrained fields (a ký hiệu, the roles of a grid) are often valid, and hostile text
(markup, tokens, control characters, lone surrogates, NFD, text at its length limit) everywhere.
Bounded and derandomized, so a CI run is short and always tests the same cases.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections import defaultdict
from decimal import Decimal
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doctpl.errors import FieldError, ValidationError
from doctpl.fields import Choice, Date, Field, Group, Integer, Number, Repeat, Text, map_scalars
from doctpl.kind import Kind, kinds
from doctpl.parts.header import check_ky_hieu
from doctpl.render import render_data
from doctpl.spreadsheet import schema_path
from tests.conftest import HOSTILE

# Text that renders as typed, or is cleaned: markup, escapes, valid tokens, control characters, NFD, astral.
PIECES = (*HOSTILE.values(), "&", "<", ">", '"', "'", "**", "*", "\\*", "**đậm**", "*nghiêng*", "{{ 7*7 }}",
          "{%", "%}", "[[nam]]", "[[can_chi]]", "[[co_quan]]", "[[ky_niem:thanh_lap_dang]]",
          "[[so_nam:giai_phong_mien_nam]]", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\ufffe", "\ud800", "\udfff",
          "\u200b", "\u202e", "\u00a0", "\t", "😀", "²", "ﬁ", "ß", unicodedata.normalize("NFD", "Ủy ban Kiểm tra"),
          "Đà Lạt", " ", "-", "–", ";", ".")
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵAĂÂĐÊÔƠƯ"
WORD = st.text(alphabet=LETTERS + "0123456789", min_size=1, max_size=12)
KY_HIEU = st.from_regex(r"[A-ZĐa-zđ0-9]{1,8}(-[A-ZĐ0-9]{1,6}){0,2}", fullmatch=True)
YEARS = (1945, 1990, 2010, 2011, 2012, 2019, 2020, 2021, 2026, 2027, 2200)
MAX_ITEMS = 2  # items generated beyond a list's minimum: enough to nest, small enough to stay fast


def samples(kind: Kind) -> dict[str, list[Any]]:
    """Return every scalar value of the kind's examples by schema path (noi_dung.*.khoi.*.van_ban)."""
    found: dict[str, list[Any]] = defaultdict(list)

    def keep(path: str, field: Field, value: Any) -> Any:
        found[schema_path(path)].append(value)
        return value

    for name in kind.examples:
        map_scalars(kind.fields, kind.example(name), keep)
    return found


def text(field: Text) -> st.SearchStrategy[str]:
    """Return text within the field's limit: a word, then hostile pieces; or one long run up to the limit."""
    if field.check is check_ky_hieu:
        return KY_HIEU.filter(lambda value: len(value) <= field.max_len)
    pieces = st.lists(st.one_of(WORD, st.sampled_from(PIECES), *([st.just("\n")] if field.multiline else [])),
                      max_size=8)
    mixed = st.tuples(WORD, pieces).map(lambda parts: parts[0] + "".join(parts[1]))
    long = st.tuples(st.sampled_from(["Kế hoạch thi đua ", "Đ"]), st.integers(1, field.max_len)).map(
        lambda run: (run[0] * run[1])[:run[1]].strip())  # words up to the limit, or one word as long as the limit
    return st.one_of(mixed, long).map(lambda value: value[:field.max_len])


def dates() -> st.SearchStrategy[Any]:
    """Return dates from 1900 to 2300, as date objects, ISO strings or the clerk's dd/mm/yyyy."""
    day = st.one_of(st.dates(dt.date(1900, 1, 1), dt.date(2300, 12, 31)),
                    st.sampled_from(YEARS).map(lambda year: dt.date(year, 1, 1)))
    return st.one_of(day, day.map(dt.date.isoformat), day.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}"))


def scalar(field: Field) -> st.SearchStrategy[Any]:
    """Return raw values of a scalar field as a form, JSON or a spreadsheet would give them."""
    if isinstance(field, Text):
        return text(field)
    if isinstance(field, Integer):
        edges = [year for year in YEARS if field.minimum <= year <= field.maximum] + [field.minimum, field.maximum]
        number = st.one_of(st.integers(field.minimum, field.maximum), st.sampled_from(edges))
        return st.one_of(number, number.map(str))
    if isinstance(field, Number):
        step = Decimal(1).scaleb(-field.places)
        number = st.integers(int(field.minimum / step), int(field.maximum / step)).map(lambda n: n * step)
        return st.one_of(number, number.map(lambda value: str(value).replace(".", ",")))
    if isinstance(field, Date):
        return dates()
    if isinstance(field, Choice):
        return st.sampled_from(list(field.choices))
    raise TypeError(f"no strategy for {type(field).__name__}")


def value(field: Field, path: str, known: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    """Return raw values of any field: groups and lists recursively, scalars mixed with the examples' values."""
    if isinstance(field, Group):
        return st.fixed_dictionaries({f.name: value(f, f"{path}.{f.name}".lstrip("."), known) for f in field.fields})
    if isinstance(field, Repeat):
        least = max(field.min_items, 1 if field.required else 0)
        return st.lists(value(field.item, f"{path}.*", known), min_size=least,
                        max_size=min(field.max_items, least + MAX_ITEMS))
    generated = scalar(field)
    if not field.required:  # left blank a quarter of the time
        generated = st.one_of(generated, generated, generated, st.sampled_from(["", None]))
    seen = [item for item in known.get(path, []) if not field.required or item not in ("", None)]
    return st.one_of(generated, st.sampled_from(seen)) if seen else generated


@st.composite
def mutated(draw: st.DrawFn, kind: Kind) -> dict[str, Any]:
    """Return one of the kind's examples with about one scalar in twenty replaced by a generated value."""
    raw = draw(st.sampled_from([kind.example(name) for name in kind.examples]))

    def visit(path: str, field: Field, value: Any) -> Any:
        return draw(scalar(field)) if draw(st.integers(0, 19)) == 0 else value

    return map_scalars(kind.fields, raw, visit)


def document(kind: Kind) -> st.SearchStrategy[dict[str, Any]]:
    """Return raw documents of a kind: an example partly replaced, or built wholly from the declaration."""
    return st.one_of(mutated(kind), value(kind.form, "", samples(kind)))


@pytest.mark.parametrize("kind", kinds(), ids=lambda kind: kind.id)
def test_whatever_validation_accepts_renders(kind: Kind) -> None:
    @settings(max_examples=80, deadline=None, derandomize=True, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(document(kind))
    def check(raw: dict[str, Any]) -> None:
        try:
            data = kind.validate(raw)
        except ValidationError as error:  # refused: every problem is a Vietnamese message on a field
            assert error.errors() and all(isinstance(e, FieldError) and e.message for e in error.errors())
            return
        docx.Document(io.BytesIO(render_data(kind, data).content))

    check()
