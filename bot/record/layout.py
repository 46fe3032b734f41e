"""The page of a case record: A4, the Japanese font embedded, 「取扱注意」 and the page number
on every page. fpdf2 (py-pdf/fpdf2) draws it; the font is IPAexGothic, which the
matplotlib-fontja package already ships for the digest chart."""

from __future__ import annotations

import importlib.resources
import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

FONT_FAMILY = "IPAexGothic"
FONT_FILE = "fonts/ipaexg.ttf"
MISSING_GLYPH = "\u3013"  # 〓, the geta mark Japanese typesetting prints for a missing character
MARGIN = 15.0  # mm
LINE = 5.6  # mm, body line height at 10 pt
LABEL_WIDTH = 38.0  # mm
RED = (176, 0, 32)
GREY = (90, 90, 90)


@cache
def font_path() -> Path:
    """IPAexGothic from the matplotlib-fontja package (found with importlib.resources)."""
    resource = importlib.resources.files("matplotlib_fontja").joinpath(FONT_FILE)
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(f"{FONT_FILE} is missing from matplotlib_fontja")
    return path


@cache
def _covered() -> frozenset[int]:
    with TTFont(font_path(), lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """Text the embedded font can draw: a character it lacks becomes 〓, so the reader sees
    that something was there; pictographs (the app's own ✅, 🚓) and variation selectors,
    which carry no words, are left out."""
    covered = _covered()
    out = []
    for char in text:
        if char in "\n\t" or ord(char) in covered:
            out.append(char)
        elif unicodedata.category(char) in ("So", "Mn", "Cf", "Sk"):
            continue
        else:
            out.append(MISSING_GLYPH)
    return "".join(out)


class RecordPage(FPDF):
    """Header: organisation and case number left, 「取扱注意」 boxed right. Footer: the page
    number as `n / total` (fpdf2 fills in the total when the document is closed)."""

    def __init__(self, *, heading: str, marking: str, page_label: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._heading = heading
        self._marking = marking
        self._page_label = page_label  # with {page} and {total}
        self.add_font(FONT_FAMILY, fname=str(font_path()))
        self.set_margins(MARGIN, MARGIN + 8, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)

    def header(self) -> None:
        self.set_y(MARGIN - 4)
        self.set_font(FONT_FAMILY, size=8)
        self.set_text_color(*GREY)
        self.cell(120, 6, printable(self._heading), new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(FONT_FAMILY, size=11)
        self.set_text_color(*RED)
        self.set_draw_color(*RED)
        width = self.get_string_width(self._marking) + 6
        self.set_x(self.w - MARGIN - width)
        self.cell(width, 7, self._marking, border=1, align="C")
        self.set_text_color(0, 0, 0)
        self.set_draw_color(0, 0, 0)
        self.set_y(MARGIN + 8)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT_FAMILY, size=8)
        self.set_text_color(*GREY)
        text = self._page_label.format(page=self.page_no(), total=self.str_alias_nb_pages)
        self.cell(0, 6, text, align="C")
        self.set_text_color(0, 0, 0)

    def title_line(self, text: str) -> None:
        self.set_font(FONT_FAMILY, size=16)
        self.multi_cell(0, 9, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def section_heading(self, text: str) -> None:
        if self.get_y() > self.h - MARGIN - 30:
            self.add_page()  # a heading is never left alone at the foot of a page
        self.ln(3)
        self.set_font(FONT_FAMILY, size=12)
        self.set_fill_color(235, 235, 235)
        self.cell(0, 7, printable(text), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def field(self, label: str, value: str) -> None:
        """A label and its value; a long value wraps under itself, character by character
        (Japanese has no spaces to break at)."""
        if self.get_y() > self.h - MARGIN - 5 - 2 * LINE:
            self.add_page()  # the label and the first line of its value stay together
        self.set_font(FONT_FAMILY, size=9)
        self.set_text_color(*GREY)
        y = self.get_y()
        self.multi_cell(LABEL_WIDTH, LINE, printable(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_text_color(0, 0, 0)
        self.set_font(FONT_FAMILY, size=10)
        self.set_xy(MARGIN + LABEL_WIDTH, y)
        self._rest_of_line(value)

    def paragraph(self, text: str, *, size: float = 10, indent: float = 0) -> None:
        self.set_font(FONT_FAMILY, size=size)
        self.set_x(MARGIN + indent)
        self._rest_of_line(text)

    def _rest_of_line(self, text: str) -> None:
        """`text` from here to the right margin, wrapped at any character (Japanese has no
        spaces to break at), then back to the left margin on the next line."""
        self.multi_cell(
            0,
            LINE,
            printable(text),
            wrapmode=WrapMode.CHAR,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
