"""``kizashi serve``: the HTTP API and the web pages over a store."""
from __future__ import annotations

from sqlalchemy.engine import make_url

from ..config import Options, Settings
from ..config import db_url as as_db_url
from .app import create_app


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the store at ``db_url`` (a path or SQLAlchemy URL) until interrupted;
    the write token comes from KIZASHI_API_TOKEN."""
    import uvicorn

    settings = Settings(db=as_db_url(db_url))
    app = create_app(settings, Options())
    shown = make_url(settings.db).render_as_string(hide_password=True)
    writes = "enabled (bearer token)" if (settings.api_token or "").strip() else "disabled (no KIZASHI_API_TOKEN set)"
    print(f"Kizashi serving {shown} at http://{host}:{port}/ (OpenAPI at /openapi.json; writes {writes})", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


__all__ = ["create_app", "serve"]
