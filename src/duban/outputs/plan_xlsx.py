"""A parsed plan as an Excel workbook: the ledger offices used to retype by hand.

One sheet 任务 with one row per task (序号, 类别, 章节, 名称, 任务, 牵头领导, 牵头单位, 责任/协办单位, 完成时限,
量化目标), one sheet 预期目标 for the plan's indicators, one sheet 文件信息 for the notice itself.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from duban.outputs.sheet import border_all, print_setup, set_row_height
from duban.plan.model import Plan, Task

KIND_LABELS = {"task": "工作任务", "indicator": "预期目标", "livelihood": "民生实事"}
TASK_HEADERS = [
    "序号",
    "类别",
    "章节",
    "名称",
    "任务",
    "牵头领导",
    "牵头单位",
    "责任/协办单位",
    "完成时限",
    "量化目标",
]
_WIDTHS = [8, 10, 24, 18, 70, 16, 28, 36, 12, 24]
_OP_SIGNS = {">=": "≥", "<=": "≤", "~": "约", "=": "", ">": ">", "<": "<"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _units(task: Task, lead: bool) -> str:
    return "、".join(u.name for u in task.units if (u.role == "lead") == lead)


def _targets(task: Task) -> str:
    return "；".join(f"{_OP_SIGNS.get(t.op or '=', '')}{t.value:g}{t.unit}" for t in task.targets)


def task_row(task: Task, section_titles: dict[str, str]) -> list[str]:
    return [
        task.no,
        KIND_LABELS.get(task.kind, task.kind),
        section_titles.get(task.section or "", ""),
        task.name or "",
        task.text,
        "、".join(task.leaders),
        _units(task, lead=True),
        _units(task, lead=False),
        task.due or "",
        _targets(task),
    ]


def _header(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for i, cell in enumerate(sheet[1]):
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[cell.column_letter].width = widths[i]
    sheet.freeze_panes = "A2"


def plan_workbook(plan: Plan) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "任务"
    _header(sheet, TASK_HEADERS, _WIDTHS)
    titles = {s.key: s.title for s in plan.sections}
    wrap = Alignment(wrap_text=True, vertical="top")
    for task in plan.tasks:
        sheet.append(task_row(task, titles))
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            cell.border = border_all()
        set_row_height(sheet, sheet.max_row, _WIDTHS)
    print_setup(sheet, "A4", "1:1", None)
    indicators = book.create_sheet("预期目标")
    _header(indicators, ["指标", "目标值", "单位", "关系"], [30, 12, 10, 8])
    for ind in plan.indicators:
        indicators.append([ind.name, ind.value, ind.unit, ind.op])
    info = book.create_sheet("文件信息")
    _header(info, ["项目", "内容"], [16, 60])
    doc = plan.document
    for label, value in (
        ("标题", doc.title),
        ("文号", doc.doc_number),
        ("发文机关", doc.issuer),
        ("成文日期", doc.issued_on),
        ("年度", doc.year),
        ("报送时限", "、".join(doc.report_deadlines)),
        ("督办机构", doc.supervisor),
    ):
        info.append([label, value if value is not None else ""])
    for other in (indicators, info):
        print_setup(other, "A4", "1:1", None)
    return book


def write_plan_xlsx(plan: Plan, out: Path | BytesIO) -> None:
    plan_workbook(plan).save(out)
