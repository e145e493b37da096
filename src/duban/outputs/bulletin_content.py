"""What a 督查通报 says, apart from how it is laid out: the title, the opening with its 口径, 总体情况, 主要成效,
存在问题 (red tasks with why, yellow ones counted, by section; the late and missing units), the ranking in
brief, 下步工作要求, and the 附件 (every red and yellow task with why and the unit's own 存在问题; the whole
ranking).

Both the built-in GB/T 9704 layout (:mod:`duban.outputs.bulletin_docx`) and an office's own docxtpl template
(:mod:`duban.outputs.bulletin_template`) are filled from one :class:`BulletinContent`, so the two never say
different things. Every figure comes from one :class:`~duban.ledger.views.figures.PlanFigures` (one period taken on
one day), the same the pages and the workbook show; 不考核 tasks are left out of every count and list."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, pairwise

from duban.ledger.rules.status import RankingRow
from duban.ledger.rules.text import clean_text
from duban.ledger.store.models import Period, Plan
from duban.ledger.views.figures import PlanFigures, TaskFigure, chinese_date
from duban.ledger.views.ledger_rows import LedgerRow
from duban.ledger.views.notices import RedDocument
from duban.outputs.ledger_xlsx import chinese_number

ARROWS = {"up": "↑", "down": "↓", "same": "→"}
SCORE_FORMULA = (
    "计分办法：得分 = 100 × 各任务得分之和 ÷ 任务数（已完成、蓝色计1分，黄色计0.6分，红色不计分），"
    "逾期报送每项扣5分，未报送每项扣10分，最低0分。"
)
COLOUR_NAMES = {"done": "已完成", "blue": "蓝色", "yellow": "黄色", "red": "红色"}
TOP_UNITS = 5  # 主要成效 names the units ranked 1st to 5th
MOST_NAMED = 12  # …unless more tie there: then those ranked 1st only
COMPLETED_NAMED = 5  # completed tasks named in 主要成效
LABEL_CHARS = 18  # a task quoted in the body is cut to about this many characters (in full in 附件1)
TITLE_LINE = 20.0  # characters of 2号 (22 pt) on a 156 mm line
MOST_PIECES = 12  # a title in more pieces is broken greedily


@dataclass
class ProblemSection:
    """One section of the notice in 存在问题: its red and yellow tasks counted, its red tasks with why."""

    title: str
    tasks: list[str]
    summary: str = ""


@dataclass
class RankingLine:
    rank: int
    unit: str
    score: str
    arrow: str
    tasks: int = 0
    late: int = 0
    missing: int = 0


@dataclass
class TaskLine:
    """A red or yellow task as 附件1 lists it: the whole task, why, and the unit's own 存在问题."""

    no: str
    task: str
    unit: str
    colour: str
    why: str
    problems: str


@dataclass
class Attachment:
    """附件N: its number and name, as the 附件 line and its own page print them."""

    number: int
    title: str
    kind: str  # "tasks" (附件 of red and yellow tasks) or "ranking"

    @property
    def label(self) -> str:
        return f"附件{self.number}"


@dataclass
class SectionCount:
    """Tasks of one section by colour: what the chart draws and a template may tabulate."""

    section: str
    done: int = 0
    blue: int = 0
    yellow: int = 0
    red: int = 0


@dataclass
class BulletinContent:
    title: str
    notice: str
    issuer: str
    period: str
    date: str
    opening: str
    overview: str
    achievements: str
    problems: list[ProblemSection]
    no_problems: str
    late_units: str
    score_formula: str
    ranking: list[RankingLine]
    ranking_note: str
    attachment: list[RankingLine]
    next_deadline: str
    requirements: str
    sections: list[SectionCount] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    basis: str = ""
    compared: str = ""
    excluded: str = ""
    task_list: list[TaskLine] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    attachments_line: str = ""
    problems_note: str = ""


def _subject(plan: Plan) -> str:
    subject = clean_text(plan.title).strip()
    for prefix in ("关于印发", "关于"):
        subject = subject.removeprefix(prefix)
    subject = subject.removesuffix("的通知").removesuffix("通知")
    subject = re.sub(rf"^{plan.year}年(度)?", "", subject)
    return re.sub(r"(任务)?(责任)?(分工|分解)(方案|表|清单)?$", "", subject) or "重点工作"


