"""Uploading articles: the files go through the same ingest path as the CLI.

The request is checked before any byte of its body is read: the token (401/403), the declared
size (411/413), a free upload place (503, ``KIZASHI_CONCURRENT_UPLOADS``). The body must then
arrive within ``KIZASHI_UPLOAD_TIMEOUT`` seconds (408), and every file's name must be one a file
system takes (415, 422). Only then are the files written to a temporary directory and handed to
``ingest_paths``. A store that is busy or unreachable makes the upload a 503 to retry.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from python_multipart.multipart import DEFAULT_MAX_HEADER_SIZE as MAX_HEADER_SIZE
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ...config import Options, Settings
from ...exc import KizashiError, StoreError
from ...model import Document
from ...store import Store
from ...store.repository import SaveResult
from ...workflow import IngestReport, ingest_paths
from ..deps import OptionsDep, SettingsDep, StoreDep, WriteAuth
from ..limits import RETRY_AFTER, Slots, store_unavailable
from ..schemas import FailedFile, UploadReport, errors

router = APIRouter(prefix="/api", tags=["documents"])

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
FIELD = "files"
MAX_FILES = 200
MAX_NAME_BYTES = 255  # what ext4, XFS, btrfs, APFS and NTFS take for one name
_COPY_CHUNK = 1024 * 1024
_PIPELINE = threading.Lock()  # one upload at a time through the language model, which is not thread-safe

_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": [FIELD],
    "properties": {FIELD: {"type": "array", "items": {"type": "string", "format": "binary"},
                           "description": f"Article files: {', '.join(ALLOWED_SUFFIXES)}."}}}}}}


def upload_name(filename: str | None) -> str:
    """The file's own name, without any directory a client may have sent."""
    raw = filename or ""
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise HTTPException(422, f"{FIELD}: the file name {_shown(raw)} holds a NUL or another control character")
    name = PureWindowsPath(PurePosixPath(raw).name).name.strip()
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise HTTPException(422, f"{FIELD}: the file name {_shown(name)} is longer than the {MAX_NAME_BYTES} bytes "
                                 "a file system takes")
    if not name or name.startswith("."):
        raise HTTPException(415, f"unsupported file name {filename!r}: allowed types are {', '.join(ALLOWED_SUFFIXES)}")
    if PurePosixPath(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise HTTPException(415, f"unsupported file type {name!r}: allowed types are {', '.join(ALLOWED_SUFFIXES)}")
    return name


def _shown(name: str) -> str:
    return repr(name if len(name) <= 60 else name[:60] + "…")


def _check_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        raise HTTPException(411, "uploads must declare Content-Length")
    if not declared.isdigit():
        raise HTTPException(400, "Content-Length is not a number")
    if int(declared) > limit:
        raise HTTPException(413, f"upload of {int(declared)} bytes exceeds the limit of {limit} bytes "
                                 "(KIZASHI_MAX_UPLOAD)")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, f"send the files as multipart/form-data in the field {FIELD!r}")


def _save(upload: UploadFile, target: Path, limit: int) -> None:
    """Copy the upload to ``target``, refusing more than ``limit`` bytes whatever the header said."""
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                raise HTTPException(413, f"{target.name} exceeds the upload limit of {limit} bytes")
            out.write(chunk)


async def _read_form(request: Request, settings: Settings) -> FormData:
    """The whole body within the time limit: a client that sends it slowly holds a connection and
    an upload place, so it gets 408 and its connection is closed."""
    try:
        with anyio.fail_after(settings.upload_timeout):
            return await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    except TimeoutError:
        raise HTTPException(408, f"{FIELD}: the upload did not arrive within {settings.upload_timeout:g} s "
                                 "(KIZASHI_UPLOAD_TIMEOUT)", headers={"Connection": "close"}) from None
    except StarletteHTTPException as exc:  # Starlette's word for a body the multipart parser refused
        raise HTTPException(exc.status_code, f"{FIELD}: {exc.detail} (a part's header line, its file name "
                                             f"among it, may hold at most {MAX_HEADER_SIZE:,} bytes)") from None


@router.post("/documents", status_code=201, response_model=UploadReport,
             responses=errors(400, 401, 403, 408, 411, 413, 415, 422, 503) | {200: {"model": UploadReport,
                                                                                   "description": "Nothing new."}},
             openapi_extra={"requestBody": _BODY})
