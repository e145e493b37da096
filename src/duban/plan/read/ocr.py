"""Scanned notices: a PDF without a text layer, or a PNG/JPEG photo or scan, read by OCR.

The engine is RapidOCR on ONNX Runtime, whose detection and recognition models ship inside its Python
package: nothing is downloaded at run time (an intranet has no internet). OCR gives boxes of text; lines
are rebuilt from them by position (boxes whose vertical centres are close form one line, read left to
right), and wrapped lines are joined back into paragraphs the way the PDF reader does: a line that reaches
the right margin continues on the next unless that one is indented. The result is marked as OCR'd so the
import preview can tell the admin to check it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from duban.plan.errors import PlanError
from duban.plan.limits import Limits
from duban.plan.source import Para, ScannedSource

log = logging.getLogger("duban.plan.ocr")
PDF_RESOLUTION = 200  # dpi: 3号 body text is then ~45 px high, well within the recogniser's range
MIN_CONFIDENCE = 0.5
MAX_OCR_PAGES = 50
_engine: Any = None


@dataclass
class _Box:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _ocr_engine() -> Any:
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR  # heavy import, only when a scan arrives
        except ImportError as exc:  # pragma: no cover - installed with duban
            raise PlanError("文字识别组件未安装，无法读取扫描件 / the OCR engine is not installed") from exc
        _engine = RapidOCR()
    return _engine


def _boxes(image: Any) -> list[_Box]:
    result, _ = _ocr_engine()(image)
    boxes = []
    for points, text, confidence in result or []:
        if float(confidence) < MIN_CONFIDENCE or not str(text).strip():
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append(_Box(str(text), min(xs), max(xs), min(ys), max(ys)))
    return boxes


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes grouped into visual lines: a box joins the line whose centre it is within half a height of."""
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.middle):
        line = lines[-1] if lines else None
        if line and abs(box.middle - sum(b.middle for b in line) / len(line)) < box.height * 0.5:
            line.append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _paragraphs(lines: list[list[_Box]]) -> list[Para]:
    if not lines:
        return []
    left = min(line[0].x0 for line in lines)
    right = max(line[-1].x1 for line in lines)
    paras: list[Para] = []
    current = ""
    for i, line in enumerate(lines):
        text = "".join(box.text for box in line)
        size = max(b.height for b in line)
        indented = line[0].x0 > left + size * 1.2
        if current and indented:
            paras.append(Para.plain(current))
            current = ""
        current += text
        reaches_margin = line[-1].x1 >= right - size * 1.5
        if not reaches_margin or i + 1 == len(lines):
            paras.append(Para.plain(current))
            current = ""
    if current:
        paras.append(Para.plain(current))
    return paras


def _page_paras(image: Any) -> list[Para]:
    return _paragraphs(_lines(_boxes(image)))


def _finish(paras: list[Para]) -> ScannedSource:
    if not any(p.text.strip() for p in paras):
        raise PlanError(
            "扫描件上没有识别出文字（文字识别 OCR 未找到内容：空白页或图像过于模糊），请提供清晰的扫描件或文字版文件 / "
            "OCR recognised no text on the scan"
        )
    return ScannedSource(paras)


def read_image(data: bytes) -> ScannedSource:
    """A PNG or JPEG of a notice page."""
    try:
        import numpy as np
        from PIL import Image, UnidentifiedImageError

        with Image.open(BytesIO(data)) as picture:
            image = np.asarray(picture.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise PlanError("图片文件已损坏或格式不支持 / the image cannot be read") from exc
    return _finish(_page_paras(image))


def read_scanned_pdf(pdf: Any, limits: Limits) -> ScannedSource:
    """The pages of an open pdfplumber PDF that has no text layer, rendered and recognised."""
    import numpy as np

    if len(pdf.pages) > min(limits.max_pages, MAX_OCR_PAGES):
        raise PlanError(
            f"扫描件页数过多（{len(pdf.pages)} 页，文字识别上限 {MAX_OCR_PAGES} 页）/ too many scanned pages"
        )
    paras: list[Para] = []
    for page in pdf.pages:
        picture = page.to_image(resolution=PDF_RESOLUTION).original.convert("RGB")
        paras.extend(_page_paras(np.asarray(picture)))
    return _finish(paras)
