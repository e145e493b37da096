"""Parse time grows with the notice, not with its square (issue 18), and a notice too long to parse in
seconds is refused before any work, in Chinese.

Each layout below once made one step quadratic (a long run of items whose numbers were lost, an item whose
text never closes, a clause left open, tab cells with no header, ``（1）`` lines under one item) or is read by
a newer rule (tables flattened one cell per line, tab-separated rows).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest

from duban.plan import Limits, PlanError, parse
from tests.conftest import WORK_REPORT

TARGET_BYTES = 644 * 1024  # the size that took 269 s before


def _no(i: int) -> int:
    """Item numbers run 1…999 and start again, as they do section by section."""
    return (i - 1) % 999 + 1


def _numbered(i: int) -> str:
    return f"{_no(i)}.推进第{i}项重点工作，确保年底前完成建设任务。（牵头单位：县发改局；责任单位：县财政局、县住建局）"


def _open_clause(i: int) -> str:
    return f"{_no(i)}.推进第{i}项重点工作，确保年底前完成（牵头单位：县发改局"


def _continuation(i: int) -> str:
    return f"推进第{i}项重点工作，统筹抓好项目建设、要素保障和督导调度、"


def _tab_cells(i: int) -> str:
    return f"\t{i}\n\t推进第{i}项重点工作，确保年底前完成建设任务。\n\t县发改局\n"


def _sub_items(i: int) -> str:
    return f"（{i % 30 + 1}）推进第{i}项重点工作，确保年底前完成建设任务，统筹抓好项目建设。"


def _flat_cells(i: int) -> str:
    header = "序号\n主要工作\n责任单位\n" if i == 1 else ""
    return f"{header}{i}\n推进第{i}项重点工作，确保年底前完成建设任务。\n县发改局\n县财政局"


def _tab_rows(i: int) -> str:
    header = "序号\t主要工作\t责任单位\n" if i == 1 else ""
    return f"{header}{i}\t推进第{i}项重点工作，确保年底前完成建设任务。\t县发改局"


def _parts_unread(i: int) -> str:
    return f"第{i}部分 重点工作\n1.推进第{i}项重点工作，确保年底前完成建设任务。"


LAYOUTS: dict[str, Callable[[int], str]] = {
    "parts_unread": _parts_unread,
    "flat_cells": _flat_cells,
    "tab_rows": _tab_rows,
    "numbered": _numbered,
    "open_clause": _open_clause,
    "continuation": _continuation,
    "tab_cells": _tab_cells,
    "sub_items": _sub_items,
}


def _notice(line: Callable[[int], str], size: int, report: bool = True) -> bytes:
    """The work report (a long real text, as in the finding) followed by task lines until ``size`` bytes."""
    assert WORK_REPORT is not None
    head = [WORK_REPORT.read_text(encoding="utf-8")] if report else ["关于印发2024年重点工作责任分工的通知"]
    parts = [*head, "三、重点工作", "1.总体安排"]
    total = sum(len(p.encode()) for p in parts)
    i = 1
    while total < size:
        parts.append(line(i))
        total += len(parts[-1].encode()) + 1
        i += 1
    return "\n".join(parts).encode("utf-8")


def _seconds(data: bytes) -> float:
    """CPU seconds of this process: what the parse costs, whatever else the machine is running."""
    start = time.process_time()
    with contextlib.suppress(PlanError):  # refused is an answer too; what matters is how long it took
        parse(data, filename="notice.txt")
    return time.process_time() - start


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_644_kb_notice_is_answered_within_10_seconds(layout: str) -> None:
    big = _notice(LAYOUTS[layout], TARGET_BYTES)
    assert len(big) >= TARGET_BYTES
    assert _seconds(big) < 10


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_parse_time_is_linear_in_the_notice(layout: str) -> None:
    """Eight times the text takes about eight times as long; a quadratic step would take sixty-four (the
    bound leaves room for a loaded machine and for the memory a bigger notice touches)."""
    small = _notice(LAYOUTS[layout], TARGET_BYTES // 8, report=False)
    big = _notice(LAYOUTS[layout], TARGET_BYTES, report=False)
    small_time = min(_seconds(small) for _ in range(3))
    big_time = min(_seconds(big) for _ in range(2))
    assert big_time < max(24 * small_time, 2.0), (small_time, big_time)  # quadratic: 64 ×


def test_many_numbered_tasks_are_all_read() -> None:
    plan = parse(_notice(_numbered, 200 * 1024), filename="notice.txt")
    assert len(plan.tasks) > 900
    assert plan.tasks[0].units[0].name == "县发改局"


def test_a_notice_over_the_length_limit_is_refused_before_work() -> None:
    data = _notice(_numbered, 30 * 1024)
    with pytest.raises(PlanError) as caught:
        parse(data, filename="notice.txt", limits=Limits(max_text_chars=5000))
    assert "通知过长" in caught.value.message and "拆分" in caught.value.message


def test_the_default_limit_refuses_a_huge_notice_at_once() -> None:
    huge = ("推进重点工作，确保年底前完成建设任务。" * 60000).encode("utf-8")  # 1.1 million characters
    start = time.perf_counter()
    with pytest.raises(PlanError, match="通知过长"):
        parse(huge, filename="notice.txt")
    assert time.perf_counter() - start < 2


def test_a_web_page_is_measured_by_its_text_not_its_markup() -> None:
    """Markup does not count towards the limit: a short notice in a heavy page is read."""
    padding = "<div class='x'></div>" * 5000
    page = (
        "<html><body>" + padding + "<p>关于印发2024年重点工作责任分工的通知</p><p>一、重点工作</p>"
        "<p>1.推进园区建设。（牵头单位：县发改局）</p></body></html>"
    ).encode()
    plan = parse(page, filename="notice.html", limits=Limits(max_text_chars=20000))
    assert [t.units[0].name for t in plan.tasks] == ["县发改局"]
