"""The eight-week trend as a PNG, drawn with matplotlib's Agg backend and a Japanese font.

The figure is built with the object API (no pyplot) and the font is given to each text
element, so nothing global changes: charts may be drawn in worker threads. matplotlib (and
numpy under it: ~0.5 s and ~40 MB) is imported when the first chart is drawn, not when the
app starts: most processes never draw one.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

WIDTH_PX = 800
HEIGHT_PX = 450
DPI = 100
BAR_COLOUR = "#4C72B0"
LAST_BAR_COLOUR = "#DD8452"


@dataclass(frozen=True)
class TrendChart:
    title: str
    y_label: str
    week_labels: Sequence[str]
    counts: Sequence[int]

    def texts(self) -> list[str]:
        """Every string the chart draws, so a test can check the font covers them."""
        return [self.title, self.y_label, *self.week_labels, *(str(n) for n in self.counts)]


@cache
def japanese_font() -> Path:
    """The IPAexGothic file shipped by matplotlib-fontja.

    Found without importing the package: its import calls `japanize()`, which rewrites the
    process-wide rcParams.
    """
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or spec.origin is None:
        raise RuntimeError("matplotlib-fontja is not installed")
    return Path(spec.origin).parent / "fonts" / "ipaexg.ttf"


def render_trend(chart: TrendChart) -> bytes:
    """A WIDTH_PX × HEIGHT_PX PNG: one bar a week, this week's bar highlighted."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    _draw(figure, chart, FontProperties(fname=japanese_font()))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _draw(figure: Figure, chart: TrendChart, font: FontProperties) -> None:
    from matplotlib.ticker import MaxNLocator

    axes = figure.add_subplot()
    positions = list(range(len(chart.counts)))
    colours = [BAR_COLOUR] * len(positions)
    if colours:
        colours[-1] = LAST_BAR_COLOUR
    bars = axes.bar(positions, list(chart.counts), color=colours)
    axes.bar_label(bars, labels=[str(n) for n in chart.counts], padding=2, fontproperties=font)
    axes.set_xticks(positions, list(chart.week_labels), fontproperties=font)
    title = font.copy()
    title.set_size("x-large")
    axes.set_title(chart.title, fontproperties=title)
    axes.set_ylabel(chart.y_label, fontproperties=font)
    axes.set_ylim(0, max([*chart.counts, 1]) * 1.2)
    locator = axes.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one: counts are whole
        locator.set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
