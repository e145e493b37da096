"""Accounts and credentials: argon2 password hashes, API tokens and browser sessions stored as sha256 of a
long random secret (so a database copy reveals no usable credential), login throttling, and the account
operations an office needs (change a password, disable an account, list and revoke tokens), each logged."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Invalid, NotFound
from duban.ledger.services import jurisdictions, units
from duban.ledger.services.access import ROLES, account_home
from duban.ledger.store import changelog
from duban.ledger.store.models import ApiToken, Jurisdiction, LoginAttempt, LoginSession, Unit, User

_hasher = PasswordHasher()
MIN_PASSWORD = 8
# Letters and digits that cannot be mistaken for one another on a printed sheet (no 0/o, 1/l/i).
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def initial_password() -> str:
    """A random password an office can hand out on paper: three groups of four (about 59 bits)."""
    return "-".join("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(3))


def free_username(session: Session, wanted: str, prefix: str | None) -> str:
    """``wanted`` if no account has it, else with the county's name before it, else numbered: a unit's
    account is named after the unit, which is what its clerk will type."""
    fit = 96  # a user name has 100 characters at most: room for a number after a long unit name
    candidates = [
        wanted[:fit],
        *([f"{prefix}{wanted}"[:fit]] if prefix and not wanted.startswith(prefix) else []),
    ]
    candidates += [f"{candidates[-1]}{n}" for n in range(2, 100)]
    taken = set(session.scalars(select(User.username).where(User.username.in_(candidates))))
    return next(c for c in candidates if c not in taken)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _unit_named(session: Session, name: str, home: Jurisdiction | None) -> Unit:
    """The unit of that name in the jurisdiction's directory, or in the only directory that has one."""
    homes = [home] if home else [None, *jurisdictions.all_of(session)]
    found = {u.id: u for h in homes if (u := units.find(session, name, h)) is not None}
    if not found and home is not None:
        elsewhere = [
            j.name for j in jurisdictions.all_of(session) if units.find(session, name, j) is not None
        ]
        if elsewhere:
            raise Invalid(
                f"“{name}”不在{home.name}的单位目录中（在{'、'.join(elsewhere)}）："
                "责任单位账号属于其单位所在的行政区 / the unit is in another jurisdiction"
            )
    if not found:
        raise NotFound(f"单位不存在（请先导入计划）/ no such unit: {name}")
    if len(found) > 1:
        raise Invalid(f"多个行政区都有“{name}”，请用 --jurisdiction 指定 / name the jurisdiction")
    return next(iter(found.values()))


def add_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    unit_name: str | None,
    now: datetime,
    actor: User | None = None,
    jurisdiction: str | None = None,
    must_change: bool = False,
) -> User:
    """An account. ``jurisdiction`` (a name or 市/区 path) is where it belongs: a unit account belongs to its
    unit's; otherwise the single jurisdiction of a one-county installation, or the whole installation.
    ``must_change``: the password is an initial one the office hands out (the web app asks for a new one)."""
    username = username.strip()
    if not username:
        raise Invalid("用户名不能为空 / username required")
    if role not in ROLES:
        raise Invalid(f"角色必须是 {'、'.join(ROLES)} 之一 / role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 位 / password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户已存在 / user exists: {username}")
    home = jurisdictions.find(session, jurisdiction) if jurisdiction else None
    unit_id = None
    if role == "unit":
        if not unit_name:
            raise Invalid("责任单位账号必须指定 --unit / a unit account needs --unit")
        unit = _unit_named(session, unit_name, home)
        unit_id = unit.id
        home_id = unit.jurisdiction_id  # always the unit's county, never one given beside it
    else:
        known = jurisdictions.all_of(session)
        home_id = home.id if home else (known[0].id if len(known) == 1 else None)
    if actor is not None:
        jurisdictions.require_write(actor, home_id)  # an office makes accounts of its own county only
    user = User(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        unit_id=unit_id,
        jurisdiction_id=home_id,
        active=True,
        created_at=now,
        must_change_password=must_change,
    )
    session.add(user)
    session.flush()
    # Not a transition: accounts, tokens and login locks have no workflow state.
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


def assign_unit(session: Session, actor: User | None, user: User, unit: Unit, now: datetime) -> None:
    """Move a unit account to another unit: its county moves with it (an account is always in its unit's
    county, or its own office would not find its tasks and another county's office could manage it)."""
    if user.role != "unit" or unit.is_group:
        raise Invalid("只有责任单位账号可以指定单位，且只能是具体单位（不能是“各镇街”等统称）")
    if actor is not None:
        jurisdictions.require_write(actor, unit.jurisdiction_id)
    before = {"unit": user.unit_id, "jurisdiction": user.jurisdiction_id}
    user.unit_id, user.jurisdiction_id = unit.id, unit.jurisdiction_id
    # Not a transition: accounts, tokens and login locks have no workflow state.
    changelog.record(
        session,
        actor,
        "user",
        user.id,
        "move",
        before,
        {"unit": unit.id, "jurisdiction": unit.jurisdiction_id},
        now,
    )


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
    # Not a transition: accounts, tokens and login locks have no workflow state.
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


