"""What checking one link found, and how much it matters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

Severity = Literal["error", "warning"]


class LinkStatus(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"
    BROKEN = "broken"  # 4xx other than 429, a redirect loop, a dead end
    RATE_LIMITED = "rate-limited"
    SERVER_ERROR = "server-error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"  # DNS, connection or TLS failure
    SKIPPED = "skipped"  # matched an exclude pattern


SUCCESSES = frozenset({LinkStatus.OK, LinkStatus.REDIRECTED})
ERRORS = frozenset({LinkStatus.BROKEN, LinkStatus.UNREACHABLE})


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """ISO 8601 with a timezone; ValueError otherwise."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no timezone")
    return moment


@dataclass(frozen=True)
class Redirect:
    """One hop: the status that redirected and where it pointed."""

    code: int
    url: str


@dataclass(frozen=True)
class LinkResult:
    """`attempts` counts the HTTP requests sent for this link (HEAD, GET fallback, redirect
    hops and retries); `final_url` is where the redirect chain ended (the URL itself when
    there was none); `suggested_url` is the end of the leading run of permanent redirects."""

    url: str
    status: LinkStatus
    code: int | None = None
    final_url: str | None = None
    redirects: tuple[Redirect, ...] = ()
    permanent_redirect: bool = False
    suggested_url: str | None = None
    message: str = ""
    attempts: int = 0
    checked_at: str = ""
    from_cache: bool = False

    def severity(self, warnings_fail: bool = False) -> Severity | None:
        """None when there is nothing to report.

        Excluded links and temporary redirects are deliberate or the site's own business,
        so they are not problems; everything else that is not `ok` warns, or fails the run
        with `warnings_fail`.
        """
        if self.status in ERRORS:
            return "error"
        if self.status in (LinkStatus.OK, LinkStatus.SKIPPED):
            return None
        if self.status is LinkStatus.REDIRECTED and not self.permanent_redirect:
            return None
        return "error" if warnings_fail else "warning"

    def describe(self) -> str:
        """'broken (HTTP 404 Not Found)', 'redirected permanently to URL; update the URL'."""
        if self.status is LinkStatus.REDIRECTED and self.permanent_redirect:
            return f"redirected permanently to {self.suggested_url}; update the URL"
        return f"{self.status} ({self.message})" if self.message else str(self.status)

    def cached(self) -> LinkResult:
        return replace(self, from_cache=True, attempts=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": str(self.status),
            "code": self.code,
            "final_url": self.final_url,
            "redirects": [{"code": r.code, "url": r.url} for r in self.redirects],
            "permanent_redirect": self.permanent_redirect,
            "suggested_url": self.suggested_url,
            "message": self.message,
            "attempts": self.attempts,
            "checked_at": self.checked_at,
            "from_cache": self.from_cache,
        }

    @classmethod
    def from_json(cls, data: Any) -> LinkResult:
        """The inverse of to_json, strict about every type: ValueError on anything else, so
        that a hand-edited or hostile file never reaches a page or a template as the wrong
        kind of value."""
        if not isinstance(data, dict):
            raise ValueError("expected an object")
        redirects = data.get("redirects", [])
        if not isinstance(redirects, list):
            raise ValueError("'redirects' must be a list")
        checked_at = _text(data, "checked_at")
        parse_iso(checked_at)
        return cls(
            url=_text(data, "url"),
            status=LinkStatus(_text(data, "status")),
            code=_whole(data, "code", optional=True),
            final_url=_text(data, "final_url", optional=True),
            redirects=tuple(
                Redirect(_whole(r, "code"), _text(r, "url"))
                if isinstance(r, dict)
                else _refuse("a redirect must be an object")
                for r in redirects
            ),
            permanent_redirect=_flag(data, "permanent_redirect"),
            suggested_url=_text(data, "suggested_url", optional=True),
            message=_text(data, "message", optional=True) or "",
            attempts=_whole(data, "attempts", optional=True) or 0,
            checked_at=checked_at,
            from_cache=_flag(data, "from_cache"),
        )


def _refuse(message: str) -> Any:
    raise ValueError(message)


def _text(data: dict[str, Any], key: str, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be text, got {type(value).__name__}")
    return value


def _whole(data: dict[str, Any], key: str, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**6:
        raise ValueError(f"{key!r} must be a whole number, got {value!r:.40}")
    return value


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key!r} must be true or false")
    return value
