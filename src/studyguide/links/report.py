"""Reporting link results: diagnostics lines, the summary line and the JSON report.

The JSON report (`studyguide links --json FILE`) has this stable shape; readers must
ignore keys they do not know, and `version` changes only when a key changes meaning:

    {
      "version": 1,
      "generated_at": "2026-01-31T12:00:00Z",
      "results": [
        {
          "id": "resource-id" | null,        # null when checking a plain URL list
          "url": "https://...",
          "status": "ok" | "redirected" | "broken" | "rate-limited" | "server-error"
                    | "timeout" | "unreachable" | "skipped",
          "code": 200 | null,                 # last HTTP status seen, if any
          "final_url": "https://..." | null,  # where redirects ended (the url itself if none)
          "permanent_redirect": false,
          "suggested_url": "https://..." | null,  # for a permanent redirect: use this instead
          "severity": "error" | "warning" | null,
          "message": "HTTP 404 Not Found",
          "checked_at": "2026-01-31T12:00:00Z",
          "from_cache": false
        }
      ]
    }

Kept free of network imports: the site plugin imports `load_report`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .cache import atomic_write_json
from .result import LinkResult, LinkStatus, iso_utc

REPORT_VERSION = 1


def build_report(
    entries: Iterable[tuple[str | None, LinkResult]],
    generated_at: datetime,
    warnings_fail: bool = False,
) -> dict[str, Any]:
    """`entries` pairs each result with its resource id (None for plain URLs)."""
    return {
        "version": REPORT_VERSION,
        "generated_at": iso_utc(generated_at),
        "results": [
            {
                "id": rid,
                "url": r.url,
                "status": str(r.status),
                "code": r.code,
                "final_url": r.final_url,
                "permanent_redirect": r.permanent_redirect,
                "suggested_url": r.suggested_url,
                "severity": r.severity(warnings_fail),
                "message": r.message,
                "checked_at": r.checked_at,
                "from_cache": r.from_cache,
            }
            for rid, r in entries
        ],
    }


def write_report(path: Path, report: dict[str, Any]) -> None:
    atomic_write_json(path, report)


def load_report(path: Path | str) -> dict[str, LinkResult]:
    """url -> typed result of a JSON report. ValueError, naming the file and the entry, when it
    cannot be read or is not a version-1 report; the caller decides whether that is fatal."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"{path}: cannot read the link report: {error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: the link report is not valid JSON: {error}") from error
    except RecursionError:
        raise ValueError(f"{path}: the link report nests too deeply to be one") from None
    if not isinstance(data, dict) or data.get("version") != REPORT_VERSION:
        raise ValueError(
            f"{path}: not a studyguide link report (expected an object with version "
            f"{REPORT_VERSION})"
        )
    results = data.get("results")
    if not isinstance(results, list):
        raise ValueError(f"{path}: the link report has no 'results' list")
    by_url: dict[str, LinkResult] = {}
    for i, entry in enumerate(results):
        try:
            result = LinkResult.from_json(entry)
        except ValueError as error:
            raise ValueError(f"{path}: results[{i}] is not a link result: {error}") from None
        by_url[result.url] = result
    return by_url


def format_problem(where: str, result: LinkResult, warnings_fail: bool = False) -> str | None:
    """'resources.yaml:12:10: error: https://...: broken (HTTP 404 Not Found)', or None."""
    severity = result.severity(warnings_fail)
    if severity is None:
        return None
    return f"{where}: {severity}: {result.url}: {result.describe()}"


def summary_line(results: Sequence[LinkResult], seconds: float) -> str:
    """'checked 34 links: 30 ok, 2 redirected, 1 broken, 1 skipped (12 from cache) in 3.2s'."""
    counts = Counter(r.status for r in results)
    parts = [f"{counts[s]} {s}" for s in LinkStatus if counts[s]]
    cached = sum(r.from_cache for r in results)
    noun = "link" if len(results) == 1 else "links"
    line = f"checked {len(results)} {noun}"
    if parts:
        line += ": " + ", ".join(parts)
    if cached:
        line += f" ({cached} from cache)"
    return f"{line} in {seconds:.1f}s"
