"""Document facts: title, 文号, issuer, signing date, plan year, report deadlines, supervising office.

They come from the notice's front matter (the lines before its first heading or item), the signature block
(above or below the body), a website's metadata (``发布机构``, ``成文日期``, ``文号``) and the sentences
outside the tasks that say when and to whom progress is reported.
"""

from __future__ import annotations

import re

from duban.plan.model import DocumentInfo
from duban.plan.normalise import squeeze
from duban.plan.quantities import cn_to_int, iso_date, parse_full_date
from duban.plan.skeleton import Skeleton
from duban.plan.structure import ANNEX, METADATA

DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fa5]{1,12}[〔\[［【（(]\s*\d{4}\s*[〕\]］】）)]\s*\d{1,4}\s*号")
TITLE_END_RE = re.compile(r"(?:通知|意见|方案|决定|函|通报|计划|安排|分工|要点)$")
ISSUER_RE = re.compile(
    r"^(.{2,30}?(?:人民政府(?:办公室|办公厅)?|办公室|委员会(?:办公室)?|办公厅|管委会|管理委员会))"
)
PLAN_TITLE_RE = re.compile(r"(?:责任分工|任务分工|任务分解|分解落实|责任目标|重点工作|工作要点|重要工作事项)")
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
SUPERVISOR_RE = re.compile(
    r"(?:[县区市]委)?(?:[县区市]政府|[县区市])?(?:办公室)?(?:政务|行政|绩效|效能|综合)?"
    r"(?:督查室|督考办|督查办|督办室|督查考核办公室|督查考核办|督考办公室|目标办|考核办|效能办|督查局|督查科|督导办)"
)
REPORT_VERB_RE = re.compile(r"报送|上报|报告|报至|报县|报区|报市|报督|反馈|报给|报")
MONTH_DAY_RE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")


BREADCRUMB_RE = re.compile(r"[>＞›»]|^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置)")


def _is_breadcrumb(text: str) -> bool:
    """A web page's navigation trail (``首页 > 政务公开 > …``) is never the title, even when it repeats it."""
    return bool(BREADCRUMB_RE.search(text))


def _not_title(compact: str) -> bool:
    """A website's label line (``名 称：…``), the notice's list of annexes (``附件：1.…``) or a numbered entry
    of that list: never the title, even when it names a plan."""
    return bool(METADATA.match(compact) or ANNEX.match(compact) or re.match(r"^\d{1,2}\s*[.、]", compact))


def _compact(text: str) -> str:
    """A front line as a title is read from: squeezed; a pasted table row (``| 名称 | 关于…的通知 |``) without
    its pipes and its label cells."""
    compact = squeeze(text)
    if "|" not in compact and "｜" not in compact:
        return compact
    cells = [c.strip() for c in re.split(r"[|｜]", compact) if c.strip()]
    return "".join(c for c in cells if not METADATA.match(c.rstrip("：:") + "："))


def _title_lines(front: list[str]) -> tuple[str | None, str | None]:
    """The title (from 关于 on) and what was printed before 关于 (the issuer), from the front matter."""
    for i, text in enumerate(front[:12]):
        compact = _compact(text)
        if (
            _not_title(compact)
            or "关于" not in compact
            or len(compact) > 80
            or compact.endswith(("：", ":"))
            or _is_breadcrumb(compact)
        ):
            continue
        title = compact
        j = i
        while not TITLE_END_RE.search(title) and j + 1 < len(front) and j - i < 3:
            j += 1
            title += _compact(front[j])
        before, _, after = title.partition("关于")
        above = _compact(front[i - 1]) if i > 0 else ""
        issuer = before or ("" if _not_title(above) else above)
        return "关于" + after, issuer or None
    return None, None


def _fallback_title(front: list[str]) -> str | None:
    for text in front[:15]:
        compact = _compact(text)
        if (
            not _not_title(compact)
            and PLAN_TITLE_RE.search(compact)
            and not _is_breadcrumb(compact)
            and len(compact) <= 60
            and not compact.endswith(("。", "：", ":", "，"))
        ):
            return compact
    return None


def _issuer(raw: str | None, signature: list[str], metadata: dict[str, str]) -> str | None:
    for candidate in [raw or "", *signature, metadata.get("发布机构", ""), metadata.get("发文机关", "")]:
        match = ISSUER_RE.match(squeeze(candidate))
        if match:
            return match.group(1)
    return None


