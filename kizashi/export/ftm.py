"""FollowTheMoney entities (Aleph, OpenSanctions tooling), one JSON object per line.

FtM has no schema for a state or an arms shipment, so: states are
``PublicBody`` (a country is an actor here, not a territory), people
``Person``, organisations ``Organization``, places ``Address``; each article
is an ``Article``; each flow claim is an ``UnknownLink`` (supplier → recipient,
role = item, status = certainty, the words that decided it as a second
``summary``) and each event an ``Event``, both with the evidence sentence as
``description``, the article as ``proof`` and the claim's id (claim_ids.py) as a ``recordId``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from followthemoney import model
from followthemoney.proxy import EntityProxy

from ..analyse.lineage import doc_id
from ..model import Document, Entity
from .jsonl import plain_number

KEY_PREFIX = "kizashi"
SCHEMA_BY_TYPE = {"country": "PublicBody", "person": "Person", "organization": "Organization", "place": "Address"}


def entity_proxy_id(entity_id: str) -> str:
    """The same ontology id gives the same FtM id in every export."""
    return model.make_entity("LegalEntity", key_prefix=KEY_PREFIX).make_id("entity", entity_id)


def _entity_proxy(entity: Entity) -> EntityProxy:
    proxy = model.make_entity(SCHEMA_BY_TYPE.get(entity.type, "LegalEntity"), key_prefix=KEY_PREFIX)
    proxy.id = entity_proxy_id(entity.id)
    proxy.add("name", entity.name)
    proxy.add("alias", [a for a in entity.aliases if a != entity.name])
    proxy.add("country", entity.id if entity.type == "country" else entity.country, quiet=True)
    proxy.add("full", entity.name, quiet=True)  # Address only
    return proxy


def _article_proxy(doc: Document) -> EntityProxy:
    meta = doc.metadata
    proxy = model.make_entity("Article", key_prefix=KEY_PREFIX)
    proxy.make_id("article", doc_id(doc))
    proxy.add("title", meta.title)
    proxy.add("name", meta.title or doc.source)
    proxy.add("author", [meta.author, *meta.authors])
    proxy.add("publishedAt", meta.published)
    proxy.add("publisher", meta.outlet)
    proxy.add("sourceUrl", meta.url)
    proxy.add("language", meta.language)
    proxy.add("fileName", doc.source)
    proxy.add("bodyText", doc.text)
    return proxy


def _provenance(proxy: EntityProxy, doc: Document, article: EntityProxy, evidence_text: str) -> None:
    proxy.add("description", evidence_text)
    proxy.add("publisher", doc.metadata.outlet)
    proxy.add("sourceUrl", doc.metadata.url)
    proxy.add("proof", article.id)


def document_proxies(doc: Document, entities: dict[str, EntityProxy]) -> list[EntityProxy]:
    """The article, its flow links and events; the entities they name are collected into ``entities``."""
    for entity in doc.entities:
        proxy = _entity_proxy(entity)
        if proxy.id in entities:
            entities[proxy.id].merge(proxy)
        else:
            entities[proxy.id] = proxy
    article = _article_proxy(doc)
    out = [article]
    names = {e.id: e.name for e in doc.entities}
    for flow in doc.flows:
        link = model.make_entity("UnknownLink", key_prefix=KEY_PREFIX)
        link.make_id("flow", doc_id(doc), flow.supplier, flow.recipient, flow.item,
                     str(flow.evidence.start), str(flow.evidence.end))
        link.add("subject", _ensure(flow.supplier, entities))
        link.add("object", _ensure(flow.recipient, entities))
        link.add("role", flow.item)
        link.add("status", flow.certainty)
        link.add("date", flow.time)
        link.add("recordId", f"{doc_id(doc)}:{flow.evidence.start}-{flow.evidence.end}")
        link.add("recordId", flow.claim_id)  # a value of its own: the claim's stable id (claim_ids.py)
        summary = [flow.certainty]
        if flow.attributed_to:
            summary.append(f"according to {flow.attributed_to}")
        if flow.quantity:
            q = flow.quantity
            summary.append(" ".join(str(x) for x in (plain_number(q.value), q.unit, f"per {q.period}" if q.period else None) if x))
        link.add("summary", "; ".join(summary))
        link.add("summary", flow.why)  # a value of its own, so the one above reads as before
        _provenance(link, doc, article, flow.evidence.text)
        out.append(link)
    for event in doc.events:
        proxy = model.make_entity("Event", key_prefix=KEY_PREFIX)
        proxy.make_id("event", doc_id(doc), event.type, str(event.evidence.start), str(event.evidence.end))
        proxy.add("name", f"{event.type}: {', '.join(names.get(p, p) for p in event.participants)}")
        proxy.add("keywords", event.type)
        proxy.add("recordId", event.claim_id)
        proxy.add("date", event.date)
        proxy.add("involved", [_ensure(p, entities) for p in event.participants])
        proxy.add("summary", event.certainty + (f"; according to {event.attributed_to}" if event.attributed_to else ""))
        _provenance(proxy, doc, article, event.evidence.text)
        out.append(proxy)
    return out


def _ensure(entity_id: str, entities: dict[str, EntityProxy]) -> str:
    """An id the document uses without an Entity still gets a node, named by the id."""
    proxy_id = entity_proxy_id(entity_id)
    if proxy_id not in entities:
        entities[proxy_id] = _entity_proxy(Entity(entity_id, entity_id, "unknown"))
    return proxy_id


def write_ftm(docs: Iterable[Document], out: IO[str]) -> None:
    """Articles, links and events as they come; entities (merged across documents) last."""
    entities: dict[str, EntityProxy] = {}
    for doc in docs:
        for proxy in document_proxies(doc, entities):
            out.write(json.dumps(proxy.to_dict(), ensure_ascii=False) + "\n")
    for proxy in entities.values():
        out.write(json.dumps(proxy.to_dict(), ensure_ascii=False) + "\n")
