"""The ``kizashi`` command: a thin Typer layer over the library."""
from __future__ import annotations

import json
import socket
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .config import Options, db_url, default_db_url
from .exc import KizashiError

out = Console(width=None if Console().is_terminal else 160)
err = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long


class _App(typer.Typer):
    """The Typer app, with our errors as one line and exit 2 instead of a traceback: a store
    that cannot be opened or read, an output that cannot be written."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return super().__call__(*args, **kwargs)
        except KizashiError as exc:
            fail(str(exc))
        except SQLAlchemyError as exc:  # a read of a store that broke after it was opened
            original = getattr(exc, "orig", None) or exc
            fail(f"store {State.db}: {type(original).__name__}: {(str(original).splitlines() or [''])[0]}")
        except OSError as exc:
            fail(f"{exc.filename or 'kizashi'}: {(exc.strerror or str(exc)).lower()}")


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit with ``code``."""
    err.print(f"[red]error[/red] {shown(message)}", highlight=False)
    sys.exit(code)


app = _App(add_completion=False, no_args_is_help=True,
           help="Kizashi: a sourced ledger of claims about the Russia–North Korea exchange.")


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


def plain(value: object) -> Text:
    """Stored text (titles, outlets, sentences) as text: rich would read ``[/red]`` in a
    headline as markup and fail for the whole table."""
    return Text("" if value is None else str(value))


def _store(*, read_only: bool = False):
    """The store of ``--db``; commands that only read open it read-only when they can."""
    from .store import Store

    return Store.open(State.db, read_only=read_only)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.fields[current]}"), console=err,
                    transient=True, disable=not err.is_terminal)


def _count_files(paths: list[Path], own: list[Path]) -> int:
    """Files the run will read (the store's ``own`` files are left out): the bar's first total,
    which grows by a feed's records as each feed is read."""
    from .ingest import iter_files

    skipped = {path.resolve() for path in own}
    return sum(1 for item in iter_files(paths) if not isinstance(item, Path) or item.resolve() not in skipped)


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursive).")],
           workers: Annotated[Optional[int], typer.Option(
               "--workers", min=1, help="Analyse on a local Dask cluster of N worker processes.")] = None,
           scheduler: Annotated[Optional[str], typer.Option(
               "--scheduler", help="Analyse on an existing Dask cluster (tcp://HOST:8786).")] = None,
           batch_size: Annotated[int, typer.Option(
               "--batch-size", min=1, help="Documents per store transaction in a Dask run.")] = 16) -> None:
    """Read articles through the whole pipeline into the store (idempotent, resumable)."""
    from .exc import IngestStopped

    options = Options()
    store = _store()
    stopped: IngestStopped | None = None
    try:
        with _progress() as progress:
            task = progress.add_task("ingest", total=_count_files(paths, store.files), current="")
            grown: set[str] = set()

            def on_record(file: str, source: str, records: int) -> None:
                if records > 1 and file not in grown:  # a feed: count its records, not the file
                    grown.add(file)
                    progress.update(task, total=progress.tasks[0].total + records - 1)
                progress.update(task, advance=1, current=Path(source).name)

            try:
                if workers is None and scheduler is None:
                    from .workflow import ingest_paths

                    report = ingest_paths(paths, store, options, on_record=on_record)
                else:
                    report = _ingest_on_dask(paths, store, options, lambda p: on_record(p, p, 1),
                                             workers or 2, scheduler, batch_size)
            except IngestStopped as exc:
                stopped, report = exc, exc.report
    except KeyboardInterrupt:  # a Dask run, or Ctrl-C between two files' bookkeeping
        fail("interrupted: a rerun resumes where this one stopped (stored documents are kept)", 130)
    finally:
        store.close()
    _print_report(report)
    if stopped is not None:
        fail(stopped.reason, 130 if stopped.reason.startswith("interrupted") else 2)
    if report.failed:
        raise typer.Exit(1)


def _print_report(report) -> None:
    """Each failure and each file not analysed on stderr, then the one summary line."""
    for path, reason in report.failed:
        err.print(f"[red]error[/red] {shown(path)}: {shown(reason)}", highlight=False)
    for path, language in report.not_japanese:
        err.print(f"[yellow]not analysed[/yellow] {shown(path)}: language {shown(language)} "
                  f"(Kizashi analyses Japanese only)", highlight=False)
    other = f", {len(report.not_japanese)} not analysed (not Japanese)" if report.not_japanese else ""
    if report.versions:
        other += f"; {len(report.versions)} of them a new version of a stored article (the old one kept as history)"
    out.print(f"ingested: {len(report.new)} new, {len(report.near_duplicates)} near-duplicate, "
              f"{len(report.duplicates)} duplicate, {len(report.unchanged)} unchanged, "
              f"{len(report.failed)} failed{other}", highlight=False)


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

    store = _store(read_only=True)
    try:
        doc = store.get_document(doc_id)
        versions = store.versions(doc.id) if doc is not None else []
    finally:
        store.close()
    if doc is None:
        fail(f"no document with id {doc_id!r}")
    if format is ShowFormat.json:
        out.print_json(json.dumps(document_to_contract(doc), ensure_ascii=False))
        return
    _print_document(doc)
    _print_versions(doc, versions)


