"""The standard document (NĐ 30 Phụ lục III Mẫu 1.4; HD 05 Phụ lục 1) composed from the shared parts.

Each part lays itself out by the rules the document follows (doctpl.the_thuc): its thể thức, and the
version of that thể thức in force on its date. One template is built for each version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from doctpl import facts, markup, review
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Field
from doctpl.kind import Kind
from doctpl.parts import (
    body,
    header,
    kinh_gui,
    kinh_trinh,
    noi_nhan,
    periods,
    signature,
    signature_grid,
    signers,
    title,
)
from doctpl.the_thuc import Rules
from doctpl.vn.canchi import can_chi
from doctpl.vn.text import upper, without_breaks

# Nơi nhận printed only when asked (a biên bản: issue 13; NĐ 30 Phụ lục III Mẫu 1.9 shows one under the signatures).
NOI_NHAN_CHOICE = Choice("co_noi_nhan", "In nơi nhận", choices={"": "Không in nơi nhận", "co": "Có"}, default="",
                         required=False, help="Biên bản lưu hồ sơ thường không có nơi nhận; chọn «Có» khi gửi đi.")
# Which field a token's value comes from, for the message when it is empty.
TOKEN_SOURCES = {"chu_de_nam": "Chủ đề năm", "han_bao_cao": "Hạn gửi báo cáo 6 tháng» hoặc «Hạn gửi báo cáo năm"}


def token_values(data: Mapping[str, Any], spans: tuple[periods.Period, periods.Period] | None = None,
                 **extra: str) -> dict[str, str]:
    """Return the values of the plain [[…]] tokens for this document's year, period and issuing body."""
    year = data["nam"]
    this, after = spans or periods.year(year)
    return {"nam": str(year), "can_chi": can_chi(year), "chu_de_nam": data.get("chu_de_nam", ""),
            "han_bao_cao": "", "co_quan": without_breaks(data["co_quan"]["ten"]), "xuong_dong": markup.LINE_BREAK,
            "ky_bao_cao": this.words, "ky_tiep_theo": after.words, **extra}


def missing_tokens(texts: Iterable[tuple[str, str]], values: Mapping[str, str]) -> list[FieldError]:
    """Report each (path, text) that uses a token whose value the clerk has not entered.

    `texts` is read only when some token lacks its value.
    """
    wanted = [(name, label) for name, label in TOKEN_SOURCES.items() if not values.get(name)]
    if not wanted:
        return []
    return [FieldError(path, f"Mã [[{name}]] cần nhập «{label}» trước.")
            for path, text in texts if "[[" in text for name, label in wanted if markup.uses_token(text, name)]