def _when(plan: Plan, period: Period) -> str:
    return re.sub(rf"^{plan.year}年(度)?", "", clean_text(period.name).strip())


def bulletin_title(plan: Plan, period: Period) -> str:
    """《关于2021年县政府重要工作事项第二季度推进情况的通报》 from the notice's title: 印发, the year and
    the 责任分工 wording taken out so neither 印发 nor the year appears twice."""
    return "".join(title_parts(plan, period))


def title_parts(plan: Plan, period: Period) -> list[str]:
    """The title in the pieces a line may break between: 关于＋year＋subject, the period, 推进情况的通报. A
    subject too long for one line is cut further after its 、，和 or 的, never inside a word of the period."""
    head = f"关于{plan.year}年{_subject(plan)}"
    pieces = [head]
    if text_width(head) > TITLE_LINE:
        pieces = [p for p in re.split(r"(?<=[、，,和的与及])", head) if p]
    return [*pieces, _when(plan, period), "推进情况的通报"]


def text_width(text: str) -> float:
    """Width in Chinese characters: Latin letters and digits take half a character."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def title_lines(parts: list[str], capacity: float = TITLE_LINE) -> list[str]:
    """The title's lines, broken only between ``parts``: the fewest lines that fit, the most even of them
    (GB/T 9704 asks for lines of balanced length, words kept whole). A part wider than a line on its own is
    cut where it must."""
    fitted: list[str] = []
    for part in parts:
        while text_width(part) > capacity:
            cut = _cut_at(part, capacity)
            fitted.append(part[:cut])
            part = part[cut:]
        fitted.append(part)
    if len(fitted) > MOST_PIECES:  # too many ways to try: fill each line in turn
        return _greedy(fitted, capacity)
    best: list[str] | None = None
    for count in range(len(fitted)):
        for breaks in combinations(range(1, len(fitted)), count):
            edges = (0, *breaks, len(fitted))
            lines = ["".join(fitted[a:b]) for a, b in pairwise(edges)]
            if all(text_width(line) <= capacity for line in lines):
                widths = [text_width(line) for line in lines]
                if best is None or max(widths) - min(widths) < _spread(best):
                    best = lines
        if best is not None:
            return best
    return fitted


def _greedy(pieces: list[str], capacity: float) -> list[str]:
    lines = [""]
    for piece in pieces:
        if lines[-1] and text_width(lines[-1] + piece) > capacity:
            lines.append("")
        lines[-1] += piece
    return lines


def _spread(lines: list[str]) -> float:
    widths = [text_width(line) for line in lines]
    return max(widths) - min(widths)


def _cut_at(text: str, capacity: float) -> int:
    width = 0.0
    for index, char in enumerate(text):
        width += text_width(char)
        if width > capacity:
            return max(index, 1)
    return len(text)


def notice_name(plan: Plan) -> str:
    name = clean_text(plan.title).strip().removeprefix("关于印发").removeprefix("关于")
    return "《" + name.removesuffix("的通知") + "》"


def quoted_inside(text: str) -> str:
    """Quotes inside quotes become single: “…” within “…” is ‘…’ (straight quotes too)."""
    text = re.sub(r'"([^"]*)"', r"‘\1’", text)
    return text.replace("“", "‘").replace("”", "’")


def quote(text: str) -> str:
    """``“text”`` with the quotes it holds turned into ‘’."""
    return f"“{quoted_inside(text)}”"


def task_label(row: LedgerRow, limit: int = LABEL_CHARS) -> str:
    """The task as the body names it: its short name, else its text cut after a clause near ``limit``."""
    text = clean_text(row.name or row.text).strip().rstrip("。；;，,")
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "，；、")
    return text[: cut if cut >= limit // 2 else limit] + "…"


def why(row: LedgerRow, on: date) -> str:
    """Why a task is red or yellow, in words. A task never reported says 未报送, never 进度0%."""
    figure = row.figure
    reasons = []
    if figure is not None and figure.missing:
        reasons.append("本期未报送")
    elif row.status.missing:
        reasons.append(f"{len(row.status.missing)}期未报送")
    if row.status.reported:
        gap = row.status.schedule - row.status.progress
        if gap > 0.5:
            reasons.append(f"进度{row.status.progress:.0f}%，落后序时进度{gap:.0f}个百分点")
    elif not reasons:
        reasons.append("尚无通过审核的进展报告")
    if on > row.due and row.status.colour != "done":
        reasons.append(f"超过完成时限（{row.due.month}月{row.due.day}日）仍未完成")
    return "，".join(reasons) or "进度滞后"


def _unit(row: LedgerRow) -> str:
    return row.reporting_unit or "未确定汇总单位"


def problem_sections(rows: list[LedgerRow], on: date) -> list[ProblemSection]:
    """Per section of the notice (（一）（二）…): its red and yellow tasks counted, each red one named with
    why; the yellow ones in full in 附件1 only, so the body stays a few pages."""
    grouped: dict[str, list[LedgerRow]] = {}
    for row in rows:
        if row.status.colour in ("red", "yellow"):
            grouped.setdefault(row.section or "其他", []).append(row)
    found = []
    for n, (title, items) in enumerate(grouped.items(), start=1):
        red = [r for r in items if r.status.colour == "red"]
        yellow = len(items) - len(red)
        counted = [
            f"红色（严重滞后）{len(red)}项" if red else "",
            f"黄色（进度滞后）{yellow}项" if yellow else "",
        ]
        summary = f"本部分有{'、'.join(c for c in counted if c)}任务"
        tasks = _red_tasks(red, on)
        summary += "：" + "；".join(tasks) + "。" if tasks else "。"
        found.append(ProblemSection(f"（{chinese_number(n)}）{title}", tasks, summary))
    return found


def _red_tasks(red: list[LedgerRow], on: date) -> list[str]:
    """``第9项“…”（单位）、第12项“…”（单位）：本期未报送``: red tasks sharing a reason are named together."""
    by_reason: dict[str, list[str]] = {}
    for row in red:
        by_reason.setdefault(why(row, on), []).append(f"第{row.no}项{quote(task_label(row))}（{_unit(row)}）")
    return [f"{'、'.join(named)}：{reason}" for reason, named in by_reason.items()]


def section_counts(rows: list[LedgerRow]) -> list[SectionCount]:
    counts: dict[str, SectionCount] = {}
    for row in rows:
        entry = counts.setdefault(row.section or "其他", SectionCount(row.section or "其他"))
        colour = row.status.colour
        setattr(entry, colour, getattr(entry, colour) + 1)
    return list(counts.values())


def _ranking_lines(ranking: list[RankingRow]) -> list[RankingLine]:
    return [
        RankingLine(r.rank, r.name, f"{r.score:.1f}", ARROWS[r.arrow], r.tasks, r.late, r.missing)
        for r in sorted(ranking, key=lambda r: (r.rank, r.name))
    ]


def leading_units(ranking: list[RankingRow]) -> list[RankingRow]:
    """The units 主要成效 names: ranked 1st to 5th, or only those ranked 1st when more than a dozen tie."""
    ordered = sorted(ranking, key=lambda r: (r.rank, r.name))
    top = [r for r in ordered if r.rank <= TOP_UNITS]
    return top if len(top) <= MOST_NAMED else [r for r in ordered if r.rank == ordered[0].rank]


def _units_of(figures: PlanFigures, tasks: list[TaskFigure]) -> str:
    """``县财政局（2项）、县交通运输局`` for the tasks' reporting units, by name."""
    counted = Counter(figures.unit_name(t.task.reporting_unit_id) for t in tasks)
    return "、".join(f"{name}（{n}项）" if n > 1 else name for name, n in sorted(counted.items()) if name)


