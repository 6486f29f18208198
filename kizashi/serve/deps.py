"""What the routes need from the app, as ``Annotated`` dependency aliases.

The store and the settings live on ``app.state`` (set once by ``create_app``);
routes ask for them by type and never reach for globals, so a test can build
as many apps as it likes. Nothing is computed at start-up: the analysis across
articles is kept in the store's ledger tables.
"""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..analyse.timeline import date_bounds
from ..config import Options, Settings
from ..store import Store

MAX_LIMIT = 500
_ISO_PREFIX = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", re.ASCII)

def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_options(request: Request) -> Options:
    return request.app.state.options


_bearer = HTTPBearer(auto_error=False, description="The server's KIZASHI_API_TOKEN.")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def token_configured(settings: Settings) -> bool:
    """A token of only spaces counts as none: HTTP strips a header's spaces, so it could only ever
    match by accident."""
    return bool((settings.api_token or "").strip())


def check_bearer(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    """``Authorization: Bearer <KIZASHI_API_TOKEN>`` or a 401; the token must be configured."""
    if credentials is None or not credentials.credentials:
        raise HTTPException(401, "missing bearer token (Authorization: Bearer <token>)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), (settings.api_token or "").encode()):
        raise HTTPException(401, "invalid bearer token", headers={"WWW-Authenticate": "Bearer"})


def require_write_token(settings: Annotated[Settings, Depends(get_settings)], credentials: BearerDep) -> None:
    """Writes need the token; with no token configured the server is read-only, which is the safe
    default for a public deployment."""
    if not token_configured(settings):
        raise HTTPException(403, "writes are disabled: no API token is configured (set KIZASHI_API_TOKEN)")
    check_bearer(settings, credentials)


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


# Past any store's size, and far from 2⁶³, where SQLite and PostgreSQL refuse the number (a 500).
MAX_OFFSET = 1_000_000_000
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


def get_paging(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = 50,
               offset: OffsetQuery = 0) -> Paging:
    return Paging(limit, offset)


def iso_date(value: str | None, name: str) -> str | None:
    """Reject what is not an ISO prefix of a real day (not 2024-02-30, not year 0000) with a 422
    the client can read: the store and the timeline would fail on it later, as a 500."""
    if value is not None and not (_ISO_PREFIX.fullmatch(value) and date_bounds(value)):
        raise HTTPException(422, f"{name} must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD (got {value!r})")
    return value


@dataclass(frozen=True)
class DateRange:
    date_from: str | None
    date_to: str | None


def get_date_range(
    date_from: Annotated[str | None, Query(description="Keep claims dated on or after this ISO prefix.")] = None,
    date_to: Annotated[str | None, Query(description="Keep claims dated on or before this ISO prefix.")] = None,
) -> DateRange:
    return DateRange(iso_date(date_from or None, "date_from"), iso_date(date_to or None, "date_to"))


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
OptionsDep = Annotated[Options, Depends(get_options)]
PagingDep = Annotated[Paging, Depends(get_paging)]
DateRangeDep = Annotated[DateRange, Depends(get_date_range)]
WriteAuth = Annotated[None, Depends(require_write_token)]
