"""``kizashi serve``: the HTTP API and the web pages over a store."""
from __future__ import annotations

import sys
from dataclasses import replace

from sqlalchemy.engine import make_url

from ..config import Options, Settings
from ..config import db_url as as_db_url
from ..exc import KizashiError
from .app import create_app

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")


def host_names(bind: str) -> tuple[str, ...]:
    """The names a client may reach a server listening on ``bind`` by: its loopback names for a
    loopback address, the address itself otherwise; none (no check) for every address, which any
    name may reach (KIZASHI_ALLOWED_HOSTS then says which)."""
    name = bind.strip().strip("[]").lower()
    if name in WILDCARDS:
        return ()
    if name in LOOPBACK_NAMES or name.startswith("127."):
        return tuple(dict.fromkeys((name, *LOOPBACK_NAMES)))
    return (name,)


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the store at ``db_url`` (a path or SQLAlchemy URL) until interrupted; the write token
    and the limits come from the environment (KIZASHI_API_TOKEN, …). A bad setting or a store
    that cannot be opened is one line on stderr and exit status 2."""
    import uvicorn

    try:
        settings = Settings(db=as_db_url(db_url))
        settings = replace(settings, allowed_hosts=settings.allowed_hosts or host_names(host))
        app = create_app(settings, Options())
    except KizashiError as exc:
        print(f"kizashi serve: {' '.join(str(exc).splitlines())}", file=sys.stderr)
        raise SystemExit(2) from None
    shown = make_url(settings.db).render_as_string(hide_password=True)
    writes = "enabled (bearer token)" if (settings.api_token or "").strip() else "disabled (no KIZASHI_API_TOKEN set)"
    hosts = (f"Host must be one of {', '.join(settings.allowed_hosts)}" if settings.allowed_hosts
             else "Host not checked (set KIZASHI_ALLOWED_HOSTS)")
    print(f"Kizashi serving {shown} at http://{host}:{port}/ (OpenAPI at /openapi.json; writes {writes}; {hosts})",
          flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


__all__ = ["create_app", "serve"]
