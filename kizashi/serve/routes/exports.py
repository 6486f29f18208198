"""Every stored document in one of the export formats."""
from __future__ import annotations

import io

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response

from ...export import WRITERS, export_documents
from ..deps import StoreDep
from ..schemas import errors

router = APIRouter(prefix="/api", tags=["exports"])

MEDIA_TYPES = {  # format → (media type, file name extension)
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "graphml": ("application/xml; charset=utf-8", "graphml"),
    "ftm": ("application/x-ndjson; charset=utf-8", "ftm.jsonl"),
}


@router.get("/export/{fmt}", responses={200: {"content": {m: {} for m, _ in MEDIA_TYPES.values()},
                                              "description": "The export file."}} | errors(404),
            response_class=Response)
def export(store: StoreDep, fmt: str = Path(description=f"One of: {', '.join(WRITERS)}.")) -> Response:
    """jsonl is the extraction contract, csv one row per flow, graphml the ledger graph,
    ftm FollowTheMoney entities."""
    if fmt not in WRITERS:
        raise HTTPException(404, f"unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}")
    out = io.StringIO()
    export_documents(store.iter_documents(), fmt, out)
    media_type, extension = MEDIA_TYPES.get(fmt, ("text/plain; charset=utf-8", fmt))
    return Response(out.getvalue(), media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="kizashi.{extension}"'})
