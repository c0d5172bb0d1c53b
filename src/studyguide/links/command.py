"""`studyguide links`: check every resource URL and report problems as FILE:LINE:COL.

Cheap to import (the CLI group imports it on every run): httpx, rich and the catalogue
loader are imported only when the command runs.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import click

from ..data_options import CATALOG_MAYBE, TRACKS_MAYBE, require_data
from .options import LinkOptions, parse_duration
from .result import LinkResult

_DEFAULTS = LinkOptions()


@dataclass(frozen=True)
class Target:
    """A URL to check, the resource it belongs to and where it is written."""

    id: str | None
    url: str
    where: str


def _parse_age(ctx: click.Context, param: click.Parameter, value: str) -> timedelta:
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _check_patterns(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as error:
            raise click.BadParameter(f"{pattern!r} is not a regular expression: {error}") from None
    return value


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _catalogue_targets(catalog: Path, tracks: Path) -> list[Target]:
    from ..errors import StudyGuideError
    from ..validate import load_catalogue

    try:
        catalogue = load_catalogue(catalog, tracks)
    except StudyGuideError as error:
        click.echo(error.report(), err=True)
        click.echo(f"studyguide: {error}", err=True)
        click.get_current_context().exit(1)
    return [Target(r.id, r.url, str(r.locs.get("url", r.loc))) for r in catalogue.resources]


def _file_targets(url_file: Path) -> list[Target]:
    from ..errors import display_path

    shown = display_path(url_file)
    targets = []
    data = url_file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        at = data.count(b"\n", 0, error.start) + 1
        raise click.BadParameter(
            f"{shown}:{at}: not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8",
            param_hint="--url-file",
        ) from None
    for number, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#"):
            col = len(line) - len(line.lstrip()) + 1
            targets.append(Target(None, url, f"{shown}:{number}:{col}"))
    return targets


@contextmanager
def _progress(total: int) -> Iterator[tuple[Callable[[LinkResult], None], Callable[[str], None]]]:
    """(on_result, warn): a rich bar on a terminal, a line per tenth elsewhere (CI logs)."""
    if sys.stderr.isatty() and not _in_ci():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(
            "checking links",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("links", total=total)

            def advance(_: LinkResult) -> None:
                bar.advance(task)

            def warn(message: str) -> None:
                console.print(f"warning: {message}", markup=False, highlight=False)

            yield advance, warn
        return

    done = 0
    step = max(1, total // 10)

    def advance_plain(_: LinkResult) -> None:
        nonlocal done
        done += 1
        if total >= 20 and (done % step == 0 or done == total):
            click.echo(f"links: {done}/{total} checked", err=True)

    def warn_plain(message: str) -> None:
        click.echo(f"warning: {message}", err=True)

    yield advance_plain, warn_plain


@click.command("links")
@CATALOG_MAYBE
@TRACKS_MAYBE
@click.option(
    "--url-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check the URLs in FILE (one per line, # comments) instead of the catalogue.",
)
@click.option(
    "--max-concurrency",
    type=click.IntRange(min=1),
    default=_DEFAULTS.max_concurrency,
    show_default=True,
    help="Requests in flight at once, over all hosts.",
)
@click.option(
    "--per-host",
    type=click.IntRange(min=1),
    default=_DEFAULTS.per_host,
    show_default=True,
    help="Requests in flight at once to one host.",
)
@click.option(
    "--host-interval",
    type=click.FloatRange(min=0),
    default=_DEFAULTS.host_interval,
    show_default=True,
    help="Minimum seconds between the starts of two requests to one host.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=_DEFAULTS.timeout,
    show_default=True,
    help="Seconds allowed for one request.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=_DEFAULTS.retries,
    show_default=True,
    help="Retries after a timeout, connection error, 429 or 5xx.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0),
    default=_DEFAULTS.backoff_base,
    show_default=True,
    help="Seconds before the first retry; doubled for each further one.",
)
@click.option(
    "--max-backoff",
    type=click.FloatRange(min=0),
    default=_DEFAULTS.max_backoff,
    show_default=True,
    help="Cap in seconds on any wait before a retry, Retry-After included.",
)
@click.option(
    "--max-redirects",
    type=click.IntRange(min=0),
    default=_DEFAULTS.max_redirects,
    show_default=True,
    help="Redirects followed before a link counts as broken.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=str(_DEFAULTS.cache_path),
    show_default=True,
    help="Result cache file.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-max-age",
    default="1d",
    metavar="DURATION",
    callback=_parse_age,
    show_default=True,
    help="How long a cached result is trusted: hours (24) or 1d, 12h, 30m, 45s.",
)
@click.option(
    "--cache-failures", is_flag=True, help="Cache failed results too (by default only successes)."
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="REGEX",
    callback=_check_patterns,
    help="Skip URLs matching REGEX (searched anywhere in the URL); repeatable.",
)
@click.option(
    "--warnings-fail", is_flag=True, help="Exit 1 on warnings too (redirects, timeouts, 5xx...)."
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every result to FILE as a JSON report.",
)
@click.option(
    "--user-agent",
    default=_DEFAULTS.user_agent,
    show_default=True,
    help="User-Agent header sent with each request.",
)
def links(
    catalog: Path,
    tracks: Path,
    url_file: Path | None,
    max_concurrency: int,
    per_host: int,
    host_interval: float,
    timeout: float,
    retries: int,
    backoff: float,
    max_backoff: float,
    max_redirects: int,
    cache_path: Path,
    no_cache: bool,
    cache_max_age: timedelta,
    cache_failures: bool,
    exclude: tuple[str, ...],
    warnings_fail: bool,
    json_path: Path | None,
    user_agent: str,
) -> None:
    """Check every resource URL in CATALOG (default resources.yaml).

    Only broken links (4xx) and unreachable hosts fail the run, unless --warnings-fail.
    Exit codes: 0 clean, 1 link problems or an invalid catalogue, 2 usage.
    """
    try:  # the site builds without them: they come with the `links` extra
        import httpx  # noqa: F401
        import rich  # noqa: F401
    except ImportError as missing:
        raise click.ClickException(
            f"studyguide links needs {missing.name}: pip install 'studyguide[links]'"
        ) from None
    ctx = click.get_current_context()
    if url_file is not None:
        targets = _file_targets(url_file)
    else:
        require_data(catalog, tracks)
        targets = _catalogue_targets(catalog, tracks)

    options = LinkOptions(
        max_concurrency=max_concurrency,
        per_host=per_host,
        host_interval=host_interval,
        timeout=timeout,
        retries=retries,
        backoff_base=backoff,
        max_backoff=max_backoff,
        max_redirects=max_redirects,
        cache_path=None if no_cache else cache_path,
        cache_max_age=cache_max_age,
        cache_failures=cache_failures,
        exclude=exclude,
        warnings_fail=warnings_fail,
        user_agent=user_agent,
    )

    import asyncio

    from .checker import check_links
    from .report import build_report, format_problem, summary_line, write_report
    from .result import utc_now

    urls = [t.url for t in targets]
    started_at = utc_now()
    start = time.perf_counter()
    with _progress(len(set(urls))) as (advance, warn):
        results = asyncio.run(check_links(urls, options, progress=advance, warn=warn))
    elapsed = time.perf_counter() - start

    by_url = {r.url: r for r in results}
    errors = warnings = 0
    for target in targets:
        result = by_url[target.url]
        line = format_problem(target.where, result, warnings_fail)
        if line is None:
            continue
        click.echo(line, err=True)
        if result.severity(warnings_fail) == "error":
            errors += 1
        else:
            warnings += 1
    click.echo(summary_line(results, elapsed), err=True)

    if json_path is not None:
        report = build_report(((t.id, by_url[t.url]) for t in targets), started_at, warnings_fail)
        write_report(json_path, report)
    if errors or warnings:
        click.echo(
            f"studyguide links: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}",
            err=True,
        )
    ctx.exit(1 if errors else 0)
