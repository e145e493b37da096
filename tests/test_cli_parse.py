"""``duban parse`` as a person uses it: each format, and refusals without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from duban.cli import app
from tests.conftest import GOLD_NOTICES, WORK_REPORT

runner = CliRunner()
NOTICE = GOLD_NOTICES[0]


def test_json_is_one_plan_object() -> None:
    result = runner.invoke(app, ["parse", str(NOTICE)])
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["schema"] == "duban.plan/1" and len(plan["tasks"]) > 50


def test_table_shows_tasks_for_a_person() -> None:
    result = runner.invoke(app, ["parse", str(NOTICE), "--format", "table"])
    assert result.exit_code == 0
    first = json.loads(runner.invoke(app, ["parse", str(NOTICE)]).stdout)["tasks"][0]
    assert "牵头单位" in result.stdout and first["units"][0]["name"][:4] in result.stdout


def test_xlsx_workbook_has_one_row_per_task(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["parse", str(NOTICE), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    plan = json.loads(runner.invoke(app, ["parse", str(NOTICE)]).stdout)
    sheet = openpyxl.load_workbook(out)["任务"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "类别", "章节", "名称", "任务")
    assert len(rows) == len(plan["tasks"]) + 1
    assert rows[1][4] == plan["tasks"][0]["text"]


def test_summary_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(NOTICE), "-f", "summary", "-o", str(tmp_path / "s.txt")])
    assert result.exit_code == 0
    assert "项任务" in (tmp_path / "s.txt").read_text(encoding="utf-8")


def test_work_report_is_refused_without_traceback() -> None:
    assert WORK_REPORT is not None
    result = runner.invoke(app, ["parse", str(WORK_REPORT)])
    assert result.exit_code == 2
    assert "不是责任分工通知" in result.output and "Traceback" not in result.output
    assert result.stdout.strip() == "" or "不是" in result.stdout


def test_summary_describes_a_work_report_calmly() -> None:
    """``make demo`` runs the summary over the whole sample folder: the 政府工作报告 in it is said to be one,
    in Chinese, without 错误 and without failing; any other format still refuses it."""
    assert WORK_REPORT is not None
    result = runner.invoke(app, ["parse", str(WORK_REPORT), "--format", "summary"])
    assert result.exit_code == 0
    assert (
        result.stdout.strip() == f"{WORK_REPORT.name}：是一份政府工作报告，不是责任分工通知，不作为计划导入"
    )
    assert "错误" not in result.output and "error" not in result.output


def test_missing_file_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "none.docx")])
    assert result.exit_code == 2 and "找不到文件" in result.output


def test_unwritable_output_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(NOTICE), "-f", "xlsx", "-o", str(tmp_path / "no" / "x.xlsx")])
    assert result.exit_code == 2 and "无法写入" in result.output


def test_parts_not_read_are_named_and_the_rest_printed(tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "关于印发2024年重点工作责任分工的通知\n一、产业发展\n1.推进园区建设。（牵头单位：县发改局）\n"
        "二、城市建设\n1.改造老旧小区32个。\n——县住建局\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["parse", str(notice)])
    assert result.exit_code == 0
    assert "二、城市建设" in result.stderr and "未读出责任单位" in result.stderr
    assert json.loads(result.stdout)["tasks"][0]["units"] == [{"name": "县发改局", "role": "lead"}]
