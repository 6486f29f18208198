"""`python -m kizashi` is the `kizashi` command."""
from .cli import app

app(prog_name="kizashi")
