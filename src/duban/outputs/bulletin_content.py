"""What a 督查通报 says, apart from how it is laid out: the title, the opening, 总体情况, 主要成效, 存在问题
(red and yellow tasks with why), the late and missing units, the ranking and 下步工作要求.

Both the built-in GB/T 9704 layout (:mod:`duban.outputs.bulletin_docx`) and an office's own docxtpl template
(:mod:`duban.outputs.bulletin_template`) are filled from one :class:`BulletinContent`, so the two never say
different things."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from duban.ledger.figures import PlanFigures, chinese_date
from duban.ledger.models import Period, Plan
from duban.ledger.standing import LedgerRow
from duban.ledger.status import RankingRow
from duban.ledger.text import clean_text
from duban.outputs.ledger_xlsx import chinese_number

ARROWS = {"up": "↑", "down": "↓", "same": "→"}
ATTACH_AFTER = 15  # a longer ranking goes to an attachment
SCORE_FORMULA = (
    "计分办法：得分 = 100 × 各任务得分之和 ÷ 任务数（已完成、蓝色计1分，黄色计0.6分，红色不计分），"
    "逾期报送每项扣5分，未报送每项扣10分，最低0分。"
)
COLOUR_NAMES = {"done": "已完成", "blue": "蓝色", "yellow": "黄色", "red": "红色"}


@dataclass
class ProblemSection:
    """The red and yellow tasks of one section of the notice, each as a full sentence."""

    title: str
    tasks: list[str]


@dataclass
class RankingLine:
    rank: int
    unit: str
    score: str
    arrow: str


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


def bulletin_title(plan: Plan, period: Period) -> str:
    """《关于2021年县政府重要工作事项第二季度推进情况的通报》 from the notice's title: 印发, the year and
    the 责任分工 wording taken out so neither 印发 nor the year appears twice."""
    subject = clean_text(plan.title).strip()
    for prefix in ("关于印发", "关于"):
        subject = subject.removeprefix(prefix)
    subject = subject.removesuffix("的通知").removesuffix("通知")
    subject = re.sub(rf"^{plan.year}年(度)?", "", subject)
    subject = re.sub(r"(任务)?(责任)?(分工|分解)(方案|表|清单)?$", "", subject) or "重点工作"
    when = re.sub(rf"^{plan.year}年(度)?", "", clean_text(period.name).strip())
    return f"关于{plan.year}年{subject}{when}推进情况的通报"


def notice_name(plan: Plan) -> str:
    name = clean_text(plan.title).strip().removeprefix("关于印发").removeprefix("关于")
    return "《" + name.removesuffix("的通知") + "》"


def why(row: LedgerRow, on: date) -> str:
    """Why a task is red or yellow, in words."""
    reasons = []
    if row.status.missing:
        reasons.append(f"{len(row.status.missing)}期未报送进展")
    gap = row.status.schedule - row.status.progress
    if gap > 0.5:
        reasons.append(f"进度{row.status.progress:.0f}%，落后序时进度{gap:.0f}个百分点")
    if on > row.due and row.status.colour != "done":
        reasons.append(f"已超过完成时限（{row.due.month}月{row.due.day}日）仍未完成")
    return "，".join(reasons) or "进度滞后"


def problem_sections(rows: list[LedgerRow], on: date) -> list[ProblemSection]:
    """Red and yellow tasks grouped by section, numbered （一）（二）…, each in a full sentence."""
    grouped: dict[str, list[str]] = {}
    for row in rows:
        if row.status.colour not in ("red", "yellow"):
            continue
        colour = "红色（严重滞后）" if row.status.colour == "red" else "黄色（进度滞后）"
        unit = row.reporting_unit or "未确定汇总单位"
        text = f"第{row.no}项“{(row.name or row.text).rstrip('。；;')}”，{unit}牵头汇总，{colour}：{why(row, on)}。"
        if row.latest_problems:
            text += f"单位反映的问题：{row.latest_problems.rstrip('。')}。"
        grouped.setdefault(row.section or "其他", []).append(text)
    return [
        ProblemSection(f"（{chinese_number(n)}）{title}", items)
        for n, (title, items) in enumerate(grouped.items(), start=1)
    ]


def section_counts(rows: list[LedgerRow]) -> list[SectionCount]:
    counts: dict[str, SectionCount] = {}
    for row in rows:
        entry = counts.setdefault(row.section or "其他", SectionCount(row.section or "其他"))
        colour = row.status.colour
        setattr(entry, colour, getattr(entry, colour) + 1)
    return list(counts.values())


def _ranking_lines(ranking: list[RankingRow]) -> list[RankingLine]:
    return [RankingLine(r.rank, r.name, f"{r.score:.1f}", ARROWS[r.arrow]) for r in ranking]


def _late_units(figures: PlanFigures) -> str:
    absent = sorted({figures.unit_name(t.task.reporting_unit_id) for t in figures.missing_tasks()})
    late = sorted({figures.unit_name(t.task.reporting_unit_id) for t in figures.late_tasks()})
    return (f"未按时报送的单位：{'、'.join(absent)}。" if absent else "") + (
        f"逾期报送的单位：{'、'.join(late)}。" if late else ""
    )


def bulletin_content(
    figures: PlanFigures, rows: list[LedgerRow], issuer: str, dated: date
) -> BulletinContent:
    """Everything the bulletin on ``figures`` (one period taken on one day) says, dated ``dated``."""
    plan, period, on = figures.plan, figures.period, figures.basis.on
    if period is None:
        raise ValueError("a bulletin needs a period")
    rows = [r for r in rows if r.figure is None or r.figure.assessed]
    counts = Counter(r.status.colour for r in rows)
    ahead = [r for r in rows if r.status.colour == "done" or r.status.progress > r.status.schedule + 0.5]
    units = sorted({r.reporting_unit for r in ahead if r.reporting_unit})
    lines = _ranking_lines(figures.ranking)
    attached = len(lines) > ATTACH_AFTER
    next_due = figures.next_due
    deadline = (
        f"请各责任单位于{chinese_date(next_due)}前报送下期推进情况。"
        if next_due
        else "请各责任单位按要求报送全年完成情况。"
    )
    return BulletinContent(
        title=bulletin_title(plan, period),
        notice=notice_name(plan),
        issuer=issuer,
        period=period.name,
        date=chinese_date(dated),
        opening=(
            f"按照{notice_name(plan)}要求，{issuer}对{len(rows)}项任务{period.name}"
            f"（{period.due.month}月{period.due.day}日前报送）推进情况进行了调度，现将有关情况通报如下。"
        ),
        overview=(
            f"截至{chinese_date(on)}，{len(rows)}项任务中已完成{counts['done']}项，按序时推进（蓝色）"
            f"{counts['blue']}项，进度滞后（黄色）{counts['yellow']}项，严重滞后（红色）{counts['red']}项。"
            f"较上期：好转{sum(r.status.arrow == 'up' for r in rows)}项（↑），"
            f"退步{sum(r.status.arrow == 'down' for r in rows)}项（↓）。"
        ),
        achievements=f"已完成或快于序时进度的任务{len(ahead)}项"
        + (f"，{'、'.join(units)}等单位推进有力。" if units else "。"),
        problems=problem_sections(rows, on),
        no_problems="本期所有任务均按序时进度推进，未发现滞后任务。",
        late_units=_late_units(figures),
        score_formula=SCORE_FORMULA,
        ranking=lines[:ATTACH_AFTER],
        ranking_note=f"前{ATTACH_AFTER}名见下表，全部{len(lines)}个单位的得分见附件。" if attached else "",
        attachment=lines if attached else [],
        next_deadline=chinese_date(next_due) if next_due else "",
        requirements=(
            "各责任单位要对照任务分工，逐项查摆问题，明确整改措施和时限；对进度滞后的任务，要加大推进力度，"
            "确保按期完成。" + deadline
        ),
        sections=section_counts(rows),
    )
