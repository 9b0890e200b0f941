"""Field types of a form declaration: each converts raw input, reports errors and describes itself.

A converter accepts what a web form posts (strings), what JSON carries (typed values) and values
that are already converted, so one declaration validates the web form, the API, the CLI and, later,
spreadsheet rows. Messages are Vietnamese and name the field by its label.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, ClassVar

from doctpl.errors import FieldError
from doctpl.vn.dates import parse_date
from doctpl.vn.text import clean

Errors = list[FieldError]
_Conditions = tuple[tuple[str, Sequence[str]], ...]
_MISSING: Any = object()


def join(path: str, key: str | int) -> str:
    """Append one segment to a dotted path."""
    return f"{path}.{key}" if path else str(key)


@dataclass(frozen=True)
class Field:
    """Base of all field types; `when` shows the field only if sibling fields hold given values.

    `per_issuer` marks a value that belongs to one issuing body (its number, date, staff list) and
    is left empty when another unit's document is started from this one.
    `per_year` marks a value that belongs to one year (the year's theme, its report deadlines) and
    is left empty, to be entered again, when the document is rolled into another year.
    `of_year` marks what one year's events fill (a report's results, scores, proposals): rolled
    into another year it is kept, to be rewritten, and listed whole for review.
    """

    name: str
    label: str
    help: str = ""
    required: bool = True
    when: Mapping[str, Sequence[str]] | None = None
    per_issuer: bool = False
    per_year: bool = False
    of_year: bool = False

    # An absent value of an optional field of this type converts to empty() with no error (Group skips the call).
    absent_is_empty: ClassVar[bool] = False

    def applies(self, siblings: Mapping[str, Any]) -> bool:
        """Tell whether the field is shown (and validated) given its siblings' values."""
        if self.when:
            for key, values in self.when.items():
                if siblings.get(key) not in values:
                    return False
        return True

    def empty(self) -> Any:
        """Return the value of an empty, optional field."""
        return None

    def convert(self, raw: Any, path: str, errors: Errors) -> Any:
        """Return the converted value, appending problems to `errors`."""
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """Return the JSON Schema of the field's value."""
        raise NotImplementedError

    def _base_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.label}
        if self.help:
            out["description"] = self.help
        return out

    def _missing(self, path: str, errors: Errors) -> Any:
        if self.required:
            errors.append(FieldError(path, f"Vui lòng nhập «{self.label}»."))
        return self.empty()


def _is_blank(raw: Any) -> bool:
    return raw is None or raw is _MISSING or (isinstance(raw, str) and not raw.strip())


@dataclass(frozen=True)
class Text(Field):
    """A line or a block of text; NFC-normalised and cleaned of characters Word rejects.

    `check` validates the cleaned text further (for example the [[…]] tokens) and returns messages.
    """

    absent_is_empty = True

    max_len: int = 500
    multiline: bool = False
    default: str = ""
    placeholder: str = ""
    check: Callable[[str], list[str]] | None = None
    secret: bool = False  # a password: masked, never shown back
    tab: str = ""  # what a tab becomes before spaces are folded (a table's cell separator), when it matters

    def empty(self) -> str:
        """Return the default text."""
        return self.default

    def convert(self, raw: Any, path: str, errors: Errors) -> str:
        """Return cleaned text."""
        if type(raw) is not str:
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                raw = str(raw)
            elif _is_blank(raw):
                return self._missing(path, errors)
            elif not isinstance(raw, str):
                errors.append(FieldError(path, f"«{self.label}» phải là văn bản."))
                return self.empty()
        elif self.tab and not raw.strip():  # blank before its tabs become cell separators
            return self._missing(path, errors)
        text = clean(raw.replace("\t", self.tab) if self.tab else raw, multiline=self.multiline)
        if not text:
            return self._missing(path, errors)
        if len(text) > self.max_len:
            errors.append(FieldError(
                path, f"«{self.label}» dài {len(text)} ký tự, vượt quá giới hạn {self.max_len} ký tự."))
        for message in self.check(text) if self.check else ():
            errors.append(FieldError(path, f"«{self.label}»: {message}"))
        return text

    def schema(self) -> dict[str, Any]:
        """Return a string schema with the length limit."""
        out = self._base_schema() | {"type": "string", "maxLength": self.max_len}
        if self.default:
            out["default"] = self.default
        return out


