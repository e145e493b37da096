"""A unit that got a 红色督办单 for still not reporting 5 working days after a 催报 is named in the period's 通报
(issue 16), on SQLite and PostgreSQL: the bulletin's Word text names it once the 督办单 is issued, and a
bulletin taken before that day does not."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx

from duban.ledger.services import chasing
from duban.ledger.store.db import Database
from duban.ledger.views import notices
from duban.outputs import documents
from tests.chasing.scripted import at, published, review, submit

Q1 = date(2021, 3, 31)


def _bulletin_text(database: Database, period_id: int, on: date) -> str:
    with database.reader() as session:
        _, data = documents.bulletin_for(session, period_id, on, on, False)
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_red_document_unit_named_in_bulletin(database: Database) -> None:
    sample = published(database)
    review(
        database, sample, submit(database, sample, "1", Q1, 30, date(2021, 3, 30)), True, date(2021, 3, 30)
    )
    submit(database, sample, "3", Q1, 20, date(2021, 3, 31))  # task 3 on time: never chased
    day = date(2021, 4, 1)
    while day <= date(2021, 4, 9):  # 催报 on 04-01; 清明 off; five working days later (04-09) 红色督办单
        with database.writer() as session:
            chasing.run(session, day, at(day, 8))
        day += timedelta(days=1)
    period_id = sample.periods[Q1]
    with database.reader() as session:
        red = notices.red_documents_of_period(session, period_id, date(2021, 4, 9))
        assert [(d.unit_id, d.day) for d in red] == [(sample.units["2"], date(2021, 4, 9))]
        assert red[0].number_text.startswith("督办〔2021〕")
        assert notices.red_documents_of_period(session, period_id, date(2021, 4, 8)) == []
        unit_name = red[0].unit_name
    named = "本期被下发红色督办单1份，涉及单位：" + unit_name + "。"
    assert named in _bulletin_text(database, period_id, date(2021, 4, 9))
    before = _bulletin_text(database, period_id, date(2021, 4, 8))
    assert "红色督办单" not in before and "本期未报送进展的任务" in before