@dataclass(frozen=True)
class Standard:
    """How one kind lays out the standard document: which shared parts it uses, and its own body."""

    ten_loai: str
    trich_yeu: str = ""  # default trích yếu, "{nam}" filled with the year; empty: the clerk must type it
    kinh_gui: bool = False
    grid: bool = False  # every member unit signs (giao ước) instead of one signer
    body: Callable[[Any], None] = body.build
    extra: tuple[str, ...] = ()  # context names the kind's own body writer uses
    kinh_trinh: bool = False  # with kinh_gui, a tờ trình: «Kính trình:» where the rules say so (parts.kinh_trinh)
    # Signers by role instead of one signer (a biên bản, parts.signers): the data's signers, the lead last.
    signers_of: Callable[[Mapping[str, Any]], list[dict[str, Any]]] | None = None
    noi_nhan_optional: bool = False  # Nơi nhận printed only when the clerk asks (NOI_NHAN_CHOICE)

    @property
    def computed(self) -> tuple[str, ...]:
        """Return the context names the template may use."""
        names = header.COMPUTED + title.COMPUTED + body.COMPUTED + noi_nhan.COMPUTED + self.extra
        names += kinh_gui.COMPUTED if self.kinh_gui else ()
        closing = signature_grid.COMPUTED if self.grid else signers.COMPUTED if self.signers_of else signature.COMPUTED
        return names + closing

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
            "noi_nhan": noi_nhan.context(data["noi_nhan"], rules, nhu_tren=bool(data.get("kinh_gui")),
                                         issuer=without_breaks(data["co_quan"]["ten"])),
        }
        if self.kinh_gui:
            out["kg"] = kinh_gui.context(data["kinh_gui"], rules)
        if self.grid:
            out["grid"] = signature_grid.context(data["don_vi_ky"], int(data["so_cot"]), rules)
        elif self.signers_of:
            out["signers"] = signers.context(self.signers_of(data), rules)
        else:
            out["ky"] = signature.context(data["nguoi_ky"], rules)
        if not self.prints_noi_nhan(data):
            out["noi_nhan"] = {"lines": []}
        return out | extra

    def fields(self, *own: Field, kinh_gui_field: Field | None = None) -> list[Field]:
        """Return the shared leading fields, the kind's own, then the signer (or grid) and Nơi nhận."""
        lead = [*header.fields(), title.field(self.trich_yeu)]
        if self.kinh_gui:
            lead.append(kinh_gui_field or kinh_gui.field())
        closing = signature_grid.fields() if self.grid else [] if self.signers_of else [signature.group()]
        recipients = ([NOI_NHAN_CHOICE, replace(noi_nhan.group(), when={NOI_NHAN_CHOICE.name: ("co",)})]
                      if self.noi_nhan_optional else [noi_nhan.group()])
        return [*lead, body.can_cu_field(), body.lead_field(), *own, *closing, *recipients]

    def prints_noi_nhan(self, data: Mapping[str, Any]) -> bool:
        """Tell whether the document prints Nơi nhận: always, unless it is optional and the clerk did not ask."""
        return not self.noi_nhan_optional or bool(data.get(NOI_NHAN_CHOICE.name))

    def kind(self, **declaration: Any) -> Kind:
        """Return the Kind of this layout; `declaration` gives what is the kind's own.

        Every kind also warns about căn cứ that cite a legal document not in force on its date, and
        about facts of its free text that may not hold on that date (doctpl.review).
        """
        own = declaration.pop("warnings", lambda data: [])
        # Every kind refuses a date before the tables give its type an abbreviation for the Số line.
        checks = (*declaration.pop("checks", ()), facts.check_numbered(self.ten_loai), self.check_closing)

        def warnings(data: dict[str, Any]) -> list[FieldError]:
            stale = review.stale_facts(made, data, header.document_date(data))
            signers = ([] if self.signers_of else [("nguoi_ky", data["nguoi_ky"])] if not self.grid else
                       [(f"don_vi_ky.{index}", unit) for index, unit in enumerate(data["don_vi_ky"])])
            empty = body.empty_parts(data["noi_dung"]) if isinstance(data.get("noi_dung"), list) else []
            return [*body.can_cu_warnings(data), *empty, *own(data),
                    *(w for path, signer in signers for w in signature.warnings(signer, path, data["the_thuc"])),
                    *(FieldError(f.field, f"{f.reason}: «{f.text}»") for f in stale)]

        made = Kind(ten_loai=self.ten_loai, build=self.build, computed=self.computed, **declaration,
                    checks=checks, warnings=warnings)
        return made

    def check_closing(self, data: dict[str, Any]) -> list[FieldError]:
        """Refuse a quyền hạn the thể thức lacks in the closing: TUQ in a Party document."""
        if self.grid:
            errors = signature_grid.check_authority(data)
        elif self.signers_of:
            errors = []  # signers by role sign without a quyền hạn
        else:
            errors = signature.check(data["nguoi_ky"], "nguoi_ky", data["the_thuc"])
        return errors

    def build(self, rules: Rules) -> Any:
        """Return the python-docx template of this kind under one version of the rules."""
        doc = base.new_document(self.ten_loai, rules)
        header.build(doc, rules)
        title.build(doc, upper(self.ten_loai), rules)
        if self.kinh_gui:
            (kinh_trinh.build if self.kinh_trinh else kinh_gui.build)(doc, rules)
        self.body(doc)
        if self.grid:
            signature_grid.build(doc, rules)  # Nơi nhận with the last row
        elif self.signers_of:
            signers.build(doc, rules)
        else:
            noi_nhan.build_closing(doc, rules)
        base.page_numbers(doc)
        return doc
