"""Time to export a 3,000-task ledger workbook and to build the bulletin of a 1,000-task plan.

Goals on the 2-core machine: ledger < 2 s, bulletin < 1 s. The rows are made in memory (what
``ledger_rows.ledger_rows`` returns), so the figures are the documents' own cost, not the database's.
Run: ``.venv/bin/python bench/outputs_bench.py``.
"""

from __future__ import annotations

import time
from datetime import date

from duban.ledger.rules.status import RankingRow, Rules, TaskStatus
from duban.ledger.store.models import Period, Plan, Task
from duban.ledger.views.figures import Basis, PlanFigures, Previous, TaskFigure
from duban.ledger.views.ledger_rows import LedgerRow
from duban.outputs import chart
from duban.outputs.bulletin_content import bulletin_content
from duban.outputs.bulletin_docx import bulletin
from duban.outputs.bulletin_template import render_template, starter_template
from duban.outputs.ledger_xlsx import ledger_workbook
from machine import print_reference

COLOURS = ("blue", "yellow", "red", "done")


def rows(count: int) -> list[LedgerRow]:
    return [
        LedgerRow(
            no=str(i + 1),
            section=f"第{i // 100 + 1}部分重点工作",
            kind="task",
            name=None,
            text="建设新材料产业园，新建标准化厂房10万平方米，推进项目落地投产并形成规模效应。" * (1 + i % 3),
            leaders=["张三"],
            lead_units=["县发展和改革局"],
            other_units=["县财政局", "县自然资源局"],
            reporting_unit=f"单位{i % 40}",
            due=date(2021, 12, 31),
            status=TaskStatus(i, COLOURS[i % 4], "same", 40.0, 50.0, (2,) if i % 7 == 0 else (), i % 4 == 3),
            latest_text="已完成厂房主体建设。",
            latest_problems="资金到位慢。" if i % 5 == 0 else "",
            latest_next_steps="加快推进。",
            task_id=i + 1,
            reporting_unit_id=i % 40 + 1,
            latest_progress=40.0,
        )
        for i in range(count)
    ]


def ledger_figures(plan: Plan, rows: list[LedgerRow], period: Period, on: date) -> PlanFigures:
    """The figures the workbook is made from, in memory: each row gets its TaskFigure (one in 11 late,
    one in 50 不考核) so the 状态 words and the 汇总 counts cost what they cost in a real export."""
    tasks = []
    for row in rows:
        task = Task(
            id=row.task_id, no=row.no, section_key=row.section, reporting_unit_id=row.reporting_unit_id
        )
        task.assessed = row.task_id % 50 != 0
        late = row.task_id % 11 == 0
        row.figure = TaskFigure(
            task,
            row.status,
            "理由",
            bool(row.status.missing),
            late,
            date(2021, 7, 10) if late else None,
            task.assessed,
            None,
        )
        tasks.append(row.figure)
    basis = Basis(period.id, "2021年第二季度", period.due, on, on, False)
    ranking = [RankingRow(u, f"单位{u}", 80.0 - u, u + 1, "same", 75, 1, u % 3) for u in range(40)]
    return PlanFigures(
        plan,
        [period],
        basis,
        tasks,
        ranking,
        None,
        {u + 1: f"单位{u}" for u in range(40)},
        {r.section: r.section for r in rows},
        Rules(),
    )


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def bulletin_figures(count: int, units: int = 60) -> tuple[PlanFigures, list[LedgerRow]]:
    """The figures of a ``count``-task plan's 第三季度 (in memory, as ``figures.of_period`` gives them) and its
    ledger rows: a quarter of the tasks red or yellow, some missing or late, ``units`` units ranked."""
    plan = Plan(
        id=1, title="关于印发2026年金乡县政府重要工作事项责任分工的通知", year=2026, issuer="金乡县人民政府"
    )
    periods = [
        Period(id=p, plan_id=1, name=f"2026年第{n}季度", due=due)
        for p, n, due in (
            (2, "二", date(2026, 6, 30)),
            (3, "三", date(2026, 9, 30)),
            (4, "四", date(2026, 12, 31)),
        )
    ]
    on = date(2026, 12, 6)
    all_rows = rows(count)
    tasks = []
    for i, row in enumerate(all_rows):
        row.due = date(2026, 12, 31)
        task = Task(
            id=i + 1,
            plan_id=1,
            no=row.no,
            text=row.text,
            reporting_unit_id=i % units + 1,
            assessed=i % 50 != 7,
        )
        row.figure = TaskFigure(task, row.status, "", i % 7 == 0, i % 11 == 0, None, task.assessed, None)
        tasks.append(row.figure)
    ranking = [
        RankingRow(u, f"单位{u}", 100.0 - u, u, "same", count // units, 1, u % 3) for u in range(1, units + 1)
    ]
    basis = Basis(3, "2026年第三季度", date(2026, 9, 30), on, on, False)
    previous = Previous(2, "2026年第二季度", "final", "2026年第二季度 · 截至2026年9月29日", {}, {})
    names = {u: f"单位{u}" for u in range(1, units + 1)}
    return PlanFigures(plan, periods, basis, tasks, ranking, previous, names, {}, Rules()), all_rows


def bulletin_times() -> None:
    """The bulletin of a 1,000-task plan, content and document together, with the chart (goal < 1 s)."""
    figures, ledger_rows = bulletin_figures(1000)
    dated = date(2026, 12, 6)
    content = bulletin_content(figures, ledger_rows, "县政府督查室", dated)
    chart.colour_chart(content.sections)  # matplotlib's import and font cache, once per process
    whole = best_of(
        3, lambda: bulletin(bulletin_content(figures, ledger_rows, "县政府督查室", dated), on=dated)
    )
    print(f"bulletin, 1000 tasks, with the chart: {whole:.2f} s (goal < 1 s)")
    template = starter_template()
    own = best_of(3, lambda: render_template(template, content))
    print(f"bulletin filled into the starter template: {own:.2f} s (goal < 1 s)")


def main() -> None:
    print_reference()
    bulletin_times()
    plan = Plan(title="关于印发2021年县政府重要工作事项责任分工的通知", year=2021, issuer="示例县人民政府")
    period = Period(id=2, plan_id=1, name="第二季度", due=date(2021, 6, 30))
    big = rows(3000)
    figures = ledger_figures(plan, big, period, date(2021, 7, 15))
    ledger = best_of(3, lambda: ledger_workbook(figures, big))
    print(f"ledger workbook, 3000 tasks: {ledger:.2f} s (goal < 2 s)")


if __name__ == "__main__":
    main()
