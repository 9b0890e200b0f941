"""The standard NĐ 30 document (Phụ lục III, Mẫu 1.4) composed from the shared parts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from doctpl import markup
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.parts import body, header, noi_nhan, signature, title
from doctpl.vn.canchi import can_chi
from doctpl.vn.text import upper

COMPUTED = header.COMPUTED + title.COMPUTED + body.COMPUTED + signature.COMPUTED + noi_nhan.COMPUTED
# Which field a token's value comes from, for the message when it is empty.
TOKEN_SOURCES = {"chu_de_nam": "Chủ đề năm", "han_bao_cao": "Hạn gửi báo cáo"}


def token_values(data: Mapping[str, Any], **extra: str) -> dict[str, str]:
    """Return the values of the plain [[…]] tokens for this document's year."""
    year = data["nam"]
    return {"nam": str(year), "can_chi": can_chi(year), "chu_de_nam": data.get("chu_de_nam", ""), **extra}


def missing_tokens(data: Mapping[str, Any], values: Mapping[str, str]) -> list[FieldError]:
    """Report each text that uses a token whose value the clerk has not entered."""
    found = list(body.texts(data.get("noi_dung", []), "noi_dung"))
    found += [(f"can_cu.{index}", text) for index, text in enumerate(data.get("can_cu", []))]
    errors = []
    for path, text in found:
        for name, label in TOKEN_SOURCES.items():
            if markup.uses_token(text, name) and not values.get(name):
                errors.append(FieldError(path, f"Mã [[{name}]] cần nhập «{label}» trước."))
    return errors


def context(data: Mapping[str, Any], ten_loai: str, lines: body.Lines) -> dict[str, Any]:
    """Return the context every standard document shares: header, title, body, signature, Nơi nhận."""
    return {
        "hdr": header.context(dict(data), ten_loai),
        "title": title.context(data["trich_yeu"]),
        "body": lines.result(),
        "ky": signature.context(data["nguoi_ky"]),
        "noi_nhan": noi_nhan.context(data["noi_nhan"]),
    }


def build(ten_loai: str, write_body: Callable[[Any], None] = body.build) -> Any:
    """Return the python-docx template of a standard document of type `ten_loai`."""
    doc = base.new_document(ten_loai)
    header.build(doc)
    title.build(doc, upper(ten_loai))
    write_body(doc)
    noi_nhan.build_closing(doc)
    base.page_numbers(doc)
    return doc