@dataclass(frozen=True)
class Date(Field):
    """A calendar date; accepts "2021-04-08" and "08/04/2021"."""

    absent_is_empty = True

    def convert(self, raw: Any, path: str, errors: Errors) -> dt.date | None:
        """Return a `datetime.date`."""
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if _is_blank(raw):
            return self._missing(path, errors)
        try:
            return parse_date(str(raw))
        except ValueError:
            errors.append(FieldError(
                path, f"«{self.label}» không phải ngày hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 08/04/2021."))
            return None

    def schema(self) -> dict[str, Any]:
        """Return an ISO date string schema."""
        return self._base_schema() | {"type": "string", "format": "date"}


@dataclass(frozen=True)
class Integer(Field):
    """A whole number within bounds (a year, a document number).

    `pad_width` is for a number printed with leading zeros up to that many digits (a document's Số: NĐ 30
    Phụ lục I II.3, HD 05 I.3.2, «05»): typed so («05») it is accepted, and any other leading zero («0125»)
    is refused rather than silently dropped. Without it, leading zeros are ignored.
    """

    absent_is_empty = True

    minimum: int = 0
    maximum: int = 10**9
    default: int | None = None
    pad_width: int | None = None

    def empty(self) -> int | None:
        """Return the default number."""
        return self.default

    def convert(self, raw: Any, path: str, errors: Errors) -> int | None:
        """Return an int."""
        if _is_blank(raw):
            return self._missing(path, errors)
        try:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            value = int(str(raw).strip()) if isinstance(raw, str) else int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not self.minimum <= value <= self.maximum:
            errors.append(FieldError(
                path, f"«{self.label}» phải là số nguyên từ {self.minimum} đến {self.maximum}."))
            return None
        if self.pad_width and isinstance(raw, str) and self._stray_zero(raw.strip(), value):
            errors.append(FieldError(path, f"«{self.label}» «{raw.strip()}»: viết {value}; số dưới "
                                           f"{10 ** (self.pad_width - 1)} tự thêm số 0 ở đầu."))
            return None
        return value

    def _stray_zero(self, typed: str, value: int) -> bool:
        """Tell whether `typed` has a leading zero that is not the padding of the printed form («0125», «005»)."""
        return typed.startswith("0") and len(typed) > 1 and typed != f"{value:0{self.pad_width}d}"

    def schema(self) -> dict[str, Any]:
        """Return an integer schema with its bounds."""
        return self._base_schema() | {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Number(Field):
    """A decimal number (a score); accepts "95,5" and "95.5"."""

    absent_is_empty = True

    minimum: Decimal = Decimal(-1000)
    maximum: Decimal = Decimal(1000)
    places: int = 2
    default: Decimal | None = None

    def empty(self) -> Decimal | None:
        """Return the default number."""
        return self.default

    def convert(self, raw: Any, path: str, errors: Errors) -> Decimal | None:
        """Return a Decimal."""
        if _is_blank(raw):
            return self._missing(path, errors)
        try:
            if isinstance(raw, bool):
                raise InvalidOperation
            if type(raw) is int:  # JSON's whole numbers: finite, no decimal places to check
                value = Decimal(raw)
            else:
                value = Decimal(str(raw).strip().replace(",", "."))
                if not value.is_finite() or value != round(value, self.places):
                    raise InvalidOperation
        except InvalidOperation:
            value = None
        if value is None or not self.minimum <= value <= self.maximum:
            errors.append(FieldError(path, f"«{self.label}» phải là số từ {self.minimum} đến {self.maximum}, "
                                           f"tối đa {self.places} chữ số thập phân (ví dụ 95,5)."))
            return None
        return value

    def schema(self) -> dict[str, Any]:
        """Return a number schema (strings with a decimal comma are accepted too)."""
        return self._base_schema() | {"type": ["number", "string"]}


@dataclass(frozen=True)
class Choice(Field):
    """One value out of a fixed list; `choices` maps stored values to Vietnamese labels."""

    absent_is_empty = True

    choices: Mapping[str, str] = field(default_factory=dict)
    default: str = ""

    def empty(self) -> str:
        """Return the default choice."""
        return self.default

    def convert(self, raw: Any, path: str, errors: Errors) -> str:
        """Return the chosen value."""
        if _is_blank(raw):
            if self.default in self.choices:  # includes "" when blank is itself a choice
                return self.default
            return self._missing(path, errors)
        value = clean(str(raw))
        if value not in self.choices:
            if len(self.choices) <= 6:
                allowed = ", ".join(f"«{label}»" for label in self.choices.values())
                errors.append(FieldError(path, f"«{self.label}» phải là một trong: {allowed}."))
            else:
                errors.append(FieldError(path, f"«{self.label}»: «{value}» không có trong danh sách để chọn."))
            return self.empty()
        return value

    def schema(self) -> dict[str, Any]:
        """Return an enum schema; the labels travel in `x-labels`."""
        return self._base_schema() | {"type": "string", "enum": list(self.choices),
                                      "x-labels": dict(self.choices)}


@dataclass(frozen=True)
class Group(Field):
    """A fixed set of named sub-fields."""

    fields: Sequence[Field] = ()
    checks: Sequence[Callable[[dict[str, Any], str], list[FieldError]]] = ()

    def empty(self) -> dict[str, Any]:
        """Return every sub-field empty."""
        return {f.name: f.empty() for f in self.fields}

    def convert(self, raw: Any, path: str, errors: Errors) -> dict[str, Any]:
        """Return a dict of converted sub-fields; unknown keys are errors, not silently dropped."""
        if raw is None or raw is _MISSING:
            raw = {}
        if type(raw) is not dict and not isinstance(raw, Mapping):  # the exact type first: the ABC check is slow
            errors.append(FieldError(path, f"«{self.label}» không đúng cấu trúc (cần một đối tượng)."))
            return self.empty()
        known, steps, base = self._plan
        if not known.issuperset(raw):
            for key in raw:
                if key not in known:  # named as cleaned text: a key may carry a lone surrogate no page can print
                    shown = clean(str(key))
                    errors.append(FieldError(join(path, shown),
                                             f"Trường «{shown}» không có trong biểu mẫu «{self.label}»."))
        value = dict(base)  # the declaration's order whatever the order of conversion, the absent already empty
        prefix = f"{path}." if path else ""
        for f, conditions, skip in steps:
            name = f.name
            if skip and name not in raw:
                continue  # absent, so empty whether shown or not: most fields of a body block
            for key, values in conditions:  # Field.applies, inlined: it runs for every field of every block
                if value[key] not in values:
                    value[name] = f.empty()
                    break
            else:
                value[name] = f.convert(raw.get(name, _MISSING), prefix + name, errors)
        for check in self.checks:
            errors.extend(check(value, path))
        return value

    @cached_property
    def _plan(self) -> tuple[frozenset[str], tuple[tuple[Field, _Conditions, bool], ...], dict[str, Any]]:
        """Return the known names, the steps of conversion and the value every field starts from.

        Each step is a field, the sibling values it is shown for (its `when`) and whether its absence is simply
        its empty value (an optional scalar, whose empty value is immutable: it starts so and the step is
        skipped); fields whose visibility depends on others are converted after the others.
        """
        names = [f.name for f in self.fields]
        steps = tuple((f, tuple((f.when or {}).items()), f.absent_is_empty and not f.required)
                      for f in sorted(self.fields, key=lambda f: bool(f.when)))
        for f, conditions, _ in steps:
            for key, _ in conditions:
                if key not in names:
                    raise ValueError(f"{self.name}.{f.name}: «when» names «{key}», not a field of the group")
        base = dict.fromkeys(names)
        for f, _, skip in steps:
            if skip:
                base[f.name] = f.empty()
        return frozenset(names), steps, base

    def schema(self) -> dict[str, Any]:
        """Return an object schema; conditional requirements are described, not enforced."""
        return self._base_schema() | {
            "type": "object",
            "properties": {f.name: f.schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required and not f.when],
            "additionalProperties": False,
        }


@dataclass(frozen=True)
class Repeat(Field):
    """A list of items of one field type, with bounds: the repeating groups of a form."""

    item: Field = field(default_factory=lambda: Text("", ""))
    min_items: int = 0
    max_items: int = 200
    item_label: str = "mục"
    required: bool = False
    too_many: str = ""  # the message when there are more than max_items, if the bound has a reason to give
    default: Sequence[Any] = ()  # the items of a new document (an outline to edit), taken when the value is absent

    def empty(self) -> list[Any]:
        """Return the default items (a copy), usually none."""
        return copy.deepcopy(list(self.default))

    def convert(self, raw: Any, path: str, errors: Errors) -> list[Any]:
        """Return the converted items, dropping blank scalar items a web form leaves behind."""
        if raw is _MISSING and self.default:
            raw = self.empty()
        if raw is None or raw is _MISSING or raw == "":
            raw = []
        if not isinstance(raw, list):
            errors.append(FieldError(path, f"«{self.label}» phải là một danh sách."))
            return []
        if not isinstance(self.item, Group):
            raw = [item for item in raw if not _is_blank(item)]
        if len(raw) < max(self.min_items, 1 if self.required else 0):
            errors.append(FieldError(path, f"«{self.label}» cần ít nhất {max(self.min_items, 1)} {self.item_label}."))
        if len(raw) > self.max_items:
            bound = f"«{self.label}» có tối đa {self.max_items} {self.item_label}."
            errors.append(FieldError(path, self.too_many or bound))
            if self.too_many:  # the bound is a rule of the form: what lies beyond it is not read
                raw = raw[:self.max_items]
        return [self.item.convert(item, join(path, index), errors) for index, item in enumerate(raw)]

    def schema(self) -> dict[str, Any]:
        """Return an array schema with its bounds."""
        return self._base_schema() | {
            "type": "array", "items": self.item.schema(),
            "minItems": self.min_items, "maxItems": self.max_items,
        }


def walk(fields: Sequence[Field], prefix: str = "") -> list[tuple[str, Field]]:
    """Return every field with its schema path ("noi_dung.*.khoi.*.van_ban"), depth first."""
    out: list[tuple[str, Field]] = []
    for f in fields:
        path = join(prefix, f.name)
        out.append((path, f))
        if isinstance(f, Group):
            out.extend(walk(f.fields, path))
        elif isinstance(f, Repeat):
            if isinstance(f.item, Group):
                out.extend(walk(f.item.fields, join(path, "*")))
    return out


def map_scalars(fields: Sequence[Field], data: Any, visit: Callable[[str, Field, Any], Any], path: str = "") -> Any:
    """Return `data` with `visit(path, field, value)` applied to every scalar the declaration knows."""
    if not isinstance(data, Mapping):
        return data
    out = dict(data)
    for f in fields:
        if f.name in data:
            out[f.name] = _map_field(f, data[f.name], join(path, f.name), visit)
    return out


def _map_field(f: Field, value: Any, path: str, visit: Callable[[str, Field, Any], Any]) -> Any:
    if isinstance(f, Group):
        return map_scalars(f.fields, value, visit, path)
    if isinstance(f, Repeat) and isinstance(value, list):
        return [_map_field(f.item, item, join(path, index), visit) for index, item in enumerate(value)]
    return visit(path, f, value)


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Turn {"a.0.b": "x"} (web form names, spreadsheet columns) into {"a": [{"b": "x"}]}.

    Numeric segments make lists; their order is kept and gaps (removed rows) close up.
    """
    root: dict[str, Any] = {}
    for dotted, value in flat.items():
        node = root
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [_listify(node[key]) for key in sorted(node, key=int)]
    return {key: _listify(value) for key, value in node.items()}


def without_per_issuer(fields: Sequence[Field], data: Any) -> Any:
    """Return `data` with every `per_issuer` value emptied, to start another unit's document from it."""
    if not isinstance(data, Mapping):
        return data
    out = dict(data)
    for f in fields:
        if f.name in data and f.per_issuer:
            out[f.name] = f.empty()
        elif f.name in data and isinstance(f, Group):
            out[f.name] = without_per_issuer(f.fields, data[f.name])
    return out


def describe(fields: Sequence[Field], path: str) -> str:
    """Return a dotted path in the form's own words: "noi_dung.1.thanh_phan.0.van_ban" -> "Mục thứ 2 › …"."""
    words: list[str] = []
    current: Sequence[Field] = fields
    parts = path.split(".")
    index = 0
    while index < len(parts):
        found = next((f for f in current if f.name == parts[index]), None)
        if found is None:
            break
        index += 1
        if isinstance(found, Repeat) and index < len(parts) and parts[index].isdigit():
            words.append(f"{found.item_label} thứ {int(parts[index]) + 1}")
            found, index = found.item, index + 1
        elif not isinstance(found, Group) or index == len(parts):  # a group is named only when it is the end
            words.append(found.label)
        current = found.fields if isinstance(found, Group) else ()
    text = " › ".join(words)
    return text[:1].upper() + text[1:] if text else path