def _print_versions(doc, versions) -> None:
    """An article stored in several versions: which one this is, and the others."""
    if doc.superseded_by:
        out.print(plain(f"an earlier version, kept as history: its claims are not in the ledger "
                        f"(superseded by {doc.superseded_by})"))
    if len(versions) > 1:
        out.print(plain("versions, oldest first: " + ", ".join(
            f"{v.id[:12]} ({v.created_at:%Y-%m-%d %H:%M}{', current' if v.superseded_by is None else ''})"
            for v in versions)))


def _print_document(doc) -> None:
    m = doc.metadata
    out.rule(Text(m.title or doc.source, style="bold"))
    out.print(plain(f"id {doc.id}  source {doc.source}\nauthor {m.author}  outlet {m.outlet}  "
                    f"published {m.published}  language {m.language}"))
    out.print(plain(doc.text))
    if doc.removed:
        out.rule("removed")
        for r in doc.removed:
            out.print(Text.assemble((r.reason, "dim"), " ", r.text[:80]))
    table = Table("kind", "id / type", "detail", title="entities and dates")
    for e in doc.entities:
        table.add_row(plain(e.type), plain(e.id), plain(f"{e.name} ({', '.join(e.aliases)}) ×{len(e.mentions)}"))
    for d in doc.dates:
        table.add_row("date", plain(d.value or "—"), plain(f"{d.text} [{d.precision}]"))
    out.print(table)
    _print_claims([doc])


def _claim_column(table: Table) -> Table:
    """The claim's id, whole: it is what ``kizashi claim show`` and the API look up."""
    table.add_column("claim", no_wrap=True, min_width=17)
    return table


def _print_claims(docs) -> None:
    from .export.jsonl import plain_number

    table = _claim_column(Table(title="flows"))
    for name in ("supplier", "recipient", "item", "certainty", "attributed to", "evidence"):
        table.add_column(name)
    table.add_column("why", overflow="fold")  # the whole reason, wrapped, never cut short
    for doc in docs:
        for f in doc.flows:
            table.add_row(*map(plain, (f.claim_id, f.supplier, f.recipient, f.item, f.certainty, f.attributed_to,
                                       f.evidence.text[:60])), plain(shown(f.why or "")))
    out.print(table)
    table = _claim_column(Table(title="events"))
    for name in ("type", "date", "participants", "certainty", "evidence"):
        table.add_column(name)
    for doc in docs:
        for e in doc.events:
            table.add_row(*map(plain, (e.claim_id, e.type, e.date, ",".join(e.participants), e.certainty,
                                       e.evidence.text[:60])))
    out.print(table)
    table = _claim_column(Table(title="figures"))
    for name in ("actor", "item", "value", "unit", "period", "measure", "evidence"):
        table.add_column(name)
    for doc in docs:
        for f in doc.figures:
            table.add_row(*map(plain, (f.claim_id, f.actor, f.item, f"{plain_number(f.value):,}", f.unit, f.period,
                                       f.measure, f.evidence.text[:60])))
    out.print(table)


claim_app = typer.Typer(no_args_is_help=True, help="One claim (flow, event or figure) by its id.")
app.add_typer(claim_app, name="claim")


@claim_app.command("show")
def claim_show(claim_id: Annotated[str, typer.Argument(help="The claim's id (c and 16 hex digits).")],
               format: Annotated[ShowFormat, typer.Option("--format")] = ShowFormat.text) -> None:
    """A claim with its certainty, its reason, the article it is from and its evidence in context."""
    from .claim_ids import DIGITS, PREFIX, is_claim_id
    from .export.jsonl import claim_detail

    if not is_claim_id(claim_id):
        fail(f"claim {claim_id!r}: not a claim id ({PREFIX} and {DIGITS} lowercase hex digits)")
    store = _store(read_only=True)
    try:
        found = store.claim(claim_id)
    finally:
        store.close()
    if found is None:
        fail(f"claim {claim_id}: no claim with this id in the store {store.name}")
    detail = claim_detail(found.kind, found.document, found.position)
    if format is ShowFormat.json:
        out.print_json(json.dumps(detail, ensure_ascii=False))
        return
    _print_claim(detail)


