"""The ``kizashi`` command: a thin Typer layer over the library."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import Options, db_url, default_db_url

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Kizashi: a sourced ledger of claims about the Russia–North Korea exchange.")
out = Console(width=None if Console().is_terminal else 160)
err = Console(stderr=True)


class State:
    db: str = ""


@app.callback()
def main(db: Annotated[Optional[str], typer.Option(
        "--db", help="SQLite file or SQLAlchemy URL (default: $KIZASHI_DB or ./data/kizashi.db).")] = None) -> None:
    State.db = db_url(db) if db else default_db_url()


def shown(text: str) -> str:
    """Text from outside (a file name, a reason quoting one) as the terminal should show it:
    no rich markup (a file may be named [bold]x.txt) and no control characters (escapes)."""
    visible = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return escape(visible)


def _store():
    from .store import Store

    return Store.open(State.db)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.fields[current]}"), console=err,
                    transient=True, disable=not err.is_terminal)


def _count_files(paths: list[Path]) -> int:
    from .ingest import iter_files

    return sum(1 for _ in iter_files(paths))


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursive).")],
           workers: Annotated[Optional[int], typer.Option(
               "--workers", min=1, help="Analyse on a local Dask cluster of N worker processes.")] = None,
           scheduler: Annotated[Optional[str], typer.Option(
               "--scheduler", help="Analyse on an existing Dask cluster (tcp://HOST:8786).")] = None,
           batch_size: Annotated[int, typer.Option(
               "--batch-size", min=1, help="Documents per store transaction in a Dask run.")] = 16) -> None:
    """Read articles through the whole pipeline into the store (idempotent, resumable)."""
    options = Options()
    store = _store()
    try:
        with _progress() as progress:
            task = progress.add_task("ingest", total=_count_files(paths), current="")
            on_file = lambda p: progress.update(task, advance=1, current=Path(p).name)  # noqa: E731
            if workers is None and scheduler is None:
                from .workflow import ingest_paths

                report = ingest_paths(paths, store, options, on_file=on_file)
            else:
                report = _ingest_on_dask(paths, store, options, on_file, workers or 2, scheduler, batch_size)
    finally:
        store.close()
    for path, reason in report.failed:
        err.print(f"[red]error[/red] {shown(path)}: {shown(reason)}", highlight=False)
    out.print(f"ingested: {len(report.new)} new, {len(report.near_duplicates)} near-duplicate, "
              f"{len(report.duplicates)} duplicate, {len(report.unchanged)} unchanged, {len(report.failed)} failed")
    if report.failed:
        raise typer.Exit(1)


def _ingest_on_dask(paths: list[Path], store, options: Options, on_file, workers: int,
                    scheduler: Optional[str], batch_size: int):
    from .cluster import ClusterSpec, close_client, ingest_paths_distributed, open_client

    spec = ClusterSpec(workers=workers, scheduler=scheduler, batch_size=batch_size)
    try:
        client = open_client(spec)
    except (OSError, TimeoutError) as exc:
        err.print(f"[red]error[/red] cannot reach the Dask scheduler {shown(scheduler or '')}: {shown(str(exc))}",
                  highlight=False)
        raise typer.Exit(2) from None
    try:
        return ingest_paths_distributed(paths, store, options, client, spec=spec, on_file=on_file)
    finally:
        close_client(client)


class ShowFormat(str, Enum):
    json = "json"
    text = "text"


@app.command()
def show(doc_id: Annotated[str, typer.Argument(help="Document id (a prefix is enough).")],
         format: Annotated[ShowFormat, typer.Option("--format")] = ShowFormat.text) -> None:
    """One stored document: metadata, clean text, entities, dates and claims."""
    from .export.jsonl import document_to_contract

    store = _store()
    try:
        doc = store.get_document(doc_id)
    finally:
        store.close()
    if doc is None:
        err.print(f"no document with id {doc_id!r}")
        raise typer.Exit(2)
    if format is ShowFormat.json:
        out.print_json(json.dumps(document_to_contract(doc), ensure_ascii=False))
        return
    _print_document(doc)


def _print_document(doc) -> None:
    m = doc.metadata
    out.rule(f"[bold]{m.title or doc.source}")
    out.print(f"id {doc.id}  source {doc.source}\nauthor {m.author}  outlet {m.outlet}  "
              f"published {m.published}  language {m.language}", highlight=False)
    out.print(doc.text, highlight=False)
    if doc.removed:
        out.rule("removed")
        for r in doc.removed:
            out.print(f"[dim]{r.reason}[/dim] {r.text[:80]}", highlight=False)
    table = Table("kind", "id / type", "detail", title="entities and dates")
    for e in doc.entities:
        table.add_row(e.type, e.id, f"{e.name} ({', '.join(e.aliases)}) ×{len(e.mentions)}")
    for d in doc.dates:
        table.add_row("date", d.value or "—", f"{d.text} [{d.precision}]")
    out.print(table)
    _print_claims([doc])


def _print_claims(docs) -> None:
    table = Table("supplier", "recipient", "item", "certainty", "attributed to", "evidence", title="flows")
    table.add_column("why", overflow="fold")  # the whole reason, wrapped, never cut short
    for doc in docs:
        for f in doc.flows:
            table.add_row(f.supplier, f.recipient, f.item, f.certainty, f.attributed_to or "",
                          f.evidence.text[:60], shown(f.why or ""))
    out.print(table)
    table = Table("type", "date", "participants", "certainty", "evidence", title="events")
    for doc in docs:
        for e in doc.events:
            table.add_row(e.type, e.date or "", ",".join(e.participants), e.certainty, e.evidence.text[:60])
    out.print(table)


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


@app.command()
def extract(paths: Annotated[list[Path], typer.Argument(help="Files or directories.")],
            format: Annotated[ExtractFormat, typer.Option("--format")] = ExtractFormat.jsonl) -> None:
    """Run the pipeline without storing; print the extraction contract (one JSON object per document)."""
    from .exc import IngestError
    from .export.jsonl import document_to_contract
    from .ingest import iter_files
    from .workflow import analyse_file

    options = Options()
    failed = 0
    docs = []
    for item in iter_files(paths):
        if isinstance(item, IngestError):
            err.print(f"error {item}", highlight=False)
            failed += 1
            continue
        try:
            found, _ = analyse_file(item, options)
        except IngestError as exc:
            err.print(f"error {exc}", highlight=False)
            failed += 1
            continue
        for doc in found:
            if format is ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(document_to_contract(doc), ensure_ascii=False) + "\n")
            docs.append(doc)
    if format is ExtractFormat.table:
        _print_claims(docs)
    if failed:
        raise typer.Exit(1)


@app.command("list")
def list_documents(limit: int = 50, offset: int = 0) -> None:
    """Stored documents, newest first."""
    store = _store()
    try:
        rows = store.list_documents(limit=limit, offset=offset)
    finally:
        store.close()
    table = Table("id", "published", "outlet", "title")
    for r in rows:
        table.add_row(r.id, r.published or "", r.outlet or "", r.title or "")
    out.print(table)


@app.command()
def summary() -> None:
    """Counts and the ledger at a glance (what `make demo` prints), from the ledger tables."""
    from .analyse.report import counts_line

    store = _store()
    try:
        stats = store.stats()
        docs = store.list_documents(limit=20)
        entries = store.ledger(limit=200, evidence=0).items
    finally:
        store.close()
    out.print(f"[bold]{stats.get('documents', 0)} documents[/bold] in {State.db}", highlight=False)
    table = Table("id", "published", "outlet", "title", "flows", "events")
    for d in docs:
        table.add_row(d.id, d.published or "", d.outlet or "", (d.title or "")[:40], str(d.flows), str(d.events))
    out.print(table)
    table = Table("supplier → recipient", "item", "certainty", "by source", "articles", "independent sources",
                  title="ledger")
    for e in entries:
        table.add_row(f"{e.supplier} → {e.recipient}", e.item, e.certainty + (" (contested)" if e.contested else ""),
                      counts_line(e), str(e.article_count), str(e.independent_sources))
    out.print(table)


@app.command()
def check(repair: Annotated[bool, typer.Option("--repair", help="Rebuild the ledger tables if they differ.")] = False
          ) -> None:
    """Recompute the ledger tables from the stored documents and report any difference (exit 1)."""
    store = _store()
    try:
        report = store.check()
        for table, rows in report.rows.items():
            found = report.differences.get(table) or []
            out.print(f"{table}: {rows} row(s), {'ok' if not found else 'DIFFERS'}", highlight=False)
            for line in found:
                out.print(f"  {shown(line)}", highlight=False)
        if report.ok:
            out.print(f"ledger tables match the {report.documents} stored document(s)")
            return
        if repair:
            store.rebuild_ledger()
            out.print("ledger tables rebuilt from the documents")
            return
        err.print("the ledger tables differ from the documents: run `kizashi check --repair`")
        raise typer.Exit(1)
    finally:
        store.close()


@app.command()
def search(query: Annotated[str, typer.Argument(help="Words to find in the clean text (Japanese works).")],
           limit: int = 20, offset: int = 0) -> None:
    """Full-text search over the stored clean texts."""
    store = _store()
    try:
        hits = store.search(query, limit=limit, offset=offset)
    finally:
        store.close()
    table = Table("id", "title", "snippet")
    for h in hits:
        table.add_row(h.document_id, h.title or "", h.snippet)
    out.print(table)


@app.command()
def query(supplier: Optional[str] = None, recipient: Optional[str] = None, item: Optional[str] = None,
          certainty: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None,
          source: Optional[str] = None, outlet: Optional[str] = None, limit: int = 100, offset: int = 0) -> None:
    """Flows in the ledger, filtered (ids are ISO 3166 codes, items the contract's vocabulary)."""
    store = _store()
    try:
        rows = store.flows(supplier=supplier, recipient=recipient, item=item, certainty=certainty,
                           date_from=date_from, date_to=date_to, source=source, outlet=outlet,
                           limit=limit, offset=offset)
    except ValueError as exc:
        err.print(f"bad filter: {exc}")
        raise typer.Exit(2)
    finally:
        store.close()
    table = Table("supplier → recipient", "item", "certainty", "attributed to", "outlet", "published", "evidence")
    table.add_column("why", overflow="fold")
    for r in rows:
        table.add_row(f"{r.supplier} → {r.recipient}", r.item, r.certainty, r.attributed_to or "",
                      r.outlet or "", r.published or "", r.evidence_text[:50], shown(r.why or ""))
    out.print(table)


@app.command()
def report(out_dir: Annotated[Path, typer.Option("--out", help="Directory for report.md and report.html.")] = Path("report"),
           title: str = "Kizashi brief: the Russia–North Korea exchange") -> None:
    """Write a Markdown and a self-contained HTML brief of the whole store."""
    from .analyse.report import analyse_store, write_report

    store = _store()
    try:
        analysis = analyse_store(store, title=title)
    finally:
        store.close()
    md, html = write_report(analysis, out_dir)
    out.print(f"wrote {md} and {html}")


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    graphml = "graphml"
    ftm = "ftm"


@app.command()
def export(format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.jsonl,
           output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File (default: stdout).")] = None
           ) -> None:
    """Export the store as JSON Lines, CSV, GraphML (Gephi, networkx) or FollowTheMoney (Aleph)."""
    from .export import export_documents
    from .export.graphml import store_graph, write_graph

    store = _store()
    try:
        fh = sys.stdout if output is None else output.open("w", encoding="utf-8", newline="")
        try:
            if format is ExportFormat.graphml:  # from the ledger tables
                write_graph(store_graph(store), fh)
            else:  # document by document, as they are read
                export_documents(store.iter_documents(), format.value, fh)
        finally:
            if output is not None:
                fh.close()
    finally:
        store.close()
    if output is not None:
        err.print(f"wrote {output}")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Start the web app and HTTP API (writes need KIZASHI_API_TOKEN)."""
    from .serve import serve as run_server

    run_server(State.db, host=host, port=port)
