"""Document commands: export ledger, fill it, import-reports, bulletin; refusals in Chinese, exit 2."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import docx
import openpyxl
from typer.testing import CliRunner

from duban.cli import app
from duban.outputs.ledger_xlsx import FILL_HEADERS, KEY_HEADER
from tests.ledger.helpers import NOTICE

runner = CliRunner()


def _setup(tmp_path: Path) -> tuple[str, int, int]:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    assert runner.invoke(app, ["import", str(notice), "--db", url]).exit_code == 0
    added = runner.invoke(
        app,
        ["user", "add", "office", "--role", "admin", "--password-stdin", "--db", url],
        input="secret-123\n",
    )
    assert added.exit_code == 0, added.output
    with sqlite3.connect(tmp_path / "d.db") as conn:
        (period,) = conn.execute("select id from periods where due = '2021-06-30'").fetchone()
        (plan,) = conn.execute("select id from plans").fetchone()
    return url, plan, period


def test_export_fill_import_and_bulletin(tmp_path: Path) -> None:
    url, plan, period = _setup(tmp_path)
    out = tmp_path / "台账.xlsx"
    done = runner.invoke(
        app, ["export", "ledger", "--plan", str(plan), "--on", "2021-07-15", "-o", str(out), "--db", url]
    )
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(out)
    sheet = book["台账"]
    header = next(r for r in sheet.iter_rows(max_row=5) if any(c.value == KEY_HEADER for c in r))
    at = {c.value: c.column for c in header}
    first = next(
        r for r in range(header[0].row + 1, sheet.max_row + 1) if sheet.cell(r, at[KEY_HEADER]).value
    )
    sheet.cell(first, at[FILL_HEADERS[0]]).value = 55
    sheet.cell(first, at[FILL_HEADERS[1]]).value = "主体完工"
    book.save(out)
    imported = runner.invoke(app, ["import-reports", str(out), "--period", str(period), "--db", url])
    assert imported.exit_code == 0, imported.output
    assert "已导入 1 份报告" in imported.stdout
    with sqlite3.connect(tmp_path / "d.db") as conn:
        assert conn.execute("select progress, text, state from reports").fetchall() == [
            (55.0, "主体完工", "submitted")
        ]
    docx_out = tmp_path / "通报.docx"
    args = ["bulletin", "--period", str(period), "--on", "2021-07-15", "-o", str(docx_out), "--db", url]
    made = runner.invoke(app, [*args, "--masthead", "--copy-to", "县委办公室"])
    assert made.exit_code == 0, made.output
    texts = [p.text for p in docx.Document(str(docx_out)).paragraphs]
    assert texts[0] == "督查通报" and texts[1] == "第1期" and "抄送：县委办公室。" in texts
    note = texts.index("附件：1.2021年第二季度红色、黄色任务清单")
    assert note < texts.index("附件1") and texts[note + 1] == "2.2021年第二季度各单位得分排名"
    assert any("本通报数据口径为2021年第二季度 · 截至2021年7月15日" in t for t in texts)


def test_refusals(tmp_path: Path) -> None:
    url, plan, period = _setup(tmp_path)
    bad = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", *FILL_HEADERS, KEY_HEADER])
    sheet.append(["1", 130, "", "", "", "T1"])
    book.save(bad)
    cases = [
        (["import-reports", str(bad), "--period", str(period), "--db", url], "第 2 行"),
        (["import-reports", str(tmp_path / "none.xlsx"), "--period", str(period), "--db", url], "无法读取"),
        (
            [
                "export",
                "ledger",
                "--plan",
                str(plan),
                "--unit",
                "无此单位",
                "-o",
                str(tmp_path / "x.xlsx"),
                "--db",
                url,
            ],
            "没有",
        ),
        (["export", "ledger", "--plan", "999", "-o", str(tmp_path / "x.xlsx"), "--db", url], "计划不存在"),
        (["bulletin", "--period", "999", "-o", str(tmp_path / "x.docx"), "--db", url], "报送期不存在"),
    ]
    for args, fragment in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert fragment in result.output and "Traceback" not in result.output
    with sqlite3.connect(tmp_path / "d.db") as conn:
        assert conn.execute("select count(*) from reports").fetchone() == (0,)