async def upload_documents(request: Request, _auth: WriteAuth, store: StoreDep, settings: SettingsDep,
                           options: OptionsDep) -> Any:
    """Ingest uploaded article files (needs ``Authorization: Bearer <token>``). 201 when something
    new was stored, 200 when everything was already known, 422 when no file could be read, 503
    (with Retry-After) when the server is taking all the uploads it takes at once or the store
    is busy or unreachable."""
    _check_length(request, settings.max_upload_bytes)
    slots: Slots = request.app.state.upload_slots
    if not slots.take():
        raise HTTPException(503, f"{slots.limit} uploads are in progress, the most this server takes at once "
                                 "(KIZASHI_CONCURRENT_UPLOADS): retry shortly",
                            headers={"Retry-After": str(RETRY_AFTER), "Connection": "close"})
    try:
        return await _upload(request, store, settings, options)
    finally:
        slots.give_back()


async def _upload(request: Request, store: Store, settings: Settings, options: Options) -> JSONResponse:
    limit = settings.max_upload_bytes
    form = await _read_form(request, settings)
    try:
        uploads = [value for value in form.getlist(FIELD) if isinstance(value, UploadFile)]
        if not uploads:
            raise HTTPException(422, f"no files: send them in the multipart field {FIELD!r}")
        names = [upload_name(upload.filename) for upload in uploads]  # all checked before any is kept
        tmp = Path(tempfile.mkdtemp(prefix="kizashi-upload-"))
        try:
            paths = []
            for i, (upload, name) in enumerate(zip(uploads, names)):
                folder = tmp / f"{i:03d}"  # one folder per file: two uploads may share a name
                folder.mkdir()
                await run_in_threadpool(_save, upload, folder / name, limit)
                paths.append(folder / name)
            watched = WatchedStore(store)
            try:
                report = await run_in_threadpool(_ingest, paths, watched, options, dict(zip(paths, names)))
            except KizashiError:
                if watched.unavailable is None:
                    raise
            if watched.unavailable is not None:
                raise watched.unavailable
            documents = await run_in_threadpool(store.count_documents)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        await form.close()
    body = _report(report, f"{tmp}/", documents)
    if report.failed and not (report.new or report.near_duplicates or report.duplicates or report.unchanged):
        return JSONResponse({"error": "no uploaded file could be ingested",
                             "failed": [f.model_dump() for f in body.failed]}, status_code=422)
    return JSONResponse(body.model_dump(), status_code=201 if report.new or report.near_duplicates else 200)


class WatchedStore:
    """The store as an upload's ingest sees it, keeping the first error that says the store is busy
    or unreachable: ``ingest_paths`` files every store failure under its document as text, but such
    an upload is a 503 to retry, not a file that could not be read. Once one is seen the rest fail
    at once, instead of each waiting out the busy timeout again."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.unavailable: SQLAlchemyError | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def has_raw(self, raw_sha256: str, version_key: str | None = None) -> bool:
        if self.unavailable is not None:
            raise self.unavailable
        try:
            return self._store.has_raw(raw_sha256, version_key)
        except SQLAlchemyError as exc:
            self._note(exc)
            raise

    def save_document(self, doc: Document) -> SaveResult:
        if self.unavailable is not None:
            raise StoreError(f"could not save {doc.source}: the store is {store_unavailable(self.unavailable)}") \
                from self.unavailable
        try:
            return self._store.save_document(doc)
        except StoreError as exc:
            if isinstance(exc.__cause__, SQLAlchemyError):
                self._note(exc.__cause__)
            raise

    def _note(self, exc: SQLAlchemyError) -> None:
        if self.unavailable is None and store_unavailable(exc):
            self.unavailable = exc


def _ingest(paths: list[Path], store: WatchedStore, options: Options, sources: dict[Path, str]) -> IngestReport:
    """Stored under the client's file names: the temporary copies are gone after the request."""
    with _PIPELINE:
        return ingest_paths(paths, store, options, sources=sources)


def _report(report: IngestReport, prefix: str, documents: int) -> UploadReport:
    """The report in the client's own file names (``003/a.json#2`` → ``a.json#2``)."""
    def name(source: str) -> str:
        return source.removeprefix(prefix).partition("/")[2] or source

    return UploadReport(new=[name(s) for s in report.new], near_duplicates=[name(s) for s in report.near_duplicates],
                        duplicates=[name(s) for s in report.duplicates], unchanged=[name(s) for s in report.unchanged],
                        failed=[FailedFile(file=name(p), reason=r.replace(prefix, "")) for p, r in report.failed],
                        documents=documents)