def _late_units(figures: PlanFigures) -> str:
    """The reporting units missing or late for the period (only they can be: 协办 units never are)."""
    absent, late = figures.missing_tasks(), figures.late_tasks()
    text = ""
    if absent:
        text += f"本期未报送进展的任务{len(absent)}项，涉及单位：{_units_of(figures, absent)}。"
    if late:
        text += f"逾期报送的任务{len(late)}项，涉及单位：{_units_of(figures, late)}。"
    overdue = figures.overdue_rectifications()
    if overdue:
        counted = Counter(figures.unit_name(r.unit_id) for r in overdue)
        units = "、".join(
            f"{name}（{n}项）" if n > 1 else name for name, n in sorted(counted.items()) if name
        )
        text += f"督查发现的问题逾期未完成整改{len(overdue)}项，涉及单位：{units}。"
    return text


def red_documents_sentence(documents: list[RedDocument], excused: set[int]) -> str:
    """The units that got a 红色督办单 for the period (issue 16: still nothing 5 working days after a 催报, or
    a task red), by name with how many, leaving out a task whose case a granted 申诉 set aside."""
    kept = [d for d in documents if d.task_id not in excused]
    if not kept:
        return ""
    counted = Counter(d.unit_name for d in kept)
    units = "、".join(f"{name}（{n}份）" if n > 1 else name for name, n in sorted(counted.items()) if name)
    return f"本期被下发红色督办单{len(kept)}份，涉及单位：{units}。"


