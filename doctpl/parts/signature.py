"""Signature block (ô 7a–7c): the quyền hạn line, the chức vụ, room to sign, the họ tên.

NĐ 30 (Phụ lục I, II.7) prints «TM.», «KT.», «TL.», «TUQ.», «Q.» and sets every line in bold; Party
guidance (HD 05 I.7 and Phụ lục 2 row 7) prints «T/M», «K/T», «T/L», «Q.», has no TUQ, sets the
quyền hạn line in bold and the chức vụ upright without bold, and lets a body without its own seal
sign «TRƯỞNG BAN … / kiêm / TRƯỞNG KHỐI …» (I.7.1.4.đ).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from doctpl import facts, layout, the_thuc
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Group, Text, join
from doctpl.vn.text import upper

COMPUTED = ("ky",)
SIGN_SPACE_LINES = 4  # empty lines left for the signature and the seal
# With TM. the collective is named; with KT./TL./TUQ. the head's title is.
NEEDS_PRINCIPAL = ("TM", "KT", "TL", "TUQ")
KIEM = "kiêm"
# Whether the chức vụ lines are bold: NĐ 30 Phụ lục I, II.7.b | HD 05 Phụ lục 2 row 7 (quyền hạn bold only).
TITLE_BOLD = {the_thuc.NHA_NUOC: True, the_thuc.DANG: False}


def _choices() -> dict[str, str]:
    state, party = facts.signing_prefixes(the_thuc.NHA_NUOC), facts.signing_prefixes(the_thuc.DANG)
    out = {}
    for code, meaning in facts.signing_labels().items():
        if not code:
            out[code] = meaning
        elif code in party:
            out[code] = f"{state[code]} (Đảng: {party[code]}) – {meaning}"
        else:
            out[code] = f"{state[code]} – {meaning} (văn bản của Đảng không dùng)"
    return out


def group(name: str = "nguoi_ky", label: str = "Người ký") -> Group:
    """Return the signer fields."""
    return Group(name, label, fields=[
        Choice("tham_quyen", "Quyền hạn ký", choices=_choices(), default="",
               help="TM. thay mặt tập thể; KT. cấp phó ký thay cấp trưởng; TL. thừa lệnh; TUQ. thừa ủy quyền; "
                    "Q. quyền cấp trưởng (NĐ 30/2020, Điều 13). Văn bản của Đảng in T/M, K/T, T/L, Q. "
                    "và không có TUQ."),
        Text("thay_mat", "Thay mặt / ký thay cho", max_len=120, when={"tham_quyen": NEEDS_PRINCIPAL},
             help="Với TM.: tên tập thể (KHỐI THI ĐUA SỐ 1). Với KT., TL., TUQ.: chức vụ người đứng đầu "
                  "(TRƯỞNG KHỐI)."),
        Text("chuc_vu", "Chức vụ người ký", max_len=120, help="Ví dụ Trưởng Ban Dân vận. Được in hoa tự động."),
        Text("kiem", "Chức vụ kiêm nhiệm", required=False, max_len=120,
             help="Chỉ văn bản của Đảng: in dưới chức vụ, sau dòng «kiêm», ví dụ Trưởng Khối thi đua số 1 "
                  "(Hướng dẫn 05-HD/VPTW, I.7.1.4.đ)."),
        Text("ho_ten", "Họ và tên người ký", max_len=80,
             help="Không ghi học hàm, học vị trước họ tên (NĐ 30, Phụ lục I; Hướng dẫn 05-HD/VPTW, I.7.1.3)."),
    ])


def _line(text: str, bold: bool) -> dict[str, Any]:
    return {"text": text, "bold": bold}


def context(signer: Mapping[str, Any], rules: the_thuc.Rules) -> dict[str, Any]:
    """Return the printed lines with their emphasis and the name.

    NĐ 30: ["TM. KHỐI THI ĐUA SỐ 1", "TRƯỞNG BAN DÂN VẬN"], all bold. Party: ["T/M KHỐI THI ĐUA SỐ 1"]
    bold, then ["TRƯỞNG BAN DÂN VẬN"] (and "kiêm", "TRƯỞNG KHỐI THI ĐUA SỐ 1") upright.
    """
    code = signer["tham_quyen"]
    prefix = facts.signing_prefixes(rules.the_thuc).get(code, "")
    title_bold = TITLE_BOLD[rules.the_thuc]
    titles = [upper(signer["chuc_vu"])]
    if rules.dang and signer.get("kiem"):
        titles += [KIEM, upper(signer["kiem"])]
    if code in NEEDS_PRINCIPAL:
        lines = [_line(f"{prefix} {upper(signer['thay_mat'])}", True)]
        lines += [_line(text, title_bold) for text in titles]
    elif code:  # Q.: the acting title is the quyền hạn line itself
        lines = [_line(f"{prefix} {titles[0]}", True)] + [_line(text, title_bold) for text in titles[1:]]
    else:
        lines = [_line(text, title_bold) for text in titles]
    return {"lines": lines, "ho_ten": signer["ho_ten"]}


def check(signer: Mapping[str, Any], path: str, the_thuc_value: str) -> list[FieldError]:
    """Refuse a quyền hạn the document's thể thức does not have (a Party document has no TUQ)."""
    if signer["tham_quyen"] not in facts.signing_prefixes(the_thuc_value):
        return [FieldError(join(path, "tham_quyen"),
                           "Văn bản của Đảng không có hình thức ký thừa ủy quyền (TUQ.); chọn T/L (thừa lệnh) "
                           "hoặc để người đứng đầu ký (Hướng dẫn 05-HD/VPTW, I.7.1.4.d).")]
    return []


def warnings(signer: Mapping[str, Any], path: str, the_thuc_value: str) -> list[FieldError]:
    """Warn that a «kiêm» line is not printed in a state document."""
    if signer.get("kiem") and the_thuc_value != the_thuc.DANG:
        return [FieldError(join(path, "kiem"), "Văn bản nhà nước (Nghị định 30/2020/NĐ-CP) không in dòng «kiêm»; "
                                               "chức vụ kiêm nhiệm được bỏ qua.")]
    return []


def build(cell: Any, source: str = "ky") -> None:
    """Write the signature block into a table cell; `source` names its context value."""
    base.tag(cell, f"{{%p for line in {source}.lines %}}")
    base.tag(cell, "{%p if line.bold %}")
    base.paragraph(cell, "{{ line.text }}", bold=True)
    base.tag(cell, "{%p else %}")
    base.paragraph(cell, "{{ line.text }}")
    base.tag(cell, "{%p endif %}")
    base.tag(cell, "{%p endfor %}")
    for _ in range(SIGN_SPACE_LINES):
        base.paragraph(cell)
    base.paragraph(cell, f"{{{{ {source}.ho_ten }}}}", bold=True)


def width() -> int:
    """Return the width of the signature column of the closing table."""
    return layout.FOOTER_RIGHT
