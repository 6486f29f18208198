"""Stored articles: the list, and one article with the spans of its claims."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException

from ...analyse.ledger import entry_id
from ...export.jsonl import document_to_contract
from ...model import Document
from ...store.repository import DocumentSummary
from ..deps import PagingDep, StoreDep
from ..schemas import Page, errors, page_of_query

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("", response_model=Page[DocumentSummary], responses=errors(422))
def list_documents(store: StoreDep, paging: PagingDep) -> Page[Any]:
    """Stored articles, newest publication first."""
    return page_of_query(store.list_documents, lambda: (store.count_documents(), False), paging)


@router.get("/{doc_id}", responses=errors(404))
def get_document(doc_id: str, store: StoreDep) -> dict[str, Any]:
    """The extraction contract for one article (metadata, clean text, entities, flows, events,
    figures, dates, removed passages) plus its paragraphs and mentions; every ``start``/``end``
    points into ``text``. Each flow names the ledger entry it belongs to."""
    doc = store.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {doc_id!r}")
    return document_detail(doc)


def document_detail(doc: Document) -> dict[str, Any]:
    body = document_to_contract(doc)
    for flow, out in zip(doc.flows, body["flows"]):
        out["ledger_entry"] = entry_id(flow.supplier, flow.recipient, flow.item)
    body["paragraphs"] = [asdict(p) for p in doc.paragraphs]
    body["mentions"] = [asdict(m) for m in doc.mentions]
    return body
