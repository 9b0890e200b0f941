"""Pieces of typed text: a paragraph line with its emphasis, spaces folded, and written back as doctpl's markup.

A paragraph splits into lines at its manual line breaks (and, in the header and the closing, into columns at
its tabs). Emphasis becomes `**bold**` and `*italic*` only where the markup reads it back to the same text;
otherwise the text is kept plain, so nothing typed is ever lost to a star.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from doctpl import markup
from doctpl.importer.word import Line, Segment

BREAK = "\n"
XUONG_DONG = "[[xuong_dong]]"
_SENTENCE_END = ".;:!?"


def split(segments: list[Segment], separator: str) -> list[list[Segment]]:
    """Split segments wherever `separator` occurs, keeping each part's emphasis."""
    parts: list[list[Segment]] = [[]]
    for segment in segments:
        for index, text in enumerate(segment.text.split(separator)):
            if index:
                parts.append([])
            if text:
                parts[-1].append(Segment(text, segment.bold, segment.italic))
    return parts


@dataclass
class Piece:
    """One line of a paragraph as the parsers read it; `chars` holds each character with its emphasis."""

    line: Line
    chars: list[tuple[str, bool, bool]]

    @classmethod
    def of(cls, line: Line, segments: list[Segment]) -> Piece:
        """Return the piece of these segments with every run of spaces (tabs too) folded into one, trimmed."""
        chars: list[tuple[str, bool, bool]] = []
        for segment in segments:
            for char in segment.text:
                if char.isspace() and char != BREAK:
                    if chars and chars[-1][0] not in (" ", BREAK):
                        chars.append((" ", chars[-1][1], chars[-1][2]))
                elif char == BREAK and chars and chars[-1][0] == " ":
                    chars[-1] = (BREAK, segment.bold, segment.italic)
                else:
                    chars.append((char, segment.bold, segment.italic))
        return cls(line, _trimmed(chars))

    @cached_property
    def plain(self) -> str:
        """Return the text on one line (a kept line break reads as a space)."""
        return "".join(char for char, _, _ in self.chars).replace(BREAK, " ")

    @property
    def bold(self) -> bool:
        """Tell whether every letter is bold."""
        letters = [b for char, b, _ in self.chars if char.isalnum()]
        return bool(letters) and all(letters)

    @property
    def italic(self) -> bool:
        """Tell whether every letter is italic."""
        letters = [i for char, _, i in self.chars if char.isalnum()]
        return bool(letters) and all(letters)

    def drop(self, count: int) -> Piece:
        """Return the piece without its first `count` characters (a label already read), trimmed."""
        return Piece(self.line, _trimmed(self.chars[count:]))

    def head(self, count: int) -> Piece:
        """Return the piece's first `count` characters, trimmed (without a typed end mark, for instance)."""
        return Piece(self.line, _trimmed(self.chars[:count]))

    def marked(self, whole: bool = True) -> str:
        """Return the text in doctpl's markup; `whole=False` leaves out an emphasis that covers every letter."""
        bold, italic = (False, False) if whole else (self.bold, self.italic)
        runs: list[tuple[str, bool, bool]] = []
        for char, b, i in self.chars:
            b, i = b and not bold, i and not italic and not b  # bold and italic together: written bold
            if runs and (runs[-1][1:] == (b, i) or char == " "):
                runs[-1] = (runs[-1][0] + char, runs[-1][1], runs[-1][2])
            else:
                runs.append((char, b, i))
        plain = "".join(char for char, _, _ in self.chars)
        for escape in (False, True):
            candidate = "".join(_wrap(text, b, i, escape) for text, b, i in runs)
            if _reads_as(candidate, plain):
                return candidate.replace(BREAK, XUONG_DONG)
        flat = _escaped(plain) if not _reads_as(plain, plain) else plain
        return flat.replace(BREAK, XUONG_DONG)


def _trimmed(chars: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    start, end = 0, len(chars)
    while start < end and chars[start][0] in (" ", BREAK):
        start += 1
    while end > start and chars[end - 1][0] in (" ", BREAK):
        end -= 1
    return chars[start:end]


def _escaped(text: str) -> str:
    return text.replace("*", "\\*")


def _wrap(text: str, bold: bool, italic: bool, escape: bool) -> str:
    """Return one run with its marks outside its spaces («**chữ** »)."""
    body = _escaped(text) if escape else text
    if not (bold or italic) or not text.strip():
        return body
    mark = "**" if bold else "*"
    core = body.strip(" " + BREAK)
    lead = body[:len(body) - len(body.lstrip(" " + BREAK))]
    tail = body[len(body.rstrip(" " + BREAK)):]
    return f"{lead}{mark}{core}{mark}{tail}"


def _reads_as(candidate: str, plain: str) -> bool:
    """Tell whether the markup reads back to exactly the typed text."""
    return "".join(run.text for run in markup.runs(candidate)) == plain


def pieces(line: Line, separator: str = BREAK) -> list[Piece]:
    """Return the non-empty pieces of a paragraph, split at its line breaks (or at `separator`)."""
    out = []
    for part in split(line.segments, BREAK):
        for column in split(part, separator) if separator != BREAK else [part]:
            piece = Piece.of(line, column)
            if piece.chars:
                out.append(piece)
    return out


def body_pieces(line: Line, starts_item: Callable[[str], bool]) -> list[Piece]:
    """Return a body paragraph's pieces: a line break after a sentence, or before a numbered or dashed line, starts
    a new paragraph; inside a sentence it stays a line break of the paragraph ([[xuong_dong]]).

    `starts_item(text)` tells whether a line opens a numbered or dashed item.
    """
    parts = [Piece.of(line, part) for part in split(line.segments, BREAK)]
    parts = [part for part in parts if part.chars]
    out: list[Piece] = []
    for part in parts:
        if out and not out[-1].plain.endswith(tuple(_SENTENCE_END)) and not starts_item(part.plain):
            out[-1] = Piece(line, out[-1].chars + [(BREAK, False, False)] + part.chars)
        else:
            out.append(part)
    return out
