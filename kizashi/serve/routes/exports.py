"""Every stored document in one of the export formats, streamed as it is written.

The writers take a text stream; a thread runs the writer over the store's documents (read in
batches) into a small bounded queue that the response drains, so memory stays flat whatever
the store's size, and a client that goes away stops the writer at its next write.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import StreamingResponse

from ...export import WRITERS, export_documents
from ...export.graphml import store_graph, write_graph
from ...store import Store
from ..deps import StoreDep
from ..schemas import errors

router = APIRouter(prefix="/api", tags=["exports"])
log = logging.getLogger(__name__)

MEDIA_TYPES = {  # format → (media type, file name extension)
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "graphml": ("application/xml; charset=utf-8", "graphml"),
    "ftm": ("application/x-ndjson; charset=utf-8", "ftm.jsonl"),
}
QUEUED_WRITES = 256  # writes buffered between the writer and the response
_DONE = object()


class _Gone(Exception):
    """The response stopped reading: the client went away."""


class _QueueSink:
    """A text stream whose writes go to the response; blocks while the client is slower."""

    def __init__(self, chunks: queue.Queue, stop: threading.Event) -> None:
        self.chunks, self.stop = chunks, stop

    def write(self, text: str) -> int:
        while not self.stop.is_set():
            try:
                self.chunks.put(text, timeout=1)
                return len(text)
            except queue.Full:
                continue
        raise _Gone


def stream_export(store: Store, fmt: str) -> Iterator[str]:
    chunks: queue.Queue = queue.Queue(maxsize=QUEUED_WRITES)
    stop = threading.Event()

    def run() -> None:
        try:
            if fmt == "graphml":  # the ledger graph: from the ledger tables, not from every document
                write_graph(store_graph(store), _QueueSink(chunks, stop))
            else:
                export_documents(store.iter_documents(), fmt, _QueueSink(chunks, stop))
        except _Gone:
            return
        except Exception:  # the response has begun: the error can only be logged and the file cut short
            log.exception("export %s failed", fmt)
        chunks.put(_DONE)

    threading.Thread(target=run, name=f"export-{fmt}", daemon=True).start()
    try:
        while (chunk := chunks.get()) is not _DONE:
            yield chunk
    finally:
        stop.set()


@router.get("/export/{fmt}", responses={200: {"content": {m: {} for m, _ in MEDIA_TYPES.values()},
                                              "description": "The export file."}} | errors(404),
            response_class=StreamingResponse)
def export(store: StoreDep, fmt: str = Path(description=f"One of: {', '.join(WRITERS)}.")) -> StreamingResponse:
    """jsonl is the extraction contract, csv one row per flow, graphml the ledger graph,
    ftm FollowTheMoney entities; streamed, so any size of store downloads."""
    if fmt not in WRITERS:
        raise HTTPException(404, f"unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}")
    media_type, extension = MEDIA_TYPES.get(fmt, ("text/plain; charset=utf-8", fmt))
    return StreamingResponse(stream_export(store, fmt), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="kizashi.{extension}"'})
