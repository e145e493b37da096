"""Time to export a 3,000-task ledger workbook and to build the bulletin of a 150-task plan.

Goals on the 2-core machine: ledger < 2 s, bulletin < 1 s. The rows are made in memory (what
``standing.ledger_rows`` returns), so the figures are the documents' own cost, not the database's.
Run: ``.venv/bin/python bench/outputs_bench.py``.
"""

from __future__ import annotations

import time
from datetime import date

from duban.ledger.models import Period, Plan
from duban.ledger.standing import LedgerRow
from duban.ledger.status import RankingRow, TaskStatus
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


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print_reference()
    plan = Plan(title="关于印发2021年县政府重要工作事项责任分工的通知", year=2021, issuer="示例县人民政府")
    period = Period(id=2, plan_id=1, name="第二季度", due=date(2021, 6, 30))
    on = date(2021, 7, 15)
    big = rows(3000)
    ledger = best_of(3, lambda: ledger_workbook(plan, big, on))
    print(f"ledger workbook, 3000 tasks: {ledger:.2f} s (goal < 2 s)")
    small = rows(150)
    ranking = [RankingRow(u, f"单位{u}", 80.0 - u, u + 1, "same", 4, 0, u % 3) for u in range(40)]
    content = bulletin_content(plan, period, small, ranking, on, "县政府督查室", date(2021, 9, 30))
    doc = best_of(3, lambda: bulletin(content, on=on))
    print(f"bulletin, 150 tasks, with the chart: {doc:.2f} s (goal < 1 s)")
    template = starter_template()
    own = best_of(3, lambda: render_template(template, content))
    print(f"bulletin filled into the starter template: {own:.2f} s (goal < 1 s)")


if __name__ == "__main__":
    main()
