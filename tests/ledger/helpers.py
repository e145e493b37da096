"""Small notices written for the ledger tests (never the corpus), and shortcuts to import them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from duban.ledger.services import importing
from duban.ledger.store.db import Database
from duban.plan import parse

NOTICE = """关于印发2021年示例县重点工作责任分工的通知
示政发〔2021〕2号
一、产业发展
1. 建设新材料产业园，新建标准化厂房10万平方米。（牵头单位：县发展和改革委员会；责任单位：县财政局、县自然资源局）
2. 推进高端装备产业园提升。（责任单位：县工业和信息化局、各镇街）
3. 实施老旧小区改造20个，控制在5亿元以内。（责任单位：县住房和城乡建设局、相关镇街）
示例县人民政府
2021年2月10日
"""

SECOND = (
    NOTICE.replace("示政发〔2021〕2号", "示政发〔2021〕9号")
    .replace("县发展和改革委员会", "发展改革局")
    .replace("2021年2月10日", "2021年3月1日")
)


def import_text(session: Session, text: str, now: datetime) -> importing.ImportResult:
    data = text.encode("utf-8")
    parsed = parse(data, filename="notice.txt")
    return importing.import_plan(session, parsed, importing.content_hash(data), None, now, "notice.txt")


def imported(database: Database, text: str, now: datetime) -> int:
    with database.writer() as session:
        return import_text(session, text, now).plan.id