def _print_claim(detail: dict[str, Any]) -> None:
    claim, doc, context = detail["claim"], detail["document"], detail["context"]
    out.rule(Text(f"{detail['kind']} {detail['claim_id']}", style="bold"))
    fields = {k: v for k, v in claim.items() if k not in ("claim_id", "evidence", "why")}
    for name, value in fields.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items() if v not in (None, False))
        out.print(Text.assemble((f"{name:<14}", "dim"), "—" if value is None else str(value)))
    if claim.get("why"):
        out.print(Text.assemble((f"{'why':<14}", "dim"), claim["why"]))
    if "ledger_entry" in detail:
        out.print(Text.assemble((f"{'ledger entry':<14}", "dim"), detail["ledger_entry"]))
    out.print(Text.assemble((f"{'document':<14}", "dim"), doc["id"], "  ", doc["title"] or doc["source"]))
    out.print(plain(f"{'':<14}outlet {doc['outlet'] or '—'}  published {doc['published'] or '—'}"))
    if doc["superseded_by"]:
        out.print(plain(f"an earlier version, kept as history (superseded by {doc['superseded_by']})"))
    evidence = claim["evidence"]
    out.print(Text.assemble((f"{'evidence':<14}", "dim"), f"characters {evidence['start']}–{evidence['end']}"))
    out.print(Text.assemble(context["before"], (context["evidence"], "bold underline"), context["after"]))


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
            err.print(f"error {shown(str(item))}", highlight=False)
            failed += 1
            continue
        try:
            found, _ = analyse_file(item, options)
        except IngestError as exc:
            err.print(f"error {shown(str(exc))}", highlight=False)
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


Limit = Annotated[int, typer.Option(min=0, help="At most this many rows.")]
Offset = Annotated[int, typer.Option(min=0, help="Skip this many rows first.")]


@app.command("list")
def list_documents(limit: Limit = 50, offset: Offset = 0) -> None:
    """Stored documents, newest first."""
    store = _store(read_only=True)
    try:
        rows = store.list_documents(limit=limit, offset=offset)
    finally:
        store.close()
    table = Table("id", "published", "outlet", "title")
    for r in rows:
        table.add_row(*map(plain, (r.id, r.published, r.outlet, r.title)))
    out.print(table)


@app.command()
def summary() -> None:
    """Counts and the ledger at a glance (what `make demo` prints), from the ledger tables."""
    from .analyse.report import counts_line

    store = _store(read_only=True)
    try:
        stats = store.stats()
        docs = store.list_documents(limit=20)
        entries = store.ledger(limit=200, evidence=0).items
    finally:
        store.close()
    out.print(f"[bold]{stats.get('documents', 0)} documents[/bold] in {escape(State.db)}", highlight=False)
    table = Table("id", "published", "outlet", "title", "flows", "events")
    for d in docs:
        table.add_row(*map(plain, (d.id, d.published, d.outlet, (d.title or "")[:40], d.flows, d.events)))
    out.print(table)
    table = Table("supplier → recipient", "item", "certainty", "by source", "articles", "independent sources",
                  title="ledger")
    for e in entries:
        table.add_row(*map(plain, (f"{e.supplier} → {e.recipient}", e.item,
                                   e.certainty + (" (contested)" if e.contested else ""), counts_line(e),
                                   e.article_count, e.independent_sources)))
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
def reanalyse(since: Annotated[Optional[str], typer.Option(
                  "--since", help="Only documents published on or after this day (YYYY-MM-DD).")] = None,
              workers: Annotated[int, typer.Option("--workers", min=1, help="Analysis processes.")] = 1) -> None:
    """Run today's rules again over stored documents they did not analyse (after a rule or
    lexicon change); one transaction per document, resumable."""
    from .reanalysis import due, reanalyse as run_again
    from .store.dates import iso_day_range

    if since is not None and iso_day_range(since)[0] is None:
        fail(f"--since {shown(since)}: not a date (YYYY, YYYY-MM or YYYY-MM-DD)", 2)
    options = Options()
    store = _store()
    try:
        with _progress() as progress:
            task = progress.add_task("reanalyse", total=sum(1 for _ in due(store, since)), current="")
            report = run_again(store, options, since=since, workers=workers,
                               on_document=lambda i: progress.update(task, advance=1, current=i[:12]))
    except KeyboardInterrupt:
        fail("interrupted: a rerun resumes where this one stopped (documents done are kept)", 130)
    finally:
        store.close()
    for doc_id, reason in report.failed:
        err.print(f"[red]error[/red] {doc_id}: {shown(reason)}", highlight=False)
    out.print(f"reanalysed: {len(report.done)} document(s), {len(report.failed)} failed", highlight=False)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def search(query: Annotated[str, typer.Argument(help="Words to find in the clean text (Japanese works).")],
           limit: Limit = 20, offset: Offset = 0) -> None:
    """Full-text search over the stored clean texts."""
    store = _store(read_only=True)
    try:
        hits = store.search(query, limit=limit, offset=offset)
    finally:
        store.close()
    table = Table("id", "title", "snippet")
    for h in hits:
        table.add_row(*map(plain, (h.document_id, h.title, h.snippet)))
    out.print(table)


