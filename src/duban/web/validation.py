"""One validation layer for everything a client sends, and one way of saying no.

Every request body model derives from :class:`Body` (finite numbers only, text cleaned of control
characters); every id and page number in a path or query is one of the ``*Id`` types (in range for both
databases: PostgreSQL's ``integer`` stops at 2^31-1). Whatever still slips through — a body that is not
UTF-8, a number a driver refuses — is answered by the handlers below with a 4xx and a Chinese message,
never a 500 or FastAPI's English default.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from duban.ledger.rules.text import clean_text, has_unwanted

log = logging.getLogger("duban.web")

MAX_ID = 2**31 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]
OptionalQueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
MAX_QUERY_TEXT = 200  # a search word, a unit or leader name: no filter needs more
QueryText = Annotated[str | None, Query(max_length=MAX_QUERY_TEXT)]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Only ``2026-06-30``: Pydantic alone also reads a number (``20260630``, ``1700000000``) as seconds
    since 1970 and silently takes a day of 1970 or 2023."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value.strip())):
        return value.strip() if isinstance(value, str) else value
    raise ValueError("应为日期，格式 YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]  # every day a client sends: in a path, a query or a body


def ascii_id(text: str) -> int | None:
    """The id written in ``text`` if it is ASCII digits in the id range, else None. ``str.isdigit()`` also
    accepts ``²`` and other Unicode digits, which ``int()`` then refuses (a 500 before this check)."""
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        if has_unwanted(value):
            raise ValueError("含有不允许的控制字符或无效的 Unicode 字符（如 NUL）")
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


class Body(BaseModel):
    """Base of every JSON body: NaN and Infinity refused; line-breaking controls (Word's ``\\u000b``)
    become newlines, any other control character or lone surrogate is refused."""

    model_config = ConfigDict(allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _clean_strings(cls, value: Any) -> Any:
        return _clean(value)


# Pydantic's error types, said in Chinese. Anything not listed is "取值无效".
_MESSAGES = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "必须是有限的数字（不接受 NaN 或 Infinity）",
    "bool_parsing": "应为是或否（true/false）",
    "bool_type": "应为是或否（true/false）",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "文字过长",
    "too_long": "条目过多",
    "greater_than_equal": "数值过小或超出范围",
    "greater_than": "数值过小或超出范围",
    "less_than_equal": "数值过大或超出范围",
    "less_than": "数值过大或超出范围",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，格式 YYYY-MM-DD",
    "json_invalid": "请求内容不是有效的 JSON",
    "model_attributes_type": "请求内容应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
}
_PLACES = {
    "body": "请求内容",
    "query": "查询参数",
    "path": "地址参数",
    "header": "请求头",
    "cookie": "Cookie",
}


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    place = _PLACES.get(parts[0], parts[0]) if parts else "请求"
    rest = ".".join(parts[1:])
    return f"{place} {rest}".strip()


def describe(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each validation error as ``{"field", "message"}`` in Chinese."""
    return [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in errors]


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type"))
    if kind == "value_error":  # our own validators speak Chinese already
        return str(error.get("msg", "")).removeprefix("Value error, ") or "取值无效"
    return _MESSAGES.get(kind, "取值无效")


_HTTP_DEFAULTS = {
    400: "请求内容无法解析（须为 UTF-8 编码的 JSON）",
    404: "页面或对象不存在",
    405: "不支持该请求方法",
    413: "请求内容过大",
    415: "不支持的内容类型",
}


def _chinese(detail: Any, status: int) -> Any:
    """FastAPI's and Starlette's English defaults replaced; our own (already Chinese) details kept."""
    if isinstance(detail, str) and not any("\u4e00" <= ch <= "\u9fff" for ch in detail):
        return _HTTP_DEFAULTS.get(status, "请求无效")
    return detail


def install(app: FastAPI) -> None:
    """Register the handlers that turn every refusal into a 4xx answer in Chinese."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = describe(list(exc.errors()))
        summary = "；".join(f"{e['field']}：{e['message']}" for e in errors[:5]) or "请求无效"
        return JSONResponse({"detail": f"输入有误：{summary}", "errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": _chinese(exc.detail, exc.status_code)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> JSONResponse:
        log.warning("database refused a value on %s %s: %s", request.method, request.url.path, exc.orig)
        return JSONResponse({"detail": "输入的数值或文字超出允许范围"}, status_code=422)

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return JSONResponse({"detail": "输入的数值超出允许范围"}, status_code=422)