def _issued_on(signature: list[str], metadata: dict[str, str]) -> str | None:
    for text in signature:
        date = parse_full_date(text)
        if date:
            return date
    return parse_full_date(metadata.get("成文日期", "")) or _iso_metadata_date(metadata.get("成文日期", ""))


def _iso_metadata_date(text: str) -> str | None:
    match = re.match(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", text)
    return iso_date(*(int(g) for g in match.groups())) if match else None


def _year(title: str | None, front: list[str], issued_on: str | None) -> int | None:
    for text in [title or "", *[f for f in front[:15] if PLAN_TITLE_RE.search(f)]]:
        match = YEAR_RE.search(squeeze(text))
        if match:
            return int(match.group(1))
    return int(issued_on[:4]) if issued_on else None


def _sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in re.split(r"(?<=[。！；])", squeeze(p)) if s]


def _deadlines(paragraphs: list[str], year: int | None) -> list[str]:
    """Dates in sentences that ask for progress to be reported (``分别于6月30日和12月30日前…报县政府督查室``)."""
    found: set[str] = set()
    for sentence in _sentences(paragraphs):
        if not REPORT_VERB_RE.search(sentence) or not re.search(
            r"进展|进度|完成情况|落实情况|情况", sentence
        ):
            continue
        for match in MONTH_DAY_RE.finditer(sentence):
            y = int(match.group(1)) if match.group(1) else year
            date = iso_date(y, int(match.group(2)), int(match.group(3)))
            if date:
                found.add(date)
        found.update(_recurring(sentence, year))
    return sorted(found)


_EVERY_QUARTER_END = re.compile(r"每(?:个)?季度(?:末月|最后一个月|末)(\d{1,2})日")
_EVERY_QUARTER_NEXT = re.compile(r"每(?:个)?季度(?:结束后|后)?(?:次月|首月|第一个月)(\d{1,2})日")
_EVERY_MONTH = re.compile(r"每(?:个)?月(\d{1,2})日")


def _recurring(sentence: str, year: int | None) -> list[str]:
    """``每季度末月25日前`` → the 25th of March, June, September, December; ``每季度次月5日`` → the 5th of April,
    July, October and January of the next year; ``每月5日`` → the 5th of every month."""
    if year is None:
        return []
    dates: list[str | None] = []
    if match := _EVERY_QUARTER_END.search(sentence):
        dates += [iso_date(year, month, int(match.group(1))) for month in (3, 6, 9, 12)]
    if match := _EVERY_QUARTER_NEXT.search(sentence):
        day = int(match.group(1))
        dates += [iso_date(year, month, day) for month in (4, 7, 10)] + [iso_date(year + 1, 1, day)]
    if match := _EVERY_MONTH.search(sentence):
        dates += [iso_date(year, month, int(match.group(1))) for month in range(1, 13)]
    return [d for d in dates if d]


def _supervisor(paragraphs: list[str]) -> str | None:
    sentences = _sentences(paragraphs)
    ranked = sorted(sentences, key=lambda s: 0 if REPORT_VERB_RE.search(s) else 1)
    for sentence in ranked:
        match = SUPERVISOR_RE.search(sentence)
        if match:
            return match.group(0)
    return None


def document_info(sk: Skeleton) -> DocumentInfo:
    front = sk.front
    meta = sk.metadata
    head = " ".join(squeeze(t) for t in front[:6])
    number = DOC_NUMBER_RE.search(head) or DOC_NUMBER_RE.search(
        meta.get("文号", "") + meta.get("发文字号", "")
    )
    title, printed_issuer = _title_lines(front)
    labelled = meta.get("标题") or meta.get("名称")
    if title is None and labelled:
        title, printed_issuer = _title_lines([labelled])
    title = title or _fallback_title(front)
    issued_on = _issued_on(sk.signature, meta)
    year = _year(title, front, issued_on)
    non_task = sk.paragraphs
    return DocumentInfo(
        title=title,
        doc_number=squeeze(number.group(0)) if number else None,
        issuer=_issuer(printed_issuer, sk.signature, meta),
        issued_on=issued_on,
        year=year,
        report_deadlines=_deadlines(non_task, year),
        supervisor=_supervisor(non_task),
    )


__all__ = ["cn_to_int", "document_info"]