@app.command()
def query(supplier: Optional[str] = None, recipient: Optional[str] = None, item: Optional[str] = None,
          certainty: Optional[str] = None, date_from: Optional[str] = None, date_to: Optional[str] = None,
          source: Optional[str] = None, outlet: Optional[str] = None, limit: Limit = 100, offset: Offset = 0
          ) -> None:
    """Flows in the ledger, filtered (ids are ISO 3166 codes, items the contract's vocabulary)."""
    store = _store(read_only=True)
    try:
        rows = store.flows(supplier=supplier, recipient=recipient, item=item, certainty=certainty,
                           date_from=date_from, date_to=date_to, source=source, outlet=outlet,
                           limit=limit, offset=offset)
    except ValueError as exc:
        fail(f"bad filter: {exc}")
    finally:
        store.close()
    table = _claim_column(Table())
    for name in ("supplier → recipient", "item", "certainty", "attributed to", "outlet", "published", "evidence"):
        table.add_column(name)
    table.add_column("why", overflow="fold")
    for r in rows:
        table.add_row(*map(plain, (r.claim_id, f"{r.supplier} → {r.recipient}", r.item, r.certainty, r.attributed_to,
                                   r.outlet, r.published, r.evidence_text[:50], shown(r.why or ""))))
    out.print(table)


@app.command()
def report(out_dir: Annotated[Path, typer.Option("--out", help="Directory for report.md and report.html.")] = Path("report"),
           title: str = "Kizashi brief: the Russia–North Korea exchange") -> None:
    """Write a Markdown and a self-contained HTML brief of the whole store (both new, or both as they were)."""
    from .analyse.report import analyse_store, to_html, to_markdown
    from .export.output import atomic_text, check_target
    from .store.repository import sqlite_files

    own = sqlite_files(State.db)
    out_dir.mkdir(parents=True, exist_ok=True)
    md, html = out_dir / "report.md", out_dir / "report.html"
    for path in (md, html):  # before the store is read: a bad folder costs nothing
        check_target(path, force=True, protected=own)
    store = _store(read_only=True)
    try:
        analysis = analyse_store(store, title=title)
    finally:
        store.close()
    with atomic_text(md, force=True, protected=own) as md_file, \
            atomic_text(html, force=True, protected=own) as html_file:  # both written before either is renamed
        md_file.write(to_markdown(analysis))
        html_file.write(to_html(analysis))
    out.print(plain(f"wrote {md} and {html}"))


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    graphml = "graphml"
    ftm = "ftm"


@app.command()
def export(format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.jsonl,
           output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File (default: stdout).")] = None,
           force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False
           ) -> None:
    """Export the store as JSON Lines, CSV, GraphML (Gephi, networkx) or FollowTheMoney (Aleph).
    A file is written whole or not at all, never over the store's own files."""
    from contextlib import nullcontext

    from .export import export_documents
    from .export.graphml import store_graph, write_graph
    from .export.output import atomic_text, check_target
    from .store.repository import sqlite_files

    own = sqlite_files(State.db)
    if output is not None:
        check_target(output, force=force, protected=own)  # before the store is read
    store = _store(read_only=True)
    try:
        target = nullcontext(sys.stdout) if output is None else atomic_text(output, force=force, protected=own)
        with target as fh:
            if format is ExportFormat.graphml:  # from the ledger tables
                write_graph(store_graph(store), fh)
            else:  # document by document, as they are read
                export_documents(store.iter_documents(), format.value, fh)
    finally:
        store.close()
    if output is not None:
        err.print(plain(f"wrote {output}"))


@app.command()
def serve(host: str = "127.0.0.1",
          port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0: any free one).")] = 8000) -> None:
    """Start the web app and HTTP API (writes need KIZASHI_API_TOKEN)."""
    from .config import Settings
    from .serve import serve as run_server

    Settings()  # a bad KIZASHI_* value is one line (a KizashiError) before the port is taken
    _check_port(host, port)
    run_server(State.db, host=host, port=port)


def _check_port(host: str, port: int) -> None:
    """Bind the address once before anything is announced, so a busy port or an unknown host
    is one line instead of a "serving" banner followed by a failure."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        fail(f"serve: cannot resolve host {host!r}: {exc.strerror}")
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            fail(f"serve: cannot listen on {host}:{port}: {(exc.strerror or str(exc)).lower()}")