def open_session(
    session: Session,
    user: User,
    now: datetime,
    hours: int,
    user_agent: str | None = None,
    address: str | None = None,
) -> NewSession:
    """A browser session; the browser's name and address are kept only to be shown on the 账号 page."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(
        LoginSession(
            user_id=user.id,
            token_hash=digest(cookie),
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            last_seen_at=now,
            user_agent=(user_agent or None) and user_agent[:300],
            address=(address or None) and address[:100],
        )
    )
    return NewSession(cookie, csrf, user)


# A session's "last seen" is written at most this often: a page making ten requests a second must not
# make ten writes a second.
SEEN_EVERY = timedelta(minutes=5)


def mark_seen(session: Session, session_id: int, now: datetime) -> None:
    """Note that a browser session was used now (called by the web layer when its last mark is stale)."""
    session.execute(update(LoginSession).where(LoginSession.id == session_id).values(last_seen_at=now))


@dataclass
class SessionInfo:
    id: int
    username: str
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime
    user_agent: str | None
    address: str | None


def list_sessions(session: Session, user_id: int, now: datetime) -> list[SessionInfo]:
    """An account's browser sessions that have not expired, newest first (never their secrets)."""
    rows = session.execute(
        select(LoginSession, User.username)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.user_id == user_id, LoginSession.expires_at >= now)
        .order_by(LoginSession.id.desc())
    ).all()
    return [
        SessionInfo(s.id, name, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.address)
        for s, name in rows
    ]


def end_session(session: Session, actor: User | None, session_id: int, now: datetime) -> None:
    """End one browser session of an account (the office seeing a session it does not recognise, or a
    user their own): the row is deleted, so its cookie is refused from the next request on. Logged."""
    row = session.get(LoginSession, session_id)
    if row is None or (actor is not None and actor.role != "admin" and row.user_id != actor.id):
        raise NotFound("会话不存在")
    owner = session.get(User, row.user_id)
    if actor is not None and row.user_id != actor.id and owner is not None:
        home = account_home(session, owner)
        if not jurisdictions.can_read(session, actor, home):
            raise NotFound("会话不存在")
        jurisdictions.require_write(actor, home)
    # Not a transition: a login session is an account's access, not a workflow object.
    changelog.record(
        session,
        actor,
        "session",
        row.id,
        "revoke",
        {"created_at": row.created_at, "address": row.address},
        {"user": row.user_id, "username": owner.username if owner else None},
        now,
    )
    session.delete(row)


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
    """Counts login attempts per client address and per username at that address, in the database.

    An attempt is counted *before* its password is checked, by one atomic UPDATE, so 200 parallel guesses
    get at most ``max_attempts`` password checks, in every server process alike. Keys are per address
    and per user+address, never per user alone: a stranger elsewhere cannot lock a real user out; after
    the window the address may try again (a delay, not a lock)."""

    def __init__(self, max_attempts: int, window_seconds: float, address_limit: int = 200) -> None:
        """``max_attempts`` per user at one address stays tight; ``address_limit`` is per address, large
        enough for an office of a hundred people behind one NAT who mistype now and then."""
        self.max_attempts = max_attempts
        self.window = timedelta(seconds=window_seconds)
        self.address_limit = address_limit

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return (f"addr:{address}"[:300], f"user:{address}:{username}"[:300])

    def admit(self, session: Session, username: str, address: str, now: datetime) -> bool:
        """Count this attempt; False when the address or the user at this address is over its limit."""
        by_address, by_user = self.keys(username, address)
        return (
            _count_attempt(session, by_address, now, self.window) <= self.address_limit
            and _count_attempt(session, by_user, now, self.window) <= self.max_attempts
        )

    def succeeded(self, session: Session, username: str, address: str) -> None:
        """A right password clears the user's count at this address and gives the address its try back."""
        by_address, by_user = self.keys(username, address)
        session.execute(delete(LoginAttempt).where(LoginAttempt.key == by_user))
        session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == by_address, LoginAttempt.attempts > 0)
            .values(attempts=LoginAttempt.attempts - 1)
        )


