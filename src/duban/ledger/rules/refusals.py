"""A file the parser refuses because it is not a notice, said calmly: ``make demo`` and ``serve --demo`` walk
the whole sample folder, which holds a 政府工作报告 beside the notices, and a newcomer must not read
``错误 / error`` for a file that is simply something else. Pure: strings in, a line out."""

from __future__ import annotations

import re

NOT_A_NOTICE = "这不是责任分工通知"
# What else an office's folder holds, by the words its first lines carry (spaces removed: 政 府 工 作 报 告).
_KINDS = (
    ("政府工作报告", "政府工作报告"),
    ("工作报告", "工作报告"),
    ("工作总结", "工作总结"),
    ("讲话", "讲话稿"),
)


def chinese_part(message: str) -> str:
    """The Chinese half of a ``中文 / English`` message."""
    return message.split(" / ", 1)[0].strip()


def not_a_notice(filename: str, message: str, head: str) -> str | None:
    """One calm line for a file that is not a 责任分工通知 (None for any other refusal, which stays an
    error): what it seems to be, and that it is left out."""
    if not message.startswith(NOT_A_NOTICE):
        return None
    first = re.sub(r"\s+", "", head)[:300]
    kind = next((label for words, label in _KINDS if words in first), None)
    what = f"是一份{kind}，不是责任分工通知" if kind else "不是责任分工通知（其中没有带责任单位的任务）"
    return f"{filename}：{what}，不作为计划导入"