def _achievements(rows: list[LedgerRow], figures: PlanFigures) -> str:
    done = [r for r in rows if r.status.colour == "done"]
    ahead = [r for r in rows if r.status.colour == "blue" and r.status.progress > r.status.schedule + 0.5]
    text = f"已完成任务{len(done)}项"
    if done:
        named = "、".join(f"第{r.no}项{quote(task_label(r, 20))}" for r in done[:COMPLETED_NAMED])
        text += f"（{named}{'等' if len(done) > COMPLETED_NAMED else ''}）"
    text += f"，快于序时进度推进的任务{len(ahead)}项。"
    leaders = leading_units(figures.ranking)
    if leaders:
        names = "、".join(r.name for r in leaders)
        first = leaders[0]
        text += f"{names}{len(leaders)}个单位综合得分位居前列（第1名得分{first.score:.1f}分），任务推进有力。"
    return text


def _attachments(
    figures: PlanFigures, task_list: list[TaskLine], ranking: list[RankingLine]
) -> list[Attachment]:
    period = figures.basis.period_name
    found: list[tuple[str, str]] = []
    if task_list:
        found.append((f"{period}红色、黄色任务清单", "tasks"))
    if ranking:
        found.append((f"{period}各单位得分排名", "ranking"))
    return [Attachment(n, title, kind) for n, (title, kind) in enumerate(found, start=1)]


def _task_list(rows: list[LedgerRow], on: date) -> list[TaskLine]:
    order = {"red": 0, "yellow": 1}
    listed = sorted(
        (r for r in rows if r.status.colour in order), key=lambda r: order[r.status.colour]
    )  # red first, each in the notice's order
    return [
        TaskLine(
            r.no,
            clean_text(r.name or r.text).strip(),
            _unit(r),
            "红色" if r.status.colour == "red" else "黄色",
            why(r, on),
            clean_text(r.latest_problems).strip(),
        )
        for r in listed
    ]


def _see(attachments: list[Attachment], kind: str) -> str:
    return next((a.label for a in attachments if a.kind == kind), "")


