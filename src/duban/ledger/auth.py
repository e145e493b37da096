"""Accounts and credentials: argon2 password hashes, API tokens and browser sessions stored as sha256 of a
long random secret (so a database copy reveals no usable credential), and login throttling."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import changelog, units
from duban.ledger.access import ROLES
from duban.ledger.errors import Conflict, Invalid, NotFound
from duban.ledger.models import ApiToken, LoginSession, User

_hasher = PasswordHasher()
MIN_PASSWORD = 8


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    unit_name: str | None,
    now: datetime,
    actor: User | None = None,
) -> User:
    username = username.strip()
    if not username:
        raise Invalid("用户名不能为空 / username required")
    if role not in ROLES:
        raise Invalid(f"角色必须是 {'、'.join(ROLES)} 之一 / role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 位 / password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户已存在 / user exists: {username}")
    unit_id = None
    if role == "unit":
        if not unit_name:
            raise Invalid("责任单位账号必须指定 --unit / a unit account needs --unit")
        unit = units.find(session, unit_name)
        if unit is None:
            raise NotFound(f"单位不存在（请先导入计划）/ no such unit: {unit_name}")
        unit_id = unit.id
    user = User(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        unit_id=unit_id,
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    changelog.record(
        session,
        actor,
        "user",
        user.id,
        "create",
        None,
        {"username": username, "role": role, "unit": unit_id},
        now,
    )
    return user


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_token(session: Session, username: str, now: datetime, name: str = "cli") -> str:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户不存在 / no such user: {username}")
    secret = "dbn_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=digest(secret), created_at=now))
    changelog.record(session, user, "token", None, "create", None, {"user": username, "name": name}, now)
    return secret


def user_for_token(session: Session, secret: str) -> User | None:
    user = session.scalar(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest(secret), ApiToken.revoked_at.is_(None), User.active.is_(True))
    )
    return user


@dataclass
class NewSession:
    cookie: str
    csrf: str
    user: User


def open_session(session: Session, user: User, now: datetime, hours: int) -> NewSession:
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(
        LoginSession(
            user_id=user.id,
            token_hash=digest(cookie),
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return NewSession(cookie, csrf, user)


def session_for_cookie(session: Session, cookie: str, now: datetime) -> LoginSession | None:
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(cookie)))
    if row is None or row.expires_at < now:
        return None
    return row


def close_session(session: Session, cookie: str) -> None:
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(cookie)))
    if row is not None:
        session.delete(row)


class LoginThrottle:
    """Counts failed logins per username and per client address in a sliding window (in memory: one
    server process; a restart forgets, which only ever makes it more lenient)."""

    def __init__(self, max_failures: int, window_seconds: float) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < self.window]
        self._failures[key] = times
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, username_key: str) -> None:
        with self._lock:
            self._failures.pop(username_key, None)
