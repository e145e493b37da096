"""The change log in words, for 最近变更 and 任务详情: ``县财政局 报送了 第2项「建设新材料产业园…」2021年第二季度进展``
instead of ``system · 报告 #303 · 报送``. Built from the change rows and the objects they name (one query per
kind of object for a page of rows); an object deleted since is named from the row's own before/after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.store.models import Change, Period, Plan, Report, Task, Unit, User

TASK_CHARS = 14  # enough of a task's text to recognise it in a one-line entry

# What an actor did, by (object type, action); ``{o}`` is the object in words.
_SENTENCES: dict[tuple[str, str], str] = {
    ("report", "create"): "保存了 {o}（草稿）",
    ("report", "update"): "修改了 {o}（草稿）",
    ("report", "submit"): "报送了 {o}",
    ("report", "supersede"): "重新填报了 {o}（草稿）",
    ("report", "approve"): "审核通过了 {o}",
    ("report", "return"): "退回了 {o}",
    ("report", "attach"): "为{o}上传了附件",
    ("task", "correct"): "更正了 {o}",
    ("task", "update"): "修改了 {o}",
    ("plan", "import"): "导入了 {o}",
    ("plan", "create"): "导入了 {o}",
    ("plan", "publish"): "发布了 {o}",
    ("setting", "rules"): "修改了计划的状态规则",
    ("unit", "create"): "新建了单位{o}",
    ("unit", "alias"): "为单位{o}添加了别名",
    ("unit", "members"): "调整了单位组{o}的成员",
    ("period", "create"): "新建了报送期{o}",
    ("period", "update"): "修改了报送期{o}",
    ("period", "delete"): "删除了报送期{o}",
    ("user", "create"): "开通了账号{o}",
    ("user", "password"): "修改了账号{o}的密码",
    ("user", "disable"): "停用了账号{o}",
    ("user", "enable"): "启用了账号{o}",
    ("user", "unlock"): "解除了账号{o}的登录锁定",
    ("user", "move"): "调整了账号{o}的单位",
    ("token", "create"): "创建了接口令牌",
    ("token", "revoke"): "吊销了一个接口令牌",
    ("session", "revoke"): "结束了 {o}的一个登录会话",
}
_OBJECT_LABEL = {
    "plan": "计划",
    "task": "任务",
    "report": "报告",
    "unit": "单位",
    "period": "报送期",
    "user": "账号",
    "token": "接口令牌",
    "session": "登录会话",
    "setting": "规则",
}


def _task_words(task: Task | None) -> str:
    if task is None:
        return "一项任务"
    text = (task.name or task.text or "").strip().replace("\n", " ")
    short = text if len(text) <= TASK_CHARS else text[:TASK_CHARS] + "…"
    return f"第{task.no}项「{short}」"


def _by_id(session: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}


def sentences(session: Session, changes: Sequence[Change]) -> dict[int, str]:
    """Each change row's id → one sentence in Chinese, the actor first (a unit account as its unit)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for change in changes:
        if change.object_id is not None:
            wanted[change.object_type].add(change.object_id)
        if change.user_id is not None:
            wanted["actor"].add(change.user_id)
    reports = _by_id(session, Report, wanted["report"])
    tasks = _by_id(session, Task, wanted["task"] | {r.task_id for r in reports.values()})
    periods = _by_id(session, Period, {r.period_id for r in reports.values()} | wanted["period"])
    users = _by_id(session, User, wanted["user"] | wanted["actor"])
    unit_ids = {u.unit_id for u in users.values() if u.unit_id} | wanted["unit"]
    units = _by_id(session, Unit, unit_ids)
    plans = _by_id(session, Plan, wanted["plan"])

    def actor(change: Change) -> str:
        user = users.get(change.user_id) if change.user_id is not None else None
        if user is not None and user.unit_id in units:
            return str(units[user.unit_id].name)
        return "系统" if change.actor == "system" else change.actor

    def named(change: Change) -> str | None:
        kind, ident = change.object_type, change.object_id
        saved = {**(change.before or {}), **(change.after or {})}
        if kind == "report" and ident in reports:
            report = reports[ident]
            period = periods.get(report.period_id)
            return _task_words(tasks.get(report.task_id)) + (f"{period.name}进展" if period else "的进展")
        if kind == "task" and ident in tasks:
            return _task_words(tasks[ident])
        if kind == "plan" and ident in plans:
            title = plans[ident].title
            return f"「{title if len(title) <= 30 else title[:30] + '…'}」"
        if kind == "period":
            name = periods[ident].name if ident in periods else saved.get("name")
            return f"「{name}」" if name else None
        if kind == "unit":
            name = units[ident].name if ident in units else saved.get("into") or saved.get("name")
            return f"「{name}」" if name else None
        if kind in ("user", "session"):
            name = saved.get("username") or (
                users[ident].username if kind == "user" and ident in users else None
            )
            return f"「{name}」" if name else None
        return None

    out = {}
    for change in changes:
        words = named(change)
        if change.object_type == "unit" and change.action == "merge":
            merged = (change.before or {}).get("merged", {}).get("name")
            what = f"把单位「{merged}」并入{words or '另一单位'}" if merged else f"合并了单位{words or ''}"
        elif (change.object_type, change.action) in _SENTENCES:
            action = change.action
            template = _SENTENCES[(change.object_type, action)]
            if change.object_type == "report" and (change.after or {}).get("state") != "draft":
                # one row per write: a report created or edited and sent in one step reads as sent
                template = _SENTENCES[("report", "submit")] if action in ("create", "update") else template
                template = template.replace("（草稿）", "")
            fallback = _OBJECT_LABEL.get(change.object_type, change.object_type)
            what = template.format(
                o=words or (f"{fallback} #{change.object_id}" if change.object_id else fallback)
            )
        else:
            label = _OBJECT_LABEL.get(change.object_type, change.object_type)
            what = f"{change.action} {words or label}"
        out[change.id] = f"{actor(change)} {what}"
    return out