def bulletin_content(
    figures: PlanFigures,
    rows: list[LedgerRow],
    issuer: str,
    dated: date,
    red_documents: list[RedDocument] | None = None,
) -> BulletinContent:
    """Everything the bulletin on ``figures`` (one period taken on one day) says, dated ``dated``;
    ``red_documents`` are the period's 红色督办单 (``notices.red_documents_of_period``), named in 存在问题."""
    plan, period, on = figures.plan, figures.period, figures.basis.on
    if period is None:
        raise ValueError("a bulletin needs a period")
    excused = sum(1 for r in rows if r.figure is not None and r.figure.excused)
    excused_tasks = {r.figure.task.id for r in rows if r.figure is not None and r.figure.excused}
    excluded = sum(1 for r in rows if r.figure is not None and not r.figure.assessed) - excused
    rows = [r for r in rows if r.figure is None or r.figure.assessed]
    counts = Counter(r.status.colour for r in rows)
    lines = _ranking_lines(figures.ranking)
    task_list = _task_list(rows, on)
    attachments = _attachments(figures, task_list, lines)
    compared = figures.previous.label if figures.previous else ""
    next_due = figures.next_due
    deadline = (
        f"请各责任单位于{chinese_date(next_due)}前报送下期推进情况。"
        if next_due
        else "请各责任单位按要求报送全年完成情况。"
    )
    see_tasks, see_ranking = _see(attachments, "tasks"), _see(attachments, "ranking")
    arrows = Counter(r.status.arrow for r in rows)
    return BulletinContent(
        title=bulletin_title(plan, period),
        title_lines=title_lines(title_parts(plan, period)),
        notice=notice_name(plan),
        issuer=issuer,
        period=period.name,
        date=chinese_date(dated),
        basis=figures.basis.label,
        compared=compared,
        opening=(
            f"按照{notice_name(plan)}要求，{issuer}对{len(rows)}项任务{period.name}"
            f"（{period.due.month}月{period.due.day}日前报送）推进情况进行了调度。"
            f"本通报数据口径为{figures.basis.label}"
            + (f"，“较上期”指与{compared}比较" if compared else "")
            + "。现将有关情况通报如下。"
        ),
        overview=(
            f"截至{chinese_date(on)}，纳入考核的{len(rows)}项任务中，已完成{counts['done']}项，按序时推进（蓝色）"
            f"{counts['blue']}项，进度滞后（黄色）{counts['yellow']}项，严重滞后（红色）{counts['red']}项。"
            + (
                f"较上期：好转{arrows['up']}项（↑），退步{arrows['down']}项（↓），持平{arrows['same']}项（→）。"
                if compared
                else ""
            )
        ),
        excluded=(
            f"另有{excluded}项任务经{issuer}确定不考核，保留在台账中，未计入以上统计和排名。"
            if excluded
            else ""
        )
        + (
            f"另有{excused}项任务经申诉同意本期免责（已申诉免责），未计入以上统计、排名和名单。"
            if excused
            else ""
        ),
        achievements=_achievements(rows, figures),
        problems=problem_sections(rows, on),
        problems_note=(f"全部红色、黄色任务的滞后原因及单位反映的问题见{see_tasks}。" if see_tasks else ""),
        no_problems="本期所有任务均按序时进度推进，未发现滞后任务。",
        late_units=_late_units(figures) + red_documents_sentence(red_documents or [], excused_tasks),
        score_formula=SCORE_FORMULA,
        ranking=lines,
        ranking_note=_ranking_note(figures.ranking, see_ranking),
        attachment=lines,
        next_deadline=chinese_date(next_due) if next_due else "",
        requirements=(
            "各责任单位要对照任务分工，逐项查摆问题，明确整改措施和时限；对进度滞后的任务，要加大推进力度，"
            "确保按期完成。" + deadline
        ),
        sections=section_counts(rows),
        task_list=task_list,
        attachments=attachments,
        attachments_line=attachments_line(attachments),
    )


def _ranking_note(ranking: list[RankingRow], see: str) -> str:
    """The ranking in brief: how many units, the first and last, where the whole table is."""
    if not ranking:
        return "本期没有参与排名的单位。"
    ordered = sorted(ranking, key=lambda r: (r.rank, r.name))
    low = [r for r in ordered if r.rank == ordered[-1].rank]
    text = f"本期共{len(ordered)}个单位参与排名，得分{ordered[0].score:.1f}分至{ordered[-1].score:.1f}分。"
    if ordered[-1].rank != ordered[0].rank:
        text += f"得分末位的单位：{'、'.join(r.name for r in low)}（{ordered[-1].score:.1f}分）。"
    return text + (f"各单位得分和名次见{see}。" if see else "")


def attachments_line(attachments: list[Attachment]) -> str:
    """``附件：1.…`` (one attachment: ``附件：名称``), GB/T 9704 §7.3.5: no punctuation after a name."""
    if not attachments:
        return ""
    if len(attachments) == 1:
        return f"附件：{attachments[0].title}"
    return "附件：" + "\n".join(f"{a.number}.{a.title}" for a in attachments)
