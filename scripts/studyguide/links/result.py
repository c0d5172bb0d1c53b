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
        """The inverse of to_json; ValueError (or TypeError) on anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("expected an object")
        code = data.get("code")
        if code is not None and (not isinstance(code, int) or isinstance(code, bool)):
            raise ValueError(f"bad code {code!r}")
        redirects = tuple(
            Redirect(int(r["code"]), str(r["url"])) for r in data.get("redirects", [])
        )
        checked_at = str(data["checked_at"])
        parse_iso(checked_at)
        return cls(
            url=str(data["url"]),
            status=LinkStatus(data["status"]),
            code=code,
            final_url=_optional_str(data.get("final_url")),
            redirects=redirects,
            permanent_redirect=bool(data.get("permanent_redirect", False)),
            suggested_url=_optional_str(data.get("suggested_url")),
            message=str(data.get("message", "")),
            attempts=int(data.get("attempts", 0)),
            checked_at=checked_at,
            from_cache=bool(data.get("from_cache", False)),
        )


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)
