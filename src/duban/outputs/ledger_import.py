"""A filled ledger workbook taken back in: rows matched to tasks by the hidden key, stored as submitted
reports for one period by each task's reporting unit, through ``reports.write_for`` so the state rules
(a returned report is resubmitted, an approved one superseded) are the services' own.

All or nothing: every row is checked first; any bad row and nothing is stored, every bad row named.
A row whose 进度 / 本期进展 / 存在问题 / 下步打算 are what the export showed (the latest approved report) or
empty is left alone, so a workbook exported, partly filled and uploaded stores exactly the rows filled.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.orm import Session

from duban.archives import MAX_WORKBOOK_INFLATED_BYTES, ArchiveRefused, check_zip
from duban.ledger.errors import Forbidden, Invalid, NotFound
from duban.ledger.rules.text import clean_text
from duban.ledger.services import reports
from duban.ledger.store.models import Period, Report, User
from duban.ledger.views import figures, ledger_rows
from duban.outputs.ledger_xlsx import FILL_HEADERS, KEY_HEADER, KEY_PREFIX

MAX_ROWS = 20_000
MAX_COLUMNS = 100  # the export has about a dozen; a sheet claiming Excel's 16,384 is not one of ours


def rejected(message: str, rows: list[dict[str, object]]) -> Invalid:
    """The refusal of a workbook with bad rows (422): ``rows`` lists ``{"row": n, "error": "…"}``."""
    return Invalid(message, {"rows": rows})


@dataclass
class FilledRow:
    row: int
    task_id: int
    progress: float | None
    text: str
    problems: str
    next_steps: str


def _text(value: object) -> str:
    return clean_text(str(value)).strip() if value is not None else ""


def _progress(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("进度应为 0 到 100 之间的数字")
    try:
        number = float(str(value).strip().rstrip("%％")) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"进度应为 0 到 100 之间的数字，而不是“{_text(value)[:20]}”") from None
    if not 0 <= number <= 100:
        raise ValueError(f"进度应在 0 到 100 之间（填写的是 {number:g}）")
    return number


def read_rows(data: bytes) -> tuple[list[FilledRow], list[dict[str, object]]]:
    """The filled rows of the first sheet with a key column, and the rows that cannot be read. The archive
    guard runs first (nothing is inflated past its bound); rows are read at most ``MAX_COLUMNS`` wide, so a
    sheet declaring 16,384 columns cannot make every row a list of 16,384 cells."""
    try:
        check_zip(data, "工作簿", MAX_WORKBOOK_INFLATED_BYTES, required="xl/workbook.xml")
    except ArchiveRefused as exc:
        if exc.too_large:
            raise Invalid(f"{exc.message}：请上传由本系统导出的台账工作簿") from None
        raise Invalid("无法读取该文件：请上传由本系统导出的台账工作簿（.xlsx）") from None
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Invalid("无法读取该文件：请上传由本系统导出的台账工作簿（.xlsx）") from None
    for sheet in book.worksheets:
        _check_size(sheet)
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, values in enumerate(rows, start=1):
            if number > 10:
                break
            headers = [_text(v) for v in values]
            if KEY_HEADER in headers and all(h in headers for h in FILL_HEADERS):
                return _read_body(headers, number, rows)
    raise Invalid("工作簿中没有找到台账表头（含隐藏的“键”列）：请使用本系统导出的台账填写")


def _check_size(sheet: Any) -> None:
    """Refuse a sheet whose declared size is past the bounds (read-only sheets know it from the
    ``<dimension>`` element, without reading a row)."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise Invalid(
            f"工作表“{str(sheet.title)[:30]}”过大（{rows} 行 × {columns} 列，上限 {MAX_ROWS} 行 × "
            f"{MAX_COLUMNS} 列）：请上传由本系统导出的台账工作簿"
        )


