"""The link checker's knobs, with lychee-like defaults.

Kept free of heavy imports: the CLI reads the defaults from here at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from .. import __version__

DEFAULT_USER_AGENT = f"studyguide-links/{__version__} (study-guide link checker; python-httpx)"

_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)([wdhms])")
_UNIT_SECONDS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}


@dataclass(frozen=True)
class LinkOptions:
    """How hard and how politely to check.

    `host_interval` is the minimum time between the starts of two requests to one host;
    `max_backoff` caps both exponential backoff and `Retry-After`.
    """

    max_concurrency: int = 128
    per_host: int = 10
    host_interval: float = 0.05
    timeout: float = 20.0
    retries: int = 3
    backoff_base: float = 1.0
    max_backoff: float = 60.0
    max_redirects: int = 10
    cache_path: Path | None = Path(".linkcache.json")
    cache_max_age: timedelta = timedelta(days=1)
    cache_failures: bool = False
    exclude: tuple[str, ...] = ()
    warnings_fail: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    # Statuses HEAD answers with that GET may not: servers often get HEAD wrong.
    head_fallback: frozenset[int] = field(
        default=frozenset({400, 403, 404, 405, 406, 410, 500, 501})
    )

    def __post_init__(self) -> None:
        problems = [
            name
            for name, ok in (
                ("max_concurrency", self.max_concurrency >= 1),
                ("per_host", self.per_host >= 1),
                ("host_interval", self.host_interval >= 0),
                ("timeout", self.timeout > 0),
                ("retries", self.retries >= 0),
                ("backoff_base", self.backoff_base >= 0),
                ("max_backoff", self.max_backoff >= 0),
                ("max_redirects", self.max_redirects >= 0),
            )
            if not ok
        ]
        if problems:
            raise ValueError(f"invalid link options: {', '.join(problems)}")
        for pattern in self.exclude:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"invalid exclude pattern {pattern!r}: {error}") from None


def parse_duration(text: str) -> timedelta:
    """'90' (hours), '1d', '12h', '30m', '45s', '1d12h' -> timedelta; ValueError otherwise."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return timedelta(hours=float(text))
    pos, seconds = 0, 0.0
    for match in _DURATION_RE.finditer(text):
        if match.start() != pos:
            break
        seconds += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if not text or pos != len(text):
        raise ValueError(
            f"{text!r} is not a duration; use hours (24) or units like 1d, 12h, 30m, 45s"
        )
    return timedelta(seconds=seconds)
