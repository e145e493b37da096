"""The bulletin's chart: tasks of each section by colour, as stacked horizontal bars (matplotlib, offline).

Chinese labels need a CJK font on the machine (the setup installs Debian's ``fonts-noto-cjk``). Without one
the chart would print boxes, so no chart is drawn: the bulletin is built without it and the log says why."""

from __future__ import annotations

import logging
from functools import cache
from io import BytesIO

from duban.outputs.bulletin_content import COLOUR_NAMES, SectionCount

log = logging.getLogger(__name__)

# Fonts tried in order: the Debian package the setup installs, then what Windows/WPS machines carry.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "SimSun",
)
WIDTH = 6.1  # inches, printed 150 mm wide
LABEL_CHARS = 14  # a section's label on the axis, at most
BAR_COLOURS = {"done": "#1d4f91", "blue": "#409eff", "yellow": "#e6a23c", "red": "#f56c6c"}


@cache
def cjk_font() -> str | None:
    """The first installed font able to draw Chinese, or None."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def colour_chart(sections: list[SectionCount]) -> bytes | None:
    """A PNG of the sections' tasks by colour, or None (logged) when no CJK font is installed."""
    if not sections:
        return None
    font = cjk_font()
    if font is None:
        log.warning("未找到可显示中文的字体（请安装 fonts-noto-cjk），通报不含分类统计图")
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    labels = [_short(s.section) for s in sections][::-1]
    height = max(1.6, 0.7 + 0.22 * len(sections))
    figure = Figure(figsize=(WIDTH, height), dpi=200)
    # Margins set, not worked out by tight_layout (a second drawing of the whole chart): room for a label
    # of LABEL_CHARS characters at 9 pt on the left, the legend above, the axis title below.
    label_room = (LABEL_CHARS * 9 + 12) / 72 / WIDTH
    figure.subplots_adjust(left=label_room, right=0.98, top=1 - 0.32 / height, bottom=0.42 / height)
    axes = figure.add_subplot()
    left = [0] * len(sections)
    for colour, name in COLOUR_NAMES.items():
        values = [getattr(s, colour) for s in sections][::-1]
        axes.barh(labels, values, left=left, color=BAR_COLOURS[colour], label=name, height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlabel("任务数（项）", fontfamily=font, fontsize=9)
    for label in axes.get_yticklabels():
        label.set_fontfamily(font)
        label.set_fontsize(9)
    axes.legend(prop={"family": font, "size": 8}, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    axes.spines[["top", "right"]].set_visible(False)
    buffer = BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _short(section: str, limit: int = LABEL_CHARS) -> str:
    """A section title short enough for the axis: its leading ordinal kept, the rest cut with an ellipsis."""
    return section if len(section) <= limit else section[: limit - 1] + "…"
