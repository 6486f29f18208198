"""Ingest: files on disk to ``Document``s with decoded, normalised (not yet cleaned) text."""
from .encodings import decode_bytes
from .files import iter_files
from .normalise import normalise_text
from .readers import read_file

__all__ = ["decode_bytes", "iter_files", "normalise_text", "read_file"]
