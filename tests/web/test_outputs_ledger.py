"""The ledger workbook as it prints: band rows, columns, fonts, row heights, print titles, page numbers,
未报送, the summary sheet, A3 and one unit's copy; the bulletin refused for a period not yet due."""

from __future__ import annotations

import io

import openpyxl

from duban.outputs.ledger_xlsx import COLOUR_FILLS, KEY_HEADER
from duban.outputs.sheet import lines_needed, text_width
from tests.web.conftest import World, bearer


def _book(world: World, query: str = "") -> openpyxl.Workbook:
    got = world.client.get(f"/api/plans/{world.plan_id}/ledger.xlsx{query}", headers=bearer(world, "admin"))
    assert got.status_code == 200, got.text
    return openpyxl.load_workbook(io.BytesIO(got.content))


def test_ledger_prints_on_a4_with_bands_heights_and_page_numbers(world: World) -> None:
    book = _book(world, "?on=2021-07-15")
    sheet = book["台账"]
    headers = [c.value for c in sheet[2]]
    assert (
        headers[-1] == KEY_HEADER
        and sheet.column_dimensions[sheet.cell(2, len(headers)).column_letter].hidden
    )
    visible = headers[:-1]
    assert len(visible) <= 12 and "牵头领导" not in visible  # empty for the whole plan
    assert "完成时限" not in visible  # the notice states no date: none invented
    assert sheet.cell(3, 1).value == "一、产业发展（3项）"
    assert any(str(r) == "A3:" + sheet.cell(3, len(visible)).coordinate for r in sheet.merged_cells.ranges)
    task_row = 4
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
    assert sheet.print_title_rows == "$2:$2"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.auto_filter.ref.startswith("A2:")
    summary = book["汇总"]
    texts = [str(c.value) for row in summary.iter_rows() for c in row if c.value is not None]
    assert "一、按章节统计" in texts and "说明：状态颜色规则" in texts and "三、单位排名" in texts
    assert any("序时进度" in t for t in texts)


def test_a3_and_one_units_copy(world: World) -> None:
    sheet = _book(world, "?paper=A3&unit=县工业和信息化局")["台账"]
    assert int(sheet.page_setup.paperSize) == 8
    keys = [r[-1].value for r in sheet.iter_rows(min_row=3) if r[-1].value]
    assert keys == [f"T{world.other_task}"]
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
