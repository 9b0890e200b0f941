"""The standard document (NĐ 30 Phụ lục III Mẫu 1.4; HD 05 Phụ lục 1) composed from the shared parts.

Each part lays itself out by the rules the document follows (doctpl.the_thuc): its thể thức, and the
version of that thể thức in force on its date. One template is built for each version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from doctpl import markup, review
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Field
from doctpl.kind import Kind
from doctpl.parts import body, header, kinh_gui, noi_nhan, signature, signature_grid, title
from doctpl.the_thuc import Rules
from doctpl.vn.canchi import can_chi
from doctpl.vn.text import upper

# Which field a token's value comes from, for the message when it is empty.
TOKEN_SOURCES = {"chu_de_nam": "Chủ đề năm", "han_bao_cao": "Hạn gửi báo cáo 6 tháng» hoặc «Hạn gửi báo cáo năm"}


def token_values(data: Mapping[str, Any], **extra: str) -> dict[str, str]:
    """Return the values of the plain [[…]] tokens for this document's year and issuing body."""
    year = data["nam"]
    return {"nam": str(year), "can_chi": can_chi(year), "chu_de_nam": data.get("chu_de_nam", ""),
            "han_bao_cao": "", "co_quan": data["co_quan"]["ten"], **extra}


def missing_tokens(texts: list[tuple[str, str]], values: Mapping[str, str]) -> list[FieldError]:
    """Report each (path, text) that uses a token whose value the clerk has not entered."""
    errors = []
    for path, text in texts:
        for name, label in TOKEN_SOURCES.items():
            if markup.uses_token(text, name) and not values.get(name):
                errors.append(FieldError(path, f"Mã [[{name}]] cần nhập «{label}» trước."))
    return errors


@dataclass(frozen=True)
class Standard:
    """How one kind lays out the standard document: which shared parts it uses, and its own body."""

    ten_loai: str
    trich_yeu: str = ""  # default trích yếu, "{nam}" filled with the year; empty: the clerk must type it
    kinh_gui: bool = False
    grid: bool = False  # every member unit signs (giao ước) instead of one signer
    body: Callable[[Any], None] = body.build
    extra: tuple[str, ...] = ()  # context names the kind's own body writer uses

    @property
    def computed(self) -> tuple[str, ...]:
        """Return the context names the template may use."""
        names = header.COMPUTED + title.COMPUTED + body.COMPUTED + noi_nhan.COMPUTED + self.extra
        names += kinh_gui.COMPUTED if self.kinh_gui else ()
        return names + (signature_grid.COMPUTED if self.grid else signature.COMPUTED)

    def context(self, data: Mapping[str, Any], lines: body.Lines, *, end_mark: bool = True,
                **extra: Any) -> dict[str, Any]:
        """Return the context of the shared parts plus the kind's `extra` values.

        `end_mark=False` when the content ends after the body lines (in the kind's own tables).
        """
        rules = header.rules_of(data)
        out: dict[str, Any] = {
            "hdr": header.context(dict(data), self.ten_loai, rules),
            "title": title.context(data["trich_yeu"], rules, self.trich_yeu, data["nam"]),
            "body": lines.result(body.end_mark(rules) if end_mark else ""),
            "noi_nhan": noi_nhan.context(data["noi_nhan"], rules, nhu_tren=bool(data.get("kinh_gui"))),
        }
        if self.kinh_gui:
            out["kg"] = kinh_gui.context(data["kinh_gui"], rules)
        if self.grid:
            out["grid"] = signature_grid.context(data["don_vi_ky"], int(data["so_cot"]), rules)
        else:
            out["ky"] = signature.context(data["nguoi_ky"], rules)
        return out | extra

    def fields(self, *own: Field, kinh_gui_field: Field | None = None) -> list[Field]:
        """Return the shared leading fields, the kind's own, then the signer (or grid) and Nơi nhận."""
        lead = [*header.fields(), title.field(self.trich_yeu)]
        if self.kinh_gui:
            lead.append(kinh_gui_field or kinh_gui.field())
        closing = signature_grid.fields() if self.grid else [signature.group()]
        return [*lead, body.can_cu_field(), *own, *closing, noi_nhan.group()]

    def kind(self, **declaration: Any) -> Kind:
        """Return the Kind of this layout; `declaration` gives what is the kind's own.

        Every kind also warns about căn cứ that cite a legal document not in force on its date, and
        about facts of its free text that may not hold on that date (doctpl.review).
        """
        own = declaration.pop("warnings", lambda data: [])
        checks = (*declaration.pop("checks", ()), self.check_closing)

        def warnings(data: dict[str, Any]) -> list[FieldError]:
            stale = review.stale_facts(made, data, header.document_date(data))
            signers = ([("nguoi_ky", data["nguoi_ky"])] if not self.grid else
                       [(f"don_vi_ky.{index}", unit) for index, unit in enumerate(data["don_vi_ky"])])
            return [*body.can_cu_warnings(data), *own(data),
                    *(w for path, signer in signers for w in signature.warnings(signer, path, data["the_thuc"])),
                    *(FieldError(f.field, f"{f.reason}: «{f.text}»") for f in stale)]

        made = Kind(ten_loai=self.ten_loai, build=self.build, computed=self.computed, **declaration,
                    checks=checks, warnings=warnings)
        return made

    def check_closing(self, data: dict[str, Any]) -> list[FieldError]:
        """Refuse what the thể thức lacks in the closing: TUQ in a Party document, its archive unit missing."""
        if self.grid:
            errors = signature_grid.check_authority(data)
        else:
            errors = signature.check(data["nguoi_ky"], "nguoi_ky", data["the_thuc"])
        return errors + noi_nhan.check(data)

    def build(self, rules: Rules) -> Any:
        """Return the python-docx template of this kind under one version of the rules."""
        doc = base.new_document(self.ten_loai, rules)
        header.build(doc, rules)
        title.build(doc, upper(self.ten_loai), rules)
        if self.kinh_gui:
            kinh_gui.build(doc, rules)
        self.body(doc)
        if self.grid:
            signature_grid.build(doc, rules)
            base.paragraph(doc).paragraph_format.keep_with_next = True
            noi_nhan.build_list(doc, rules)
        else:
            noi_nhan.build_closing(doc, rules)
        base.page_numbers(doc)
        return doc
