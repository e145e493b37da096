"""Workbook import: export the ledger, fill some rows, upload; exactly those rows become submitted
reports by the task's reporting unit. A bad row refuses the whole workbook, every bad row named."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from duban.ledger.store.db import connect
from duban.ledger.store.models import Report, Task
from duban.outputs.ledger_xlsx import FILL_HEADERS, KEY_HEADER
from tests.web.conftest import World, bearer


def _export(world: World, role: str = "admin") -> openpyxl.Workbook:
    got = world.client.get(f"/api/plans/{world.plan_id}/ledger.xlsx", headers=bearer(world, role))
    assert got.status_code == 200, got.text
    return openpyxl.load_workbook(io.BytesIO(got.content))


def _columns(sheet: openpyxl.worksheet.worksheet.Worksheet) -> tuple[int, dict[str, int]]:
    for row in sheet.iter_rows(max_row=5):
        headers = [c.value for c in row]
        if KEY_HEADER in headers:
            return row[0].row, {h: i + 1 for i, h in enumerate(headers) if isinstance(h, str)}
    raise AssertionError("no header row")


def _row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, key: str) -> int:
    header, at = _columns(sheet)
    for row in range(header + 1, sheet.max_row + 1):
        if sheet.cell(row, at[KEY_HEADER]).value == key:
            return row
    raise AssertionError(key)


def _fill(book: openpyxl.Workbook, key: str, progress: object, text: str = "已完成厂房主体") -> int:
    sheet = book["台账"]
    _, at = _columns(sheet)
    row = _row_of(sheet, key)
    values = (progress, text, "资金到位慢", "加快建设")
    for header, value in zip(FILL_HEADERS, values, strict=True):
        sheet.cell(row, at[header]).value = value
    return row


def _upload(world: World, book: openpyxl.Workbook, role: str = "admin") -> tuple[int, dict]:  # type: ignore[type-arg]
    buffer = io.BytesIO()
    book.save(buffer)
    files = {"file": ("台账.xlsx", buffer.getvalue(), "application/octet-stream")}
    got = world.client.post(
        f"/api/periods/{world.period_id}/import-reports", files=files, headers=bearer(world, role)
    )
    return got.status_code, got.json()


def _reports(database_url: str) -> list[tuple[int, int, str, float, str]]:
    database = connect(database_url)
    with database.reader() as session:
        rows = session.execute(
            select(Report.task_id, Report.unit_id, Report.state, Report.progress, Report.text)
        ).all()
        reporting = dict(session.execute(select(Task.id, Task.reporting_unit_id)).all())
    database.dispose()
    assert all(unit == reporting[task] for task, unit, *_ in rows)
    return sorted((r[0], r[1], r[2], r[3], r[4]) for r in rows)


def test_round_trip_stores_exactly_the_filled_rows(world: World, database_url: str) -> None:
    book = _export(world)
    _fill(book, f"T{world.own_task}", 40)
    _fill(book, f"T{world.other_task}", "65%", "园区提升方案已批复")
    status, body = _upload(world, book)
    assert status == 200, body
    assert body["stored"] == 2 and len(body["reports"]) == 2
    stored = _reports(database_url)
    assert [(t, s, p, x) for t, _, s, p, x in stored] == sorted(
        [
            (world.own_task, "submitted", 40.0, "已完成厂房主体"),
            (world.other_task, "submitted", 65.0, "园区提升方案已批复"),
        ]
    )
    again_status, again = _upload(world, book)  # the same workbook again: the same reports, updated
    assert again_status == 200 and sorted(again["reports"]) == sorted(body["reports"])
    assert len(_reports(database_url)) == 2


def test_unchanged_export_stores_nothing(world: World, database_url: str) -> None:
    status, body = _upload(world, _export(world))
    assert (status, body) == (200, {"stored": 0, "reports": []})
    assert _reports(database_url) == []


def test_bad_rows_refuse_the_whole_workbook(world: World, database_url: str) -> None:
    book = _export(world)
    _fill(book, f"T{world.own_task}", 50)  # a good row: not stored either
    bad_progress = _fill(book, f"T{world.other_task}", 130)
    sheet = book["台账"]
    _, at = _columns(sheet)
    rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, at[KEY_HEADER]).value]
    text_row = rows[-1]
    sheet.cell(text_row, at[FILL_HEADERS[0]]).value = "过半"
    sheet.cell(text_row, at[FILL_HEADERS[1]]).value = "进展顺利"
    unknown_row = sheet.max_row + 1
    sheet.cell(unknown_row, at[KEY_HEADER]).value = "T999999"
    sheet.cell(unknown_row, at[FILL_HEADERS[0]]).value = 10
    status, body = _upload(world, book)
    assert status == 422
    assert "未导入任何内容" in body["detail"]
    by_row = {e["row"]: e["error"] for e in body["rows"]}
    assert set(by_row) == {bad_progress, text_row, unknown_row}
    assert "130" in by_row[bad_progress]
    assert "过半" in by_row[text_row]
    assert "不存在" in by_row[unknown_row]
    assert _reports(database_url) == []


def test_a_unit_imports_only_its_own_rows(world: World, database_url: str) -> None:
    book = _export(world)
    own = _fill(book, f"T{world.own_task}", 30)
    status, body = _upload(world, book, "unit")
    assert status == 200 and body["stored"] == 1, body
    other = _fill(book, f"T{world.other_task}", 30)
    status, body = _upload(world, book, "unit")
    assert status == 422
    assert [e["row"] for e in body["rows"]] == [other] and own != other
    assert "不是本单位" in body["rows"][0]["error"]
    assert len(_reports(database_url)) == 1


def test_not_a_workbook_and_leaders_are_refused(world: World) -> None:
    files = {"file": ("x.xlsx", b"not a zip", "application/octet-stream")}
    url = f"/api/periods/{world.period_id}/import-reports"
    got = world.client.post(url, files=files, headers=bearer(world, "admin"))
    assert got.status_code == 422 and "无法读取" in got.json()["detail"]
    status, _ = _upload(world, _export(world), "leader")
    assert status == 403
