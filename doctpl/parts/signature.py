"""Signature block (ô 7a–7c): the quyền hạn line, the chức vụ, room to sign, the họ tên.

NĐ 30 (Phụ lục I, II.7) prints «TM.», «KT.», «TL.», «TUQ.», «Q.» and sets every line in bold; under
«TM.» a second quyền hạn may follow, with the extra chức vụ line of ô 7b: «TM. ỦY BAN NHÂN DÂN / KT. CHỦ
TỊCH / PHÓ CHỦ TỊCH». Party guidance (HD 05 I.7 and Phụ lục 2 row 7) prints «T/M», «K/T», «T/L», «Q.», has
no TUQ and no second quyền hạn, sets the quyền hạn line in bold and the chức vụ upright without bold, and
lets a body without its own seal sign «TRƯỞNG BAN … / kiêm / TRƯỞNG KHỐI …» (I.7.1.4.đ). Every line is
broken between word units when it is wider than its column (doctpl.metrics), or where «|» was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from doctpl import facts, layout, the_thuc
from doctpl.build import base
from doctpl.errors import FieldError
from doctpl.fields import Choice, Group, Text, join
from doctpl.metrics import break_lines
from doctpl.ooxml import cell_box
from doctpl.vn.text import upper

COMPUTED = ("ky",)
SIGN_SPACE_LINES = 4  # empty lines left for the signature and the seal
# With TM. the collective is named; with KT./TL./TUQ. the head's title is.
NEEDS_PRINCIPAL = ("TM", "KT", "TL", "TUQ")
# A second quyền hạn under TM. (NĐ 30 Phụ lục I II.7.b, ô 7b): KT. and TL. name the head's title on their own
# line («KT. CHỦ TỊCH»), Q. is followed by the acting head's own title («Q. CHỦ TỊCH»).
SECOND_LEVEL = ("KT", "TL", "Q")
SECOND_NEEDS_PRINCIPAL = ("KT", "TL")
BREAK_HELP = " Gõ «|» tại chỗ muốn xuống dòng; dấu «|» không được in."
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


def _second_choices() -> dict[str, str]:
    state = facts.signing_prefixes(the_thuc.NHA_NUOC)
    labels = facts.signing_labels()
    return {"": "Không có", **{code: f"{state[code]} – {labels[code]}" for code in SECOND_LEVEL}}


def group(name: str = "nguoi_ky", label: str = "Người ký") -> Group:
    """Return the signer fields."""
    return Group(name, label, fields=[
        Choice("tham_quyen", "Quyền hạn ký", choices=_choices(), default="",
               help="TM. thay mặt tập thể; KT. cấp phó ký thay cấp trưởng; TL. thừa lệnh; TUQ. thừa ủy quyền; "
                    "Q. quyền cấp trưởng (NĐ 30/2020, Điều 13). Văn bản của Đảng in T/M, K/T, T/L, Q. "
                    "và không có TUQ."),
        Text("thay_mat", "Thay mặt / ký thay cho", max_len=120, when={"tham_quyen": NEEDS_PRINCIPAL},
             help="Với TM.: tên tập thể (KHỐI THI ĐUA SỐ 1, ỦY BAN NHÂN DÂN). Với KT., TL., TUQ.: chức vụ "
                  "người đứng đầu (TRƯỞNG KHỐI)." + BREAK_HELP),
        Choice("tham_quyen_2", "Quyền hạn ký cấp thứ hai", choices=_second_choices(), default="",
               when={"tham_quyen": ("TM",)},
               help="Chỉ văn bản nhà nước, dưới TM.: ví dụ TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH "
                    "(NĐ 30/2020, Phụ lục I, mục II.7). Văn bản của Đảng không ký hai cấp: cấp ủy không có K/T "
                    "(Hướng dẫn 05-HD/VPTW, I.7.1.1.a)."),
        Text("thay_mat_2", "Chức vụ người đứng đầu tập thể", max_len=120,
             when={"tham_quyen": ("TM",), "tham_quyen_2": SECOND_NEEDS_PRINCIPAL},
             help="In sau KT. hoặc TL. ở dòng thứ hai, ví dụ CHỦ TỊCH. Được in hoa tự động." + BREAK_HELP),
        Text("chuc_vu", "Chức vụ người ký", max_len=120,
             help="Ví dụ Trưởng Ban Dân vận; với KT. CHỦ TỊCH: Phó Chủ tịch. Được in hoa tự động." + BREAK_HELP),
        Text("kiem", "Chức vụ kiêm nhiệm", required=False, max_len=120,
             help="Chỉ văn bản của Đảng: in dưới chức vụ, sau dòng «kiêm», ví dụ Trưởng Khối thi đua số 1 "
                  "(Hướng dẫn 05-HD/VPTW, I.7.1.4.đ)." + BREAK_HELP),
        Text("ho_ten", "Họ và tên người ký", max_len=80,
             help="Không ghi học hàm, học vị trước họ tên (NĐ 30, Phụ lục I; Hướng dẫn 05-HD/VPTW, I.7.1.3)."),
    ])


def _line(text: str, bold: bool) -> dict[str, Any]:
    return {"text": text, "bold": bold}


def context(signer: Mapping[str, Any], rules: the_thuc.Rules, box: int | None = None) -> dict[str, Any]:
    """Return the printed lines with their emphasis and the name; each line broken to fit `box` (twips; the
    closing table's signature column by default), its parts joined by "\\n" within the one paragraph.

    NĐ 30: ["TM. KHỐI THI ĐUA SỐ 1", "TRƯỞNG BAN DÂN VẬN"], all bold; two levels: ["TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], all bold. Party: ["T/M KHỐI THI ĐUA SỐ 1"] bold, then
    ["TRƯỞNG BAN DÂN VẬN"] (and "kiêm", "TRƯỞNG KHỐI THI ĐUA SỐ 1") upright.
    """
    code = signer["tham_quyen"]
    prefixes = facts.signing_prefixes(rules.the_thuc)
    prefix = prefixes.get(code, "")
    title_bold = TITLE_BOLD[rules.the_thuc]
    titles = [upper(signer["chuc_vu"])]
    if rules.dang and signer.get("kiem"):
        titles += [KIEM, upper(signer["kiem"])]
    second = signer.get("tham_quyen_2", "") if code == "TM" else ""
    if code in NEEDS_PRINCIPAL:
        lines = [_line(f"{prefix} {upper(signer['thay_mat'])}", True)]
        if second in SECOND_NEEDS_PRINCIPAL:  # ô 7b: «KT. CHỦ TỊCH», then the signer's own title
            lines.append(_line(f"{prefixes[second]} {upper(signer.get('thay_mat_2') or '')}", True))
        elif second:  # Q.: the acting head's title is the second quyền hạn line itself
            lines.append(_line(f"{prefixes[second]} {titles.pop(0)}", True))
        lines += [_line(text, title_bold) for text in titles]
    elif code:  # Q.: the acting title is the quyền hạn line itself
        lines = [_line(f"{prefix} {titles[0]}", True)] + [_line(text, title_bold) for text in titles[1:]]
    else:
        lines = [_line(text, title_bold) for text in titles]
    box = cell_box(width()) if box is None else box
    lines = [_line("\n".join(break_lines(line["text"], layout.BODY_SIZE, box, bold=line["bold"])), line["bold"])
             for line in lines]
    return {"lines": lines, "ho_ten": signer["ho_ten"]}


def check(signer: Mapping[str, Any], path: str, the_thuc_value: str) -> list[FieldError]:
    """Refuse a quyền hạn the document's thể thức does not have: a Party document has no TUQ, and no second
    quyền hạn under T/M.

    Decision on the two-level form in Party documents: refused. HD 05-HD/VPTW I.7.1.1.a and I.7.1.2.b
    (shared/spec/party-format.md §5): a cấp ủy has no K/T, its phó bí thư also signs T/M; K/T and T/L are
    written alone for the head of an advisory body («K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN», «T/L BAN THƯỜNG VỤ /
    CHÁNH VĂN PHÒNG»); and in a body without its own seal a deputy does not sign K/T for the head. No form
    «T/M … / K/T …» is shown, in HD 05 or in HD 36.
    """
    errors = []
    if signer["tham_quyen"] not in facts.signing_prefixes(the_thuc_value):
        errors.append(FieldError(join(path, "tham_quyen"),
                                 "Văn bản của Đảng không có hình thức ký thừa ủy quyền (TUQ.); chọn T/L (thừa lệnh) "
                                 "hoặc để người đứng đầu ký (Hướng dẫn 05-HD/VPTW, I.7.1.4.d)."))
    if the_thuc_value == the_thuc.DANG and signer["tham_quyen"] == "TM" and signer.get("tham_quyen_2"):
        errors.append(FieldError(join(path, "tham_quyen_2"),
                                 "«Quyền hạn ký cấp thứ hai»: văn bản của Đảng không ký hai cấp «T/M … / K/T …»; "
                                 "cấp ủy không ký K/T, cấp phó cũng ký T/M (Hướng dẫn 05-HD/VPTW, I.7.1.1.a và "
                                 "I.7.1.2.b). Để trống ô này, hoặc chọn K/T với chức vụ người đứng đầu."))
    return errors


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
