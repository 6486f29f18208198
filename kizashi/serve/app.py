"""The web application: JSON API, OpenAPI description and server-rendered pages.

``create_app`` builds a fresh app over one store, so tests and the CLI make
their own. Every error leaves as ``{"error": "..."}`` (or an HTML page for a
browser on a page route), never as a stack trace.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Options, Settings
from ..exc import KizashiError, StoreError
from ..store import Store
from .routes import documents, entities, events, exports, ingest, ledger, pages, search

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
PLOTLY_JS = Path(str(files("plotly") / "package_data" / "plotly.min.js"))
# Inline styles are allowed for plotly's injected <style>; scripts only from this server.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
DESCRIPTION = """A sourced ledger of claims about the Russia–North Korea exchange, read from Japanese news.

Lists are paginated with `limit` and `offset` and report the `total`. Every offset
(`start`, `end`) points into the article's clean text. Writes need
`Authorization: Bearer <KIZASHI_API_TOKEN>`; without a configured token the API is read-only.
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
    _add_error_handlers(app)
    app.middleware("http")(_refuse_nul)
    app.middleware("http")(_security_headers)  # added last, so it also covers what _refuse_nul refuses

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        """plotly.js as shipped inside the plotly package: the pages never load code from a CDN."""
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (documents, ingest, entities, ledger, events, search, exports, pages):
        app.include_router(module.router)
    return app


async def _refuse_nul(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """A NUL in the path or query is refused here: PostgreSQL cannot take it as a parameter and
    SQLite's FTS5 reads it as the end of the query, so it would otherwise surface as a 500."""
    values = [request.scope["path"], *(part for item in request.query_params.multi_items() for part in item)]
    if any("\x00" in value for value in values):
        return error_response(request, 422, "invalid request: NUL characters are not allowed in the path or query")
    return await call_next(request)


async def _security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _wants_html(request: Request) -> bool:
    """A browser on a page route gets an HTML error page; everything else gets JSON."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        return pages.render(request, "error.html", status_code=status, status=status, message=message)
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
        return error_response(request, 503, f"the store is unavailable: {exc}")

    @app.exception_handler(KizashiError)
    async def kizashi_error(request: Request, exc: KizashiError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal server error")
