"""Link health: a concurrent, polite link checker with a result cache.

`check_links` (the async core, in `checker`) is imported lazily, so that `load_report` and
the CLI command stay cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .options import LinkOptions, parse_duration
from .report import load_report
from .result import LinkResult, LinkStatus, Redirect

if TYPE_CHECKING:
    from .checker import check_links

__all__ = [
    "LinkOptions",
    "LinkResult",
    "LinkStatus",
    "Redirect",
    "check_links",
    "load_report",
    "parse_duration",
]


def __getattr__(name: str) -> Any:
    if name == "check_links":
        from .checker import check_links

        return check_links
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