def clear_lock(
    session: Session, actor: User | None, username: str, now: datetime, address: str | None = None
) -> int:
    """Forget a user's counted attempts at every address (the office unlocking an account after too many
    wrong passwords); with ``address`` also that address's own count (the command line only: an address is
    not any one county's). Returns the number of counts cleared; logged."""
    user = _find_user(session, username)
    user_keys = LoginAttempt.key.startswith("user:") & LoginAttempt.key.endswith(
        f":{username}", autoescape=True
    )
    keys = user_keys | (LoginAttempt.key == f"addr:{address}"[:300]) if address else user_keys
    cleared = session.execute(delete(LoginAttempt).where(keys)).rowcount or 0  # type: ignore[attr-defined]
    # Not a transition: accounts, tokens and login locks have no workflow state.
    changelog.record(
        session, actor, "user", user.id, "unlock", None, {"username": username, "address": address}, now
    )
    return int(cleared)


def _count_attempt(session: Session, key: str, now: datetime, window: timedelta) -> int:
    expired = LoginAttempt.window_start < now - window
    counted = session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.key == key)
        .values(
            attempts=case((expired, 1), else_=LoginAttempt.attempts + 1),
            window_start=case((expired, now), else_=LoginAttempt.window_start),
        )
        .returning(LoginAttempt.attempts)
    ).scalar()
    if counted is not None:
        return int(counted)
    try:
        with session.begin_nested():
            session.add(LoginAttempt(key=key, window_start=now, attempts=1))
        return 1
    except IntegrityError:  # another request inserted the row first: count on it
        return _count_attempt(session, key, now, window)


_DUMMY_HASH = _hasher.hash("duban-no-such-user")


def check_login(session: Session, username: str, password: str) -> User | None:
    """The active user with this password, or None. An unknown username costs one hash verification like
    a known one, so the answer time does not tell which usernames exist."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    return user if verify_password(user, password) else None


def _find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户不存在：{username}")
    return user


def change_password(
    session: Session,
    actor: User | None,
    username: str,
    new_password: str,
    now: datetime,
    must_change: bool = False,
) -> User:
    """Set a new password; the user's browser sessions end and API tokens are revoked (a password changed
    because it leaked must not leave a token made with it working). ``must_change``: an initial password
    the office hands out, to be replaced at the next login; a user setting their own clears the flag."""
    if len(new_password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 位")
    user = _find_user(session, username)
    user.password_hash = _hasher.hash(new_password)
    user.must_change_password = must_change
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    revoked = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount  # type: ignore[attr-defined]
    # Not a transition: accounts, tokens and login locks have no workflow state.
    changelog.record(
        session,
        actor,
        "user",
        user.id,
        "password",
        None,
        {"username": username, "tokens_revoked": revoked, "must_change": must_change},
        now,
    )
    return user


def set_active(session: Session, actor: User | None, username: str, active: bool, now: datetime) -> User:
    """Disable (or enable again) an account. A disabled account's sessions end and its tokens stop
    working at once; nothing it reported is touched."""
    user = _find_user(session, username)
    if actor is not None and actor.id == user.id and not active:
        raise Invalid("不能停用自己的账号")
    before = {"active": user.active}
    user.active = active
    if not active:
        session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    # Not a transition: accounts, tokens and login locks have no workflow state.
    changelog.record(
        session, actor, "user", user.id, "enable" if active else "disable", before, {"active": active}, now
    )
    return user


@dataclass
class TokenInfo:
    id: int
    username: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


def list_tokens(session: Session, username: str | None = None) -> list[TokenInfo]:
    """Tokens (never their secrets), newest first; one user's when ``username`` is given."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username is not None:
        query = query.where(User.username == username)
    rows = session.execute(query.order_by(ApiToken.id.desc())).all()
    return [TokenInfo(t.id, name, t.name, t.created_at, t.revoked_at) for t, name in rows]


def revoke_token(session: Session, actor: User | None, token_id: int, now: datetime) -> ApiToken:
    """Revoke a token (an admin any, anyone else only their own); revoking twice is harmless."""
    token = session.get(ApiToken, token_id)
    if token is None or (actor is not None and actor.role != "admin" and token.user_id != actor.id):
        raise NotFound("令牌不存在")
    owner = session.get(User, token.user_id)
    if actor is not None and token.user_id != actor.id and owner is not None:
        home = account_home(session, owner)  # a unit account's county is its unit's
        if not jurisdictions.can_read(session, actor, home):
            raise NotFound("令牌不存在")
        jurisdictions.require_write(actor, home)
    if token.revoked_at is None:
        token.revoked_at = now
        # Not a transition: accounts, tokens and login locks have no workflow state.
        changelog.record(session, actor, "token", token.id, "revoke", None, {"user": token.user_id}, now)
    return token
