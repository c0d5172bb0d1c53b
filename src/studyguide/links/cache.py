"""The result cache: a JSON file of recent results, so a re-run asks nothing of fresh links.

Shape: {"format": "studyguide-linkcache", "version": 1, "entries": {url: result}} where a
result is `LinkResult.to_json()`. A file that is not that (corrupt, truncated, some other
tool's) is ignored with a warning and replaced on save, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..atomic import write_atomic
from .result import SUCCESSES, LinkResult, parse_iso

CACHE_FORMAT = "studyguide-linkcache"
CACHE_VERSION = 1


def atomic_write_json(path: Path, data: Any) -> None:
    """Write `data` as JSON in one step: readers never see half a file."""
    write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


@dataclass
class LinkCache:
    path: Path
    entries: dict[str, LinkResult] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    """url -> when this run found it failing: an older success on disk must not come back."""

    @classmethod
    def load(cls, path: Path, warn: Callable[[str], None]) -> LinkCache:
        cache = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cache
        except (OSError, UnicodeDecodeError) as error:
            warn(f"{path}: cannot read the link cache ({error}); checking every link")
            return cache
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            warn(f"{path}: the link cache is not valid JSON ({error}); ignoring it")
            return cache
        except RecursionError:
            warn(f"{path}: the link cache nests too deeply to be one; ignoring it")
            return cache
        if (
            not isinstance(data, dict)
            or data.get("format") != CACHE_FORMAT
            or data.get("version") != CACHE_VERSION
            or not isinstance(data.get("entries"), dict)
        ):
            warn(f"{path}: not a studyguide link cache (version {CACHE_VERSION}); ignoring it")
            return cache
        bad = 0
        for url, entry in data["entries"].items():
            try:
                result = LinkResult.from_json({**entry, "url": url})
            except (ValueError, TypeError):
                bad += 1
                continue
            cache.entries[url] = result
        if bad:
            warn(f"{path}: ignored {bad} malformed link cache entr{'y' if bad == 1 else 'ies'}")
        return cache

    def fresh(
        self, url: str, now: datetime, max_age: timedelta, cache_failures: bool
    ) -> LinkResult | None:
        """The cached result for `url` if it is young enough and of a kind we trust."""
        result = self.entries.get(url)
        if result is None or not (cache_failures or result.status in SUCCESSES):
            return None
        age = now - parse_iso(result.checked_at)
        # A timestamp from the future means a skewed clock: trust nothing.
        if age < timedelta(0) or age > max_age:
            return None
        return result.cached()

    def update(self, results: Iterable[LinkResult], cache_failures: bool) -> None:
        for result in results:
            if result.from_cache:
                continue
            if result.status in SUCCESSES or (cache_failures and result.status != "skipped"):
                self.entries[result.url] = result
            else:
                # An old success must not outlive the failure that replaced it.
                self.entries.pop(result.url, None)
                self.dropped[result.url] = result.checked_at

    def prune(self, now: datetime, max_age: timedelta) -> None:
        self.entries = {
            url: r
            for url, r in self.entries.items()
            if timedelta(0) <= now - parse_iso(r.checked_at) <= max_age
        }

    def merge(self, other: LinkCache) -> None:
        """Take what another run wrote meanwhile: the newer result of each URL wins."""
        for url, theirs in other.entries.items():
            mine = self.entries.get(url)
            if mine is not None:
                if parse_iso(theirs.checked_at) > parse_iso(mine.checked_at):
                    self.entries[url] = theirs
            elif url not in self.dropped or parse_iso(theirs.checked_at) > parse_iso(
                self.dropped[url]
            ):
                self.entries[url] = theirs

    def save(self, warn: Callable[[str], None] | None = None) -> None:
        """Write the cache, merged with whatever another run sharing it saved since we read
        it, so that concurrent runs add up instead of the last writer winning."""
        with FileLock(self.path.with_name(f".{self.path.name.lstrip('.')}.lock"), timeout=60):
            self.merge(LinkCache.load(self.path, warn or (lambda _: None)))
            self._write()

    def _write(self) -> None:
        entries = {}
        for url, result in sorted(self.entries.items()):
            entry = result.to_json()
            del entry["url"], entry["from_cache"]
            entries[url] = entry
        atomic_write_json(
            self.path, {"format": CACHE_FORMAT, "version": CACHE_VERSION, "entries": entries}
        )
