"""One claim by its stable id (claim_ids.py): what ``kizashi claim show --format json`` prints."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from ...claim_ids import DIGITS, PREFIX, is_claim_id
from ...export.jsonl import claim_detail
from ...store.repository import FoundClaim
from ..deps import StoreDep
from ..schemas import errors

router = APIRouter(prefix="/api/claims", tags=["claims"])


def found_claim(store: Any, claim_id: str) -> FoundClaim:
    """The claim, else a 404 naming why: a malformed id names no claim, as an unknown one does
    (the page route too; a path that names nothing is not found, as /api/ledger/ID)."""
    if not is_claim_id(claim_id):
        raise HTTPException(404, f"{claim_id!r} is not a claim id ({PREFIX} and {DIGITS} lowercase hex digits)")
    found = store.claim(claim_id)
    if found is None:
        raise HTTPException(404, f"no claim with id {claim_id!r}")
    return found


@router.get("/{claim_id}", responses=errors(404))
def get_claim(claim_id: str, store: StoreDep) -> dict[str, Any]:
    """A flow, event or figure by its id: its fields in the extraction contract's shape, the
    article it is from, its evidence with the words around it, and a flow's ledger entry."""
    found = found_claim(store, claim_id)
    return claim_detail(found.kind, found.document, found.position)
