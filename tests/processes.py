"""Shared by the tests that start servers as subprocesses."""
from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if the process has not gone within 15 s (a test must not hang on it)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
