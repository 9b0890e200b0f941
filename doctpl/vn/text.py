"""Text normalisation for Vietnamese input: NFC, control characters, upper-casing, slugs."""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids (NUL, which no PostgreSQL text holds, among them) and lone surrogates, which
# JSON's "\\ud800" can carry and UTF-8 cannot encode; one of them in a run makes Word refuse the file.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0]+")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the form TCVN 6909:2001 documents use."""
    return unicodedata.normalize("NFC", text)


def xml_chars(text: str) -> str:
    """Return `text` without the characters XML 1.0 forbids (control characters, lone surrogates)."""
    return _XML_INVALID.sub("", text)


def _tidy(text: str, multiline: bool) -> bool:
    """Tell whether clean() would leave `text` as it is: most values, which then skip the line-by-line work.

    Printable means no control character, lone surrogate, non-character or space other than U+0020 (all of
    them Cc, Cs, Cn or Z* in Unicode); what is left to find is a doubled or outer space and a blank line.
    """
    if "\n" in text:
        if not multiline or " \n" in text or "\n " in text or "\n\n" in text:
            return False
        printable = text.replace("\n", "").isprintable()
    else:
        printable = text.isprintable()
    return printable and "  " not in text and not text[:1].isspace() and not text[-1:].isspace()


def clean(text: str, *, multiline: bool = False) -> str:
    """Normalise one input value: NFC, no XML-invalid characters, folded spaces, trimmed."""
    text = nfc(text)
    return text if _tidy(text, multiline) else _normalise(text, multiline)


def _normalise(text: str, multiline: bool) -> str:
    """Return NFC `text` without XML-invalid characters, with spaces folded and lines trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = xml_chars(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if not multiline:
        return " ".join(line for line in lines if line)
    # Keep single blank lines between paragraphs, drop runs of them.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# Old-style tone placement (uỷ, hoà, khoá) spells the same word as the new style (ủy, hòa, khóa).
OLD_TONES = {"uỷ": "ủy", "uý": "úy", "uỳ": "ùy", "uỹ": "ũy", "uỵ": "ụy", "oà": "òa", "oá": "óa", "oả": "ỏa",
             "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe"}
_OLD_TONE = re.compile("|".join(OLD_TONES))


def fold(text: str) -> str:
    """Return `text` for comparison: NFC, lower case, new-style tone marks; exactly as long as nfc(text)."""
    return _OLD_TONE.sub(lambda match: OLD_TONES[match.group(0)], nfc(text).lower())


def upper(text: str) -> str:
    """Upper-case Vietnamese text so that every tone mark survives (NFC in, NFC out)."""
    return nfc(nfc(text).upper())


# Typed in a name or a trích yếu where the clerk wants the line to break («ỦY BAN NHÂN DÂN|PHƯỜNG …»); never printed.
LINE_BREAK = "|"
_LINE_BREAK = re.compile(r"\s*\|\s*")


def without_breaks(text: str) -> str:
    """Return `text` with every forced line break «|» read as a space: the name as it is printed on one line."""
    return _LINE_BREAK.sub(" ", text).strip() if LINE_BREAK in text else text


def ascii_slug(text: str, sep: str = "-") -> str:
    """Return an ASCII-only file-name stem: "Kế hoạch 2021" -> "Ke-hoach-2021"."""
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", text)
    return sep.join(words) or "van-ban"