def _read_body(
    headers: list[str], header_row: int, rows: Iterator[tuple[Any, ...]]
) -> tuple[list[FilledRow], list[dict[str, object]]]:
    at = {name: headers.index(name) for name in (KEY_HEADER, *FILL_HEADERS)}
    filled: list[FilledRow] = []
    errors: list[dict[str, object]] = []
    for number, values in enumerate(rows, start=header_row + 1):
        if number > MAX_ROWS:
            errors.append({"row": number, "error": f"行数超过 {MAX_ROWS} 行"})
            break
        cells = list(values) + [None] * len(headers)
        key = _text(cells[at[KEY_HEADER]])
        fill = [cells[at[h]] for h in FILL_HEADERS]
        if not key:
            if any(_text(v) for v in fill) and not _is_band(cells):
                errors.append({"row": number, "error": "缺少任务键：该行不是从本系统导出的任务行"})
            continue
        task_id = _task_key(key)
        if task_id is None:
            errors.append({"row": number, "error": f"无法识别的任务键“{key[:20]}”"})
            continue
        try:
            progress = _progress(fill[0])
        except ValueError as exc:
            errors.append({"row": number, "error": str(exc)})
            continue
        filled.append(FilledRow(number, task_id, progress, *(_text(v) for v in fill[1:])))
    return filled, errors


def _task_key(key: str) -> int | None:
    """The task id of a key cell (``KEY_PREFIX`` and ASCII digits only: ``²`` passes ``isdigit()``)."""
    digits = key.removeprefix(KEY_PREFIX)
    if digits == key or not digits or len(digits) > 10 or not (digits.isascii() and digits.isdigit()):
        return None
    return int(digits)


def _is_band(cells: list[object]) -> bool:
    """A section band row: text in the first cell only."""
    return bool(_text(cells[0])) and not any(_text(v) for v in cells[1:])


def _changed(row: FilledRow, shown: ledger_rows.LedgerRow) -> bool:
    if row.progress is None and not (row.text or row.problems or row.next_steps):
        return False
    return (row.progress, row.text, row.problems, row.next_steps) != (
        shown.latest_progress,
        shown.latest_text,
        shown.latest_problems,
        shown.latest_next_steps,
    )


def import_reports(session: Session, user: User, period_id: int, data: bytes, now: datetime) -> list[Report]:
    """Store the workbook's filled rows as submitted reports for the period; all or nothing."""
    if user.role not in ("admin", "unit"):
        raise Forbidden("只有督查室或责任单位可以导入报送 / only the office and units import reports")
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("报送期不存在 / no such period")
    filled, errors = read_rows(data)
    # The rows as exported today (the current period's figures): only what differs is a new report.
    ledger = ledger_rows.ledger_rows(session, figures.of_plan(session, period.plan_id, None, now.date()))
    shown = {r.task_id: r for r in ledger}
    todo: list[tuple[FilledRow, int]] = []
    for row in filled:
        task = shown.get(row.task_id)
        if task is None:
            errors.append({"row": row.row, "error": "任务键不属于该报送期的计划（任务不存在）"})
        elif not _changed(row, task):
            continue
        elif task.reporting_unit_id is None:
            errors.append({"row": row.row, "error": "该任务尚未确定汇总单位，无法填报"})
        elif user.role == "unit" and task.reporting_unit_id != user.unit_id:
            errors.append(
                {"row": row.row, "error": f"该任务由{task.reporting_unit}汇总报送，不是本单位的任务"}
            )
        elif row.progress is None:
            errors.append({"row": row.row, "error": "请填写进度（0 到 100 之间的数字）"})
        else:
            todo.append((row, task.reporting_unit_id))
    if errors:
        errors.sort(key=lambda e: int(str(e["row"])))
        raise rejected(f"工作簿中有 {len(errors)} 行有误，未导入任何内容，请修改后重新上传", errors)
    stored = []
    for row, unit_id in todo:
        data_in = reports.ReportInput(
            period=period.id,
            progress=row.progress or 0.0,
            text=row.text,
            problems=row.problems,
            next_steps=row.next_steps,
            completed=(row.progress or 0.0) >= 100,
            submit=True,
        )
        try:
            stored.append(reports.write_for(session, user, unit_id, row.task_id, data_in, now))
        except (Invalid, NotFound) as exc:
            raise rejected(str(exc), [{"row": row.row, "error": str(exc)}]) from None
    return stored
