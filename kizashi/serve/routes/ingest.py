"""Uploading articles: the files go through the same ingest path as the CLI.

The request is checked before any byte is kept: the token (401/403), the
declared size (411/413), then every file's name (415). Only then are the
files written to a temporary directory and handed to ``ingest_paths``.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ...config import Options
from ...store import Store
from ...workflow import IngestReport, ingest_paths
from ..deps import OptionsDep, SettingsDep, StoreDep, WriteAuth
from ..schemas import FailedFile, UploadReport, errors

router = APIRouter(prefix="/api", tags=["documents"])

ALLOWED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
FIELD = "files"
MAX_FILES = 200
_COPY_CHUNK = 1024 * 1024
_PIPELINE = threading.Lock()  # one upload at a time through the language model, which is not thread-safe

_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": [FIELD],
    "properties": {FIELD: {"type": "array", "items": {"type": "string", "format": "binary"},
                           "description": f"Article files: {', '.join(ALLOWED_SUFFIXES)}."}}}}}}


def upload_name(filename: str | None) -> str:
    """The file's own name, without any directory a client may have sent."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    if not name or name.startswith("."):
        raise HTTPException(415, f"unsupported file name {filename!r}: allowed types are {', '.join(ALLOWED_SUFFIXES)}")
    if PurePosixPath(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise HTTPException(415, f"unsupported file type {name!r}: allowed types are {', '.join(ALLOWED_SUFFIXES)}")
    return name


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


@router.post("/documents", status_code=201, response_model=UploadReport,
             responses=errors(400, 401, 403, 411, 413, 415, 422) | {200: {"model": UploadReport,
                                                                         "description": "Nothing new."}},
             openapi_extra={"requestBody": _BODY})
async def upload_documents(request: Request, _auth: WriteAuth, store: StoreDep, settings: SettingsDep,
                           options: OptionsDep) -> Any:
    """Ingest uploaded article files (needs ``Authorization: Bearer <token>``). 201 when something
    new was stored, 200 when everything was already known, 422 when no file could be read."""
    limit = settings.max_upload_bytes
    _check_length(request, limit)
    async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
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
            report = await run_in_threadpool(_ingest, paths, store, options, dict(zip(paths, names)))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    body = _report(report, f"{tmp}/", store.count_documents())
    if report.failed and not (report.new or report.near_duplicates or report.duplicates or report.unchanged):
        return JSONResponse({"error": "no uploaded file could be ingested",
                             "failed": [f.model_dump() for f in body.failed]}, status_code=422)
    return JSONResponse(body.model_dump(), status_code=201 if report.new or report.near_duplicates else 200)


def _ingest(paths: list[Path], store: Store, options: Options, sources: dict[Path, str]) -> IngestReport:
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
