"""The ledger workbook as it prints: title and 口径, band rows, columns, fonts, row heights, print titles,
page numbers; the 状态 words, progress and 不考核 as the screen shows them; 汇总 with the figures of 总览 and
排名; the flat 明细 sheet; A3 and one unit's copy; the bulletin refused for a period not yet due."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest

from duban.outputs.ledger_xlsx import COLOUR_FILLS, KEY_HEADER
from duban.outputs.sheet import lines_needed, text_width
from tests.web.conftest import World, bearer


def _book(world: World, query: str = "") -> openpyxl.Workbook:
    got = world.client.get(f"/api/plans/{world.plan_id}/ledger.xlsx{query}", headers=bearer(world, "admin"))
    assert got.status_code == 200, got.text
    return openpyxl.load_workbook(io.BytesIO(got.content))


def _get(world: World, path: str) -> Any:
    got = world.client.get(path, headers=bearer(world, "admin"))
    assert got.status_code == 200, got.text
    return got.json()


def test_ledger_prints_on_a4_with_bands_heights_and_page_numbers(world: World) -> None:
    book = _book(world, "?on=2021-07-15")
    sheet = book["台账"]
    label = _get(world, f"/api/overview?plan={world.plan_id}&on=2021-07-15")["basis"]["label"]
    assert sheet["A1"].value == "2021年示例县重点工作台账"  # no 关于印发…的通知, no 责任分工
    assert sheet["A2"].value.startswith(f"口径：{label}") and "截至2021年7月15日" in label
    assert label in sheet.oddHeader.center.text  # on every printed page
    headers = [c.value for c in sheet[3]]
    assert (
        headers[-1] == KEY_HEADER
        and sheet.column_dimensions[sheet.cell(3, len(headers)).column_letter].hidden
    )
    visible = headers[:-1]
    assert len(visible) <= 12 and "牵头领导" not in visible  # empty for the whole plan
    assert "完成时限" not in visible  # the notice states no date: none invented
    assert sheet.cell(4, 1).value == "一、产业发展（3项）"
    assert any(str(r) == "A4:" + sheet.cell(4, len(visible)).coordinate for r in sheet.merged_cells.ranges)
    task_row = 5
    body = sheet.cell(task_row, 2)
    assert body.font.name == "仿宋" and body.font.sz == 10 and body.alignment.wrap_text
    assert body.border.left.style == "thin"
    width = sheet.column_dimensions[body.column_letter].width
    assert sheet.row_dimensions[task_row].height >= 14 * lines_needed(str(body.value), width)
    assert text_width("厂房a") == 5
    state = sheet.cell(task_row, visible.index("状态") + 1)
    assert "未报送" in state.value  # the second quarter passed with no report
    assert state.fill.fgColor.rgb.endswith(COLOUR_FILLS["red"]) or state.fill.fgColor.rgb.endswith(
        COLOUR_FILLS["yellow"]
    )
    assert sheet.print_title_rows == "$3:$3" and sheet.freeze_panes == "A4"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.auto_filter.ref.startswith("A3:")
    summary = book["汇总"]
    assert summary["A1"].value == "2021年示例县重点工作台账汇总" and summary["A2"].value == sheet["A2"].value
    texts = [str(c.value) for row in summary.iter_rows() for c in row if c.value is not None]
    assert "一、按章节统计" in texts and "说明：状态颜色规则和计算口径" in texts
    assert any(t.startswith("三、单位排名") for t in texts)
    # The revised rules: schedule at checkpoints, final figures, scores floored at 0.
    rules = "".join(texts)
    assert "检查点" in rules and "最终数据" in rules and "最低为 0 分" in rules


def test_a3_and_one_units_copy(world: World) -> None:
    book = _book(world, "?paper=A3&unit=县工业和信息化局")
    sheet = book["台账"]
    assert int(sheet.page_setup.paperSize) == 8
    assert sheet["A1"].value == "2021年示例县重点工作台账（县工业和信息化局）"
    keys = [r[-1].value for r in sheet.iter_rows(min_row=4) if r[-1].value]
    assert keys == [f"T{world.other_task}"]
    ranked = next(v for k, v in _summary_tables(book["汇总"]).items() if k.startswith("三、单位排名"))
    assert [r[1] for r in ranked[1:]] == ["县工业和信息化局"]  # a unit's copy: its own place only
    assert len(list(book["明细"].iter_rows(min_row=2))) == 1
    missing = world.client.get(
        f"/api/plans/{world.plan_id}/ledger.xlsx?unit=无此单位", headers=bearer(world, "admin")
    )
    assert missing.status_code == 422 and "无此单位" in missing.json()["detail"]


def test_bulletin_of_a_period_not_yet_due_needs_force(world: World) -> None:
    admin = bearer(world, "admin")
    periods = world.client.get(f"/api/periods?plan={world.plan_id}", headers=admin).json()["items"]
    future = next(p["id"] for p in periods if p["due"] > "2021-07-15")
    refused = world.client.get(f"/api/periods/{future}/bulletin.docx", headers=admin)
    assert refused.status_code == 409 and "尚未到期" in refused.json()["detail"]
    forced = world.client.get(f"/api/periods/{future}/bulletin.docx?force=true", headers=admin)
    assert forced.status_code == 200


def _report(world: World, task: int, progress: float) -> None:
    """The unit reports (on 2021-07-15, after the second quarter's due date: late) and the office approves."""
    made = world.client.post(
        f"/api/tasks/{task}/reports",
        json={"period": world.period_id, "progress": progress, "submit": True},
        headers=bearer(world, "unit"),
    )
    assert made.status_code in (200, 201), made.text
    approved = world.client.post(f"/api/reports/{made.json()['id']}/approve", headers=bearer(world, "admin"))
    assert approved.status_code == 200, approved.text


def _by_key(sheet: Any, header_row: int) -> tuple[dict[str, int], dict[int, dict[str, Any]]]:
    """The header's columns and each task row's cells by column name, keyed by task id."""
    headers = [c.value for c in sheet[header_row]]
    at = {h: i for i, h in enumerate(headers)}
    rows = {}
    for row in sheet.iter_rows(min_row=header_row + 1):
        key = row[at[KEY_HEADER]].value
        if key:
            rows[int(str(key)[1:])] = {h: row[i] for h, i in at.items()}
    return at, rows


def _exclude(world: World, task: int) -> None:
    patched = world.client.patch(
        f"/api/tasks/{task}", json={"assessed": False}, headers=bearer(world, "admin")
    )
    assert patched.status_code == 200, patched.text


def _task_ids(world: World) -> dict[str, int]:
    return {t["no"]: t["id"] for t in _get(world, f"/api/tasks?plan={world.plan_id}")["items"]}


def test_state_words_progress_and_excluded_as_the_screen_shows_them(world: World) -> None:
    ids = _task_ids(world)
    _report(world, world.own_task, 0)  # reported late, and honestly 0 %
    _exclude(world, ids["3"])
    query = f"plan={world.plan_id}&on=2021-07-15"
    status = {s["task"]: s for s in _get(world, f"/api/status?{query}&size=100")["items"]}
    sheet = _book(world, "?on=2021-07-15")["台账"]
    _, rows = _by_key(sheet, 3)
    own, other, excluded = rows[world.own_task], rows[ids["2"]], rows[ids["3"]]
    assert status[world.own_task]["state"] == "逾期（7月15日报送）"
    assert own["状态"].value.split("，")[-1] == "逾期（7月15日报送）"  # not 未报送: it reported late
    assert own["状态"].value.startswith(status[world.own_task]["colour_label"])
    assert own["进度（%）"].value == 0 and own["进度（%）"].data_type == "n"  # a reported 0 % is 0
    assert other["状态"].value.endswith("未报送") and status[ids["2"]]["state"] == "未报送"
    assert other["进度（%）"].value is None  # never reported: no figure, not 0
    assert excluded["状态"].value == "不考核" and excluded["状态"].fill.fill_type is None
    assert own["状态"].fill.fill_type == "solid"
    assert [r["序号"].value for r in (own, other, excluded)] == [1, 2, 3]  # numbers: Excel sorts them


def _summary_tables(sheet: Any) -> dict[str, list[list[Any]]]:
    """The 汇总 sheet's tables by caption: each a list of rows of values (header first)."""
    tables: dict[str, list[list[Any]]] = {}
    current: list[list[Any]] | None = None
    for row in sheet.iter_rows(min_row=4, values_only=True):
        values = list(row)
        if values[0] is not None and all(v is None for v in values[1:]):
            current = tables.setdefault(str(values[0]), [])
        elif any(v is not None for v in values) and current is not None:
            current.append(values)
        else:
            current = None if not any(v is not None for v in values) else current
    return tables


def test_summary_has_the_figures_of_overview_and_rankings(world: World) -> None:
    ids = _task_ids(world)
    _report(world, world.own_task, 60)
    _exclude(world, ids["3"])
    query = f"plan={world.plan_id}&on=2021-07-15"
    overview = _get(world, f"/api/overview?{query}")
    ranking = _get(world, f"/api/rankings?{query}")["items"]
    book = _book(world, "?on=2021-07-15")
    summary = book["汇总"]
    tables = _summary_tables(summary)
    keys = ("done", "blue", "yellow", "red", "total")
    sections = tables["一、按章节统计"]
    assert sections[0] == ["序号", "章节", "已完成", "蓝", "黄", "红", "合计"]
    assert [(r[1], r[2:]) for r in sections[1:-1]] == [
        (s["title"], [s["counts"][k] for k in keys]) for s in overview["by_section"]
    ]
    assert sections[-1][1:] == ["合计", *[overview["counts"][k] for k in keys]]
    assert overview["counts"]["total"] == 2 and overview["excluded"] == 1  # 不考核 not counted
    assert "另有 1 项任务不考核，未计入统计和排名。" in tables
    units = tables["二、按汇总单位统计"][1:]
    assert [(r[1], r[2:]) for r in units] == [
        (u["name"], [u["counts"][k] for k in keys]) for u in overview["by_unit"]
    ]
    ranked = next(v for k, v in tables.items() if k.startswith("三、单位排名"))
    assert ranked[0] == ["名次", "单位", "得分", "较上期", "任务数", "迟报", "未报"]
    arrows = {"up": "↑", "down": "↓", "same": "→"}
    assert ranked[1:] == [
        [r["rank"], r["name"], r["score"], arrows[r["arrow"]], r["tasks"], r["late"], r["missing"]]
        for r in ranking
    ]
    assert len(ranking) == 2 and ranked[1][3] in arrows.values()
    # ≥ 9 pt everywhere, and whole section names: wrapped, never cut.
    for row in summary.iter_rows():
        for cell in row:
            if cell.value is not None:
                assert cell.font.sz >= 9, (cell.coordinate, cell.font.sz)
    name = next(c for row in summary.iter_rows() for c in row if c.value == "产业发展")
    assert name.alignment.wrap_text and summary.column_dimensions[name.column_letter].width >= 30
    score = next(
        c for row in summary.iter_rows() for c in row if c.value == ranking[0]["score"] and c.column == 3
    )
    assert score.number_format == "0.0"  # shown as 排名 shows it, to one decimal


def test_flat_detail_sheet_sorts_and_filters(world: World) -> None:
    ids = _task_ids(world)
    _report(world, world.own_task, 0)
    query = f"plan={world.plan_id}&on=2021-07-15"
    status = {s["task"]: s for s in _get(world, f"/api/status?{query}&size=100")["items"]}
    book = _book(world, "?on=2021-07-15")
    main, detail = book["台账"], book["明细"]
    assert book.sheetnames == ["台账", "汇总", "明细", "整改台账"]
    assert not detail.merged_cells.ranges  # nothing merged, no band rows
    headers = [c.value for c in detail[1]]
    main_headers = [c.value for c in main[3]][:-1]
    assert all(h in headers for h in main_headers)  # every column of the main sheet
    for extra in ("章节", "汇总单位", "颜色", "报送情况", "序时进度（%）", "进度（%）", "原因"):
        assert extra in headers
    assert detail.auto_filter.ref == f"A1:{detail.cell(4, len(headers)).coordinate}"
    assert detail.freeze_panes == "C2"
    body = list(detail.iter_rows(min_row=2, values_only=True))
    assert len(body) == 3  # one row per task
    at = {h: i for i, h in enumerate(headers)}
    by_no = {r[at["序号"]]: r for r in body}
    assert set(by_no) == {1, 2, 3}
    own, other = by_no[1], by_no[2]
    assert own[at["章节"]] == "产业发展" and own[at["汇总单位"]] == "县发展和改革委员会"
    assert own[at["报送情况"]] == status[world.own_task]["state"] == "逾期（7月15日报送）"
    assert own[at["进度（%）"]] == 0 and other[at["进度（%）"]] is None
    assert other[at["报送情况"]] == "未报送"
    assert (
        own[at["原因"]] == status[world.own_task]["reason"]
        and other[at["原因"]] == status[ids["2"]]["reason"]
    )
    assert own[at["颜色"]] == status[world.own_task]["colour_label"]


def test_summary_prints_at_10pt_with_whole_names(world: World, tmp_path: Path) -> None:
    """Rendered by LibreOffice: 汇总 prints at 100 % (never scaled below 9 pt), section names whole."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    from tests.web.test_outputs_render import _pdf

    got = world.client.get(f"/api/plans/{world.plan_id}/ledger.xlsx", headers=bearer(world, "admin"))
    with pdfplumber.open(_pdf(tmp_path, "ledger.xlsx", got.content)) as pdf:
        pages = [p for p in pdf.pages if "按章节统计" in (p.extract_text() or "")]
        assert pages, "no 汇总 page"
        sizes = [c["size"] for c in pages[0].chars if c["text"].strip()]
        assert min(sizes) >= 9.5, min(sizes)
        text = pages[0].extract_text() or ""
        assert "产业发展" in text and "口径：" in text and "台账汇总" in text
