"""Every stored document in one of the export formats, streamed as it is written.

A thread runs the writer over the store's documents (read in batches) into a small bounded queue
that the response drains, so memory stays flat whatever the store's size. A whole-store export
needs the API token when one is configured, and ``ExportGate`` limits them per client and in all.
The response ends without its last chunk (the client sees a cut-short download, never a
complete-looking one) when the writer fails or the client stops reading for
``KIZASHI_SEND_TIMEOUT`` seconds; either way, and when the client goes away, the writer stops at
its next write and the export's place is freed.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import AsyncGenerator, Callable
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from ...export import WRITERS, export_documents
from ...export.graphml import store_graph, write_graph
from ...store import Store
from ..deps import BearerDep, SettingsDep, StoreDep, check_bearer, token_configured
from ..limits import ExportGate, store_unavailable
from ..schemas import errors

router = APIRouter(prefix="/api", tags=["exports"])
log = logging.getLogger(__name__)

MEDIA_TYPES = {  # format → (media type, file name extension)
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "graphml": ("application/xml; charset=utf-8", "graphml"),
    "ftm": ("application/x-ndjson; charset=utf-8", "ftm.jsonl"),
}
CHUNK_CHARS = 16 * 1024  # the writer's small writes are gathered into chunks of about this size
QUEUED_CHUNKS = 16  # chunks buffered between the writer and the response: some 256 KiB per export
_DONE = object()


class _Gone(Exception):
    """The response ended: the writer stops."""


class ExportFailed(Exception):
    """The writer raised after the response had begun."""


class _Sink:
    """The text stream the writer writes to (from its own thread): chunks go into the response's
    queue, blocking while the client is slower."""

    def __init__(self, queue: asyncio.Queue, loop: asyncio.AbstractEventLoop, stopped: threading.Event) -> None:
        self.queue, self.loop, self.stopped = queue, loop, stopped
        self.pending: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.pending.append(text)
        self.size += len(text)
        if self.size >= CHUNK_CHARS:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            chunk, self.pending, self.size = "".join(self.pending), [], 0
            self.put(chunk)

    def put(self, item: object) -> None:
        try:
            future = asyncio.run_coroutine_threadsafe(self.queue.put(item), self.loop)
        except RuntimeError:  # the server's loop is closed: it is shutting down
            raise _Gone from None
        while True:
            try:
                future.result(timeout=0.5)
                return
            except concurrent.futures.TimeoutError:
                if self.stopped.is_set():
                    future.cancel()
                    raise _Gone from None


class ExportResponse(StreamingResponse):
    """The export as it is written; ``on_close`` runs once it ends, however it ends."""

    def __init__(self, write: Callable[[_Sink], None], *, name: str, send_timeout: float,
                 on_close: Callable[[], None], media_type: str, headers: dict[str, str]) -> None:
        self.write, self.name, self.send_timeout, self.on_close = write, name, send_timeout, on_close
        self.stopped = threading.Event()
        self.parts = self.chunks()
        super().__init__(self.parts, media_type=media_type, headers=headers)

    async def chunks(self) -> AsyncGenerator[str, None]:
        queue: asyncio.Queue = asyncio.Queue(QUEUED_CHUNKS)
        sink = _Sink(queue, asyncio.get_running_loop(), self.stopped)

        def run() -> None:
            try:
                self.write(sink)
                sink.flush()
                sink.put(_DONE)
            except _Gone:
                return
            except Exception as exc:
                try:
                    sink.put(exc)
                except _Gone:
                    return

        threading.Thread(target=run, name=f"export-{self.name}", daemon=True).start()
        while (item := await queue.get()) is not _DONE:
            if isinstance(item, Exception):
                raise ExportFailed(str(item)) from item
            yield item

    async def stream_response(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        try:
            async for part in self.parts:
                with anyio.fail_after(self.send_timeout):
                    await send({"type": "http.response.body", "body": part.encode(self.charset), "more_body": True})
        except TimeoutError:
            log.warning("export %s: the client read nothing for %g s; connection closed", self.name, self.send_timeout)
            return
        except ExportFailed as exc:
            if store_unavailable(exc.__cause__):
                log.warning("export %s cut short: the store is unavailable (%s)", self.name, exc)
            else:
                log.error("export %s cut short", self.name, exc_info=exc.__cause__)
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.stopped.set()
            self.on_close()
            await self.parts.aclose()


def export_writer(store: Store, fmt: str) -> Callable[[Any], None]:
    if fmt == "graphml":  # the ledger graph: from the ledger tables, not from every document
        return lambda sink: write_graph(store_graph(store), sink)
    return lambda sink: export_documents(store.iter_documents(), fmt, sink)


@router.get("/export/{fmt}", responses={200: {"content": {m: {} for m, _ in MEDIA_TYPES.values()},
                                              "description": "The export file."}} | errors(401, 404, 429, 503),
            response_class=StreamingResponse)
async def export(request: Request, store: StoreDep, settings: SettingsDep, credentials: BearerDep,
                 fmt: str = Path(description=f"One of: {', '.join(WRITERS)}.")) -> StreamingResponse:
    """jsonl is the extraction contract, csv one row per flow, graphml the ledger graph,
    ftm FollowTheMoney entities; streamed, so any size of store downloads. Needs
    ``Authorization: Bearer <token>`` when the server has one; one at a time per client, a few
    per minute (429 with Retry-After past that)."""
    if fmt not in WRITERS:
        raise HTTPException(404, f"unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}")
    if token_configured(settings):
        check_bearer(settings, credentials)
    client = request.client.host if request.client else "unknown"
    gate: ExportGate = request.app.state.export_gate
    refusal = gate.admit(client)
    if refusal is not None:
        raise HTTPException(429, f"too many exports: {refusal.message}", headers={"Retry-After": str(refusal.retry_after)})
    try:
        await run_in_threadpool(store.count_documents)  # a store that is down is a 503 now, not an empty file
    except BaseException:
        gate.release(client)
        raise
    media_type, extension = MEDIA_TYPES.get(fmt, ("text/plain; charset=utf-8", fmt))
    return ExportResponse(export_writer(store, fmt), name=fmt, send_timeout=settings.send_timeout,
                          on_close=lambda: gate.release(client), media_type=media_type,
                          headers={"Content-Disposition": f'attachment; filename="kizashi.{extension}"'})
