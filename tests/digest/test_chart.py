"""The trend PNG decodes at the promised size, and its font covers every character it draws."""

from __future__ import annotations

import io

import matplotlib.image
from fontTools.ttLib import TTFont

from bot.digest.chart import HEIGHT_PX, WIDTH_PX, japanese_font, render_trend
from bot.digest.format import trend_chart
from tests.digest.figures import CAT, week48


def _chart():  # type: ignore[no-untyped-def]
    return trend_chart(week48(), CAT)


def test_png_decodes_at_the_expected_size() -> None:
    png = render_trend(_chart())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (HEIGHT_PX, WIDTH_PX)
    assert pixels[..., :3].std() > 0.05  # something was drawn, not a blank canvas


def test_labels_are_the_weeks_and_counts() -> None:
    chart = _chart()
    assert chart.title == "週ごとの報告件数(直近8週)"
    assert chart.week_labels[0] == "10/5週" and chart.week_labels[-1] == "11/23週"
    assert list(chart.counts) == [0, 0, 0, 0, 0, 1, 2, 6]


def test_font_has_a_glyph_for_every_label_character() -> None:
    with TTFont(str(japanese_font())) as font:
        cmap = font.getBestCmap()
    drawn = {ch for text in _chart().texts() for ch in text if not ch.isspace()}
    missing = sorted(ch for ch in drawn if ord(ch) not in cmap)
    assert not missing, f"these would render as empty boxes: {missing}"
    assert {"週", "件", "数"} <= drawn
