"""The web application: JSON API, OpenAPI description and server-rendered pages.

``create_app`` builds a fresh app over one store, so tests and the CLI make
their own. Every error leaves as ``{"error": "..."}`` (or an HTML page for a
browser on a page route), never as a stack trace; a store that is busy or
unreachable is a 503 with Retry-After. The middleware is plain ASGI: Starlette's
``BaseHTTPMiddleware`` would finish a cut-short streamed export as if it were complete.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Options, Settings
from ..exc import KizashiError, StoreError
from ..store import Store
from .limits import RETRY_AFTER, ExportGate, Slots, store_unavailable
from .routes import claims, documents, entities, events, exports, ingest, ledger, pages, search

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
PLOTLY_JS = Path(str(files("plotly") / "package_data" / "plotly.min.js"))
# Inline styles are allowed for plotly's injected <style>; scripts only from this server.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = {"content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff",
                    "referrer-policy": "same-origin"}
DESCRIPTION = """A sourced ledger of claims about the Russia–North Korea exchange, read from Japanese news.

Lists are paginated with `limit` and `offset` and report the `total`. Every offset
(`start`, `end`) points into the article's clean text. Every flow, event and figure has a
`claim_id`, stable across re-analysis; `/api/claims/{claim_id}` reads one claim. Writes need
`Authorization: Bearer <KIZASHI_API_TOKEN>`; without a configured token the API is read-only.
Whole-store exports need the token too when one is configured, and are limited per client
(one at a time, `KIZASHI_EXPORTS_PER_MINUTE`) and in all (`KIZASHI_CONCURRENT_EXPORTS`): 429
with `Retry-After` past that. Uploads past `KIZASHI_CONCURRENT_UPLOADS`, and any request while
the store is busy or unreachable, are 503 with `Retry-After`.
Errors are `{"error": "..."}`."""


def create_app(settings: Settings | None = None, options: Options | None = None) -> FastAPI:
    """An app over the store at ``settings.db`` (opened now, so a bad URL fails before serving)."""
    settings = settings or Settings()
    options = options or Options()
    store = Store.open(settings.db, options=options)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    # No /docs or /redoc: FastAPI loads their scripts from a CDN; /openapi.json is the description.
    app = FastAPI(title="Kizashi", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.options = options
    app.state.store = store
    app.state.upload_slots = Slots(settings.concurrent_uploads)
    app.state.export_gate = ExportGate(settings.concurrent_exports, settings.exports_per_minute)
    _add_error_handlers(app)
    app.add_middleware(RefuseBeforeRouting, allowed_hosts=frozenset(settings.allowed_hosts))
    app.add_middleware(SecurityHeaders)  # added last, so it also covers what RefuseBeforeRouting refuses

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        """plotly.js as shipped inside the plotly package: the pages never load code from a CDN."""
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (documents, claims, ingest, entities, ledger, events, search, exports, pages):
        app.include_router(module.router)
    return app


class RefuseBeforeRouting:
    """Requests refused before any route runs: a NUL in the path or query (PostgreSQL cannot take
    it as a parameter and SQLite's FTS5 reads it as the end of the query, so it would surface as a
    500), and a Host header this server does not answer to (DNS rebinding: a page whose name was
    pointed at this address). ``allowed_hosts`` empty: any Host."""

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str]) -> None:
        self.app, self.allowed_hosts = app, allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            refusal = self.refusal(request)
            if refusal is not None:
                await error_response(request, *refusal)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def refusal(self, request: Request) -> tuple[int, str] | None:
        values = [request.scope["path"], *(part for item in request.query_params.multi_items() for part in item)]
        if any("\x00" in value for value in values):
            return 422, "invalid request: NUL characters are not allowed in the path or query"
        if self.allowed_hosts:
            hosts = request.headers.getlist("host")
            if len(hosts) != 1 or host_name(hosts[0]) not in self.allowed_hosts:
                shown = repr(hosts[0][:100]) if len(hosts) == 1 else f"{len(hosts)} Host headers"
                return 400, (f"invalid request: the Host header {shown} is not a name this server answers to "
                             f"({', '.join(sorted(self.allowed_hosts))}; KIZASHI_ALLOWED_HOSTS)")
        return None


def host_name(value: str) -> str:
    """The name in a Host header, without its port: ``[::1]:8000`` → ``::1``, ``Localhost:80`` → ``localhost``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rpartition(":")[0] if value.count(":") == 1 else value


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


def _wants_html(request: Request) -> bool:
    """A browser on a page route gets an HTML error page; everything else gets JSON."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        page = pages.render(request, "error.html", status_code=status, status=status, message=message)
        page.headers.update(headers or {})
        return page
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_message(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error on %s: %s", request.url.path, exc)
        return _unavailable(request, store_unavailable(exc) or "unavailable")

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> Response:
        """Busy or unreachable: a 503 the client may retry, logged in one line; anything else is a bug."""
        reason = store_unavailable(exc)
        if reason is None:
            log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
            return error_response(request, 500, "internal server error")
        first = (str(getattr(exc, "orig", None) or exc).splitlines() or [""])[0]
        log.warning("store %s on %s %s: %s: %s", reason, request.method, request.url.path,
                    type(getattr(exc, "orig", None) or exc).__name__, first)
        return _unavailable(request, reason)

    @app.exception_handler(KizashiError)
    async def kizashi_error(request: Request, exc: KizashiError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal server error")


def _unavailable(request: Request, reason: str) -> Response:
    """Not the driver's message: it would show the store's address to any client."""
    what = "busy (another writer holds it)" if reason == "busy" else "unavailable"
    return error_response(request, 503, f"the store is {what}: retry in a few seconds",
                          {"Retry-After": str(RETRY_AFTER)})
