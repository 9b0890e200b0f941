"""Signature block (ô 7a–7c): quyền hạn TM./KT./TL./TUQ./Q., chức vụ, room to sign, họ tên."""

from __future__ import annotations

from typing import Any

from doctpl import facts, layout
from doctpl.build import base
from doctpl.fields import Choice, Group, Text
from doctpl.vn.text import upper

COMPUTED = ("ky",)
SIGN_SPACE_LINES = 4  # empty lines left for the signature and the seal
# With TM. the collective is named; with KT./TL./TUQ. the head's title is.
NEEDS_PRINCIPAL = ("TM", "KT", "TL", "TUQ")


def group(name: str = "nguoi_ky", label: str = "Người ký") -> Group:
    """Return the signer fields."""
    prefixes = facts.signing_labels()
    choices = {code: (f"{facts.signing_prefixes()[code]} – {meaning}" if code else meaning)
               for code, meaning in prefixes.items()}
    return Group(name, label, fields=[
        Choice("tham_quyen", "Quyền hạn ký", choices=choices, default="",
               help="TM. thay mặt tập thể; KT. cấp phó ký thay cấp trưởng; TL. thừa lệnh; "
                    "TUQ. thừa ủy quyền; Q. quyền cấp trưởng (NĐ 30/2020, Điều 13)."),
        Text("thay_mat", "Thay mặt / ký thay cho", max_len=120, when={"tham_quyen": NEEDS_PRINCIPAL},
             help="Với TM.: tên tập thể (KHỐI THI ĐUA SỐ 1). Với KT., TL., TUQ.: chức vụ người đứng đầu "
                  "(TRƯỞNG KHỐI)."),
        Text("chuc_vu", "Chức vụ người ký", max_len=120, help="Ví dụ Trưởng Ban Dân vận. Được in hoa tự động."),
        Text("ho_ten", "Họ và tên người ký", max_len=80,
             help="Không ghi học hàm, học vị trước họ tên (NĐ 30, Phụ lục I)."),
    ])


def context(signer: dict[str, Any]) -> dict[str, Any]:
    """Return the printed lines: ["TM. KHỐI THI ĐUA SỐ 1", "TRƯỞNG BAN DÂN VẬN"] and the name."""
    code = signer["tham_quyen"]
    prefix = facts.signing_prefixes()[code]
    chuc_vu = upper(signer["chuc_vu"])
    if code in NEEDS_PRINCIPAL:
        lines = [f"{prefix} {upper(signer['thay_mat'])}", chuc_vu]
    elif code:
        lines = [f"{prefix} {chuc_vu}"]
    else:
        lines = [chuc_vu]
    return {"lines": lines, "ho_ten": signer["ho_ten"]}


def build(cell: Any, source: str = "ky") -> None:
    """Write the signature block into a table cell; `source` names its context value."""
    base.tag(cell, f"{{%p for line in {source}.lines %}}")
    base.paragraph(cell, "{{ line }}", bold=True)
    base.tag(cell, "{%p endfor %}")
    for _ in range(SIGN_SPACE_LINES):
        base.paragraph(cell)
    base.paragraph(cell, f"{{{{ {source}.ho_ten }}}}", bold=True)


def width() -> int:
    """Return the width of the signature column of the closing table."""
    return layout.FOOTER_RIGHT
