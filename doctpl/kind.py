"""A document kind: its form declaration, its template, its context builder, and the registry of kinds.

Glossary (identifier — meaning — label shown to clerks):
  ke_hoach — the yearly emulation plan — Kế hoạch
  giao_uoc — the covenant every member unit signs — Giao ước thi đua
  dang_ky — a unit's registration of titles and awards — Đăng ký thi đua
  bao_cao_so_ket / bao_cao_tong_ket — the report of a period (6 tháng, quý, đợt) / of the year — Báo cáo
  bang_diem — the khối's criteria and every unit's scores by stage — Bảng chấm điểm
  bien_ban — the minutes of a meeting — Biên bản;  to_trinh — the award proposal — Tờ trình;
  giay_moi — the invitation to a meeting — Giấy mời
  co_quan — issuing body — Cơ quan ban hành;  chu_quan — parent body — Cơ quan chủ quản
  trich_yeu — summary line under the type name — Trích yếu
  can_cu — legal bases cited — Căn cứ;  noi_nhan — recipients — Nơi nhận
  nguoi_ky / tham_quyen — signer / signing authority TM., KT., … — Người ký / Quyền hạn ký
  phan, muc, thanh_phan — in a body: a part («Phần thứ nhất»), a section (I.), a block of a section — Phần,
    Mục, Thành phần nội dung; a block is doan, gach (-), cong (+), khoan (1., 1.1.), diem (a)), quy,
    bang (a table), ky_niem (the period's anniversaries)
  ky_bao_cao / ky_tiep_theo — the period a document speaks of / the next one — Kỳ báo cáo / kỳ tới
  khoi — only ever the khối thi đua, the bloc (Khoi, khoi_id in the store)
Registry (doctpl/store):
  Khoi — a khối or cụm thi đua — Khối, cụm;  DonVi — a body: a member unit or another body — Đơn vị, cơ quan
  ThuocTinh — one dated fact of a khối or body (name, ký hiệu, head…) — Thông tin theo thời gian
  ThanhVien — a body's dated membership of a khối — Thành viên;  VaiTro — trưởng/phó khối of a year — Vai trò
  ke_tiep — the successor of an ended khối or body — Kế tiếp;  nhap — a record saved unfinished — Bản nháp
  per_issuer / per_year — a value that belongs to one issuer / one year and is not carried to another
  from_year / YearFacts — what a new document takes from the year's other documents (doctpl/year.py)
Thể thức (doctpl/the_thuc.py):
  the_thuc — nha_nuoc (state, NĐ 30) or dang (Party) — Thể thức văn bản
  Rules / ma — one version of the layout rules: nd30, hd36, hd05 — Văn bản hướng dẫn thể thức
  kiem — the concurrent title of a Party signer («kiêm») — Chức vụ kiêm nhiệm
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from doctpl import limits, upgrade
from doctpl.errors import FieldError, UnknownKind, ValidationError
from doctpl.fields import Field, Group
from doctpl.the_thuc import Rules
from doctpl.vn.text import without_breaks
from doctpl.year import YearFacts

ROOT = Path(__file__).resolve().parent.parent
FORMS_DIR = ROOT / "forms"
TEMPLATES_DIR = ROOT / "templates_docx"
EXAMPLES_DIR = ROOT / "examples"


@dataclass(frozen=True)
class Kind:
    """One document kind, declared once in forms/<id>.py and used by every face."""

    id: str
    title: str
    ten_loai: str
    fields: Sequence[Field]
    context: Callable[[dict[str, Any]], dict[str, Any]]
    build: Callable[[Rules], Any]  # the python-docx template under one version of the rules
    computed: Sequence[str]
    file_title: Callable[[dict[str, Any]], str]
    checks: Sequence[Callable[[dict[str, Any]], list[FieldError]]] = ()
    # Usual-practice rules that are reported but never refuse the document (ratios, for example).
    warnings: Callable[[dict[str, Any]], list[FieldError]] = lambda data: []
    description: str = ""
    examples: Mapping[str, str] = field(default_factory=dict)  # file name -> label
    order: int = 100
    scope: str = "khoi"  # in a batch for a khối: one document for the khối, or one per unit ("don_vi")
    # A khối document sent to every member: in a batch, one copy per unit with this field naming the unit.
    addressee: str = ""
    # What a new document takes from the year's other documents (doctpl/year.py): the facts and the new data
    # in, the data out; None for a kind that starts from its defaults.
    from_year: Callable[[YearFacts, dict[str, Any]], dict[str, Any]] | None = None
    own_text: bool = False  # a unit's report: its text is the unit's own, never started from another issuer's

    @cached_property
    def form(self) -> Group:
        """Return the whole declaration as one group."""
        return Group("", self.title, fields=self.fields)

    @cached_property
    def text_defaults(self) -> frozenset[str]:
        """Return the declaration's default texts, which the size of a document does not count."""
        return limits.text_defaults(self.fields)

    def template_path(self, rules: Rules) -> Path:
        """Return templates_docx/<id>.<version>.docx, the template built for one version of the rules."""
        return TEMPLATES_DIR / f"{self.id}.{rules.ma}.docx"

    def validate(self, raw: Any) -> dict[str, Any]:
        """Return converted data or raise ValidationError with every problem found."""
        data, errors = self.draft(raw)
        if errors:
            raise ValidationError(errors)
        return data

    def draft(self, raw: Any) -> tuple[dict[str, Any], list[FieldError]]:
        """Return the data converted as far as it goes and every problem left, for a draft saved unfinished."""
        raw = upgrade.current(raw)
        limits.check_document(raw, self.text_defaults)  # the whole document's size, refused before any conversion
        errors: list[FieldError] = []
        data = self.form.convert(raw, "", errors)
        partial = bool(errors)
        for check in self.checks:  # with field errors too, so a draft lists everything still to fill at once
            try:
                errors.extend(check(data))
            except (TypeError, KeyError, AttributeError, ValueError):
                if not partial:
                    raise
                # the data is partial: a check that cannot read it waits until its fields are filled
        return data, errors

    def title_of(self, data: dict[str, Any]) -> str:
        """Return the document's title for file names and lists, a forced line break «|» read as a space."""
        return without_breaks(self.file_title(data))

    def example(self, name: str | None = None) -> dict[str, Any]:
        """Return the raw data of an example file (the first by default)."""
        path = EXAMPLES_DIR / (name or next(iter(self.examples)))
        return json.loads(path.read_text(encoding="utf-8"))


@cache
def registry(forms_dir: Path = FORMS_DIR) -> dict[str, Kind]:
    """Load every forms/<id>.py that declares KIND, in the order of the year's paperwork."""
    kinds: dict[str, Kind] = {}
    for path in sorted(forms_dir.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"forms.{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        kind = getattr(module, "KIND", None)
        if isinstance(kind, Kind):
            kinds[kind.id] = kind
    return dict(sorted(kinds.items(), key=lambda item: item[1].order))


def get_kind(kind_id: str) -> Kind:
    """Return the kind with this id or raise UnknownKind."""
    try:
        return registry()[kind_id]
    except KeyError:
        raise UnknownKind(kind_id) from None


def kinds() -> list[Kind]:
    """Return every kind."""
    return list(registry().values())
