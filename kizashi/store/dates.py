"""Dates as the store keeps them: an inclusive day range per claim, and overlap with a filter.

A claim's range is its own time when that has a year, else its article's publication date.
Filters keep the claims whose range overlaps theirs; a stored range spans at most a year, so a
range's start is at most 366 days before its end, which lets the date indexes stop early.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

_ISO_PREFIX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def iso_day_range(value: str | None) -> tuple[str | None, str | None]:
    """First and last day an ISO prefix covers: ``"2023-09"`` → ``("2023-09-01", "2023-09-30")``.

    ``(None, None)`` when the value has no year (``"--09-12"``) or is not a date.
    """
    match = _ISO_PREFIX.match(value or "")
    if not match:
        return None, None
    year = int(match.group(1))
    month, day = (int(g) if g else None for g in match.groups()[1:])
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if not 1 <= month <= 12:
        return None, None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        return None, None
    return (f"{year:04d}-{month:02d}-{day:02d}",) * 2


def claim_days(time: str | None, published: str | None) -> tuple[str | None, str | None]:
    """A claim's day range: its own time's, else its article's publication date's."""
    low, high = iso_day_range(time)
    return (low, high) if low is not None else iso_day_range(published)


def filter_days(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """The first day of ``date_from`` and the last of ``date_to``."""
    return (iso_day_range(date_from)[0] if date_from else None, iso_day_range(date_to)[1] if date_to else None)


def index_floor(low: str) -> str | None:
    """The earliest start a range overlapping ``low`` onwards can have (None before year 2)."""
    start = date.fromisoformat(low)
    return (start - timedelta(days=366)).isoformat() if start.year > 1 else None


def overlap(model: Any, date_from: str | None, date_to: str | None) -> list[Any]:
    """Conditions on ``model.date_min``/``date_max`` that keep the ranges overlapping the filter's."""
    low, high = filter_days(date_from, date_to)
    conditions = []
    if low is not None:
        conditions.append(model.date_max >= low)
        if floor := index_floor(low):
            conditions.append(model.date_min >= floor)
    if high is not None:
        conditions.append(model.date_min <= high)
    return conditions
