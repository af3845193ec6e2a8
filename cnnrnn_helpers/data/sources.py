"""Where data comes from: one resolver for the dataset loaders and the TF Hub module.

The rule of the pack, in every mode (``source=None`` follows ``config.DATA``):

1. a verified cached real copy -> the real data (no network, in any mode);
2. a local copy (the system dataset folder, ``/usr/share/datasets/<name>``
   or under ``CNNRNN_DATASETS_DIR``) -> verified, cached, the real data (a
   local copy is not the network: in any mode, ``offline`` included);
3. ``offline`` and neither -> the offline stand-in (one warning line);
4. ``auto`` / ``online`` -> probe the host (a few seconds), then fetch;
5. a failed fetch -> ``online``: :class:`SourceUnavailable` saying what failed
   and how to work offline; ``auto``: the stand-in, but **only** for network
   errors (see :func:`is_network_error`); anything else (a bug, a checksum
   or format problem, ``MemoryError``, a full disk) propagates.

The connection probe remembers a success for :data:`PROBE_SUCCESS_TTL`
seconds and a failure only for :data:`PROBE_FAILURE_TTL` seconds, so one
network blip does not turn every later load of the session into a stand-in.
"""

from __future__ import annotations

import errno
import http.client
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from .. import config
from .._args import check_choice

__all__ = [
    "AUTO_PROBE_TIMEOUT",
    "ONLINE_PROBE_TIMEOUT",
    "PROBE_FAILURE_TTL",
    "PROBE_SUCCESS_TTL",
    "SourceUnavailable",
    "is_network_error",
    "probe",
    "resolve",
    "resolve_mode",
]

T = TypeVar("T")

AUTO_PROBE_TIMEOUT = 3.0  # seconds; auto mode must fall back quickly
ONLINE_PROBE_TIMEOUT = 10.0
#: Seconds a failed / successful probe is remembered.
PROBE_FAILURE_TTL = 30.0
PROBE_SUCCESS_TTL = 600.0
SOCKET_TIMEOUT = 60.0  # for libraries that download without a timeout

#: (url, timeout) -> (time.monotonic() of the probe, problem or None)
_PROBES: dict[tuple[str, float], tuple[float, str | None]] = {}

#: Exception types that mean "the network, not the data or the code, failed".
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    socket.gaierror,
    socket.herror,
)
_NETWORK_ERRNOS = frozenset(
    getattr(errno, name)
    for name in (
        "ECONNRESET",
        "ECONNREFUSED",
        "ECONNABORTED",
        "ENETUNREACH",
        "ENETDOWN",
        "ENETRESET",
        "EHOSTUNREACH",
        "EHOSTDOWN",
        "ETIMEDOUT",
        "EPIPE",
    )
    if hasattr(errno, name)
)
# Libraries that raise their own classes for network failures.
_NETWORK_MODULES = ("requests.", "urllib3.", "openml.exceptions")
# TensorFlow's (gfile, tensorflow_hub) names for "the remote end did not answer".
_TF_NETWORK_ERRORS = ("UnavailableError", "DeadlineExceededError")


class SourceUnavailable(ConnectionError, RuntimeError):
    """The real data was asked for (``online``) and could not be fetched.

    Both a :class:`ConnectionError` and a :class:`RuntimeError`, so callers
    may catch either.
    """


def resolve_mode(source: str | None) -> str:
    """``None`` -> ``config.DATA``; else one of ``config.DATA_MODES``.

    Raises
    ------
    TypeError, ValueError
        ``source`` is not ``None`` or one of ``auto, online, offline``.
    """
    if source is None:
        return config.DATA
    return check_choice(source, "source", config.DATA_MODES)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_network_error(exc: BaseException) -> bool:
    """True when ``exc`` (or an exception it was raised from) is a network failure.

    Network failures: :data:`NETWORK_ERRORS` (URL, HTTP, connection, timeout
    and DNS errors), an ``OSError`` with a network ``errno`` (connection
    reset, refused, host unreachable ...), the errors of ``requests`` /
    ``urllib3`` / ``openml``'s server exceptions, TensorFlow's
    ``UnavailableError`` / ``DeadlineExceededError`` and Keras' "URL fetch
    failure".  Not: ``MemoryError``, a full disk (``ENOSPC``), ``ValueError``
    (checksums, formats), programming errors.
    """
    for cause in _causes(exc):
        if isinstance(cause, MemoryError | KeyboardInterrupt | SystemExit):
            return False
        if isinstance(cause, NETWORK_ERRORS):
            return True
        if isinstance(cause, OSError) and cause.errno in _NETWORK_ERRNOS:
            return True
        module = type(cause).__module__ + "."
        if module.startswith(_NETWORK_MODULES):
            return True
        if module.startswith("tensorflow.") and type(cause).__name__ in (
            _TF_NETWORK_ERRORS
        ):
            return True
        if type(cause) is Exception and "URL fetch failure" in str(cause):
            return True  # keras.utils.get_file wraps URL errors like this
    return False


def _probe_once(url: str, timeout: float) -> str | None:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        proxy_parts = urllib.parse.urlsplit(proxy if "//" in proxy else f"//{proxy}")
        host, port = proxy_parts.hostname or host, proxy_parts.port or 8080
    result = [f"no connection to {host}:{port} within {timeout:.0f} s"]

    def attempt() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            result[0] = None
        except OSError as exc:
            result[0] = f"cannot reach {host}:{port} ({exc})"

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    return result[0]


def probe(url: str, timeout: float) -> str | None:
    """Return None if ``url``'s host (or its proxy) accepts a connection, else why not.

    DNS lookup and connection run in a helper thread, so a hanging name
    server cannot block longer than ``timeout`` seconds.  A success is
    remembered for :data:`PROBE_SUCCESS_TTL` s, a failure for
    :data:`PROBE_FAILURE_TTL` s.
    """
    key = (url, float(timeout))
    now = time.monotonic()
    if key in _PROBES:
        when, problem = _PROBES[key]
        ttl = PROBE_SUCCESS_TTL if problem is None else PROBE_FAILURE_TTL
        if now - when < ttl:
            return problem
    problem = _probe_once(url, timeout)
    _PROBES[key] = (time.monotonic(), problem)
    return problem


def _probe(url: str, timeout: float) -> str | None:
    """The probe used by :func:`resolve` (tests replace this one)."""
    return probe(url, timeout)


def require_network(url: str, timeout: float) -> None:
    """Raise ``ConnectionError("no network: ...")`` unless ``url``'s host answers."""
    problem = _probe(url, timeout)
    if problem is not None:
        raise ConnectionError(f"no network: {problem}")


@contextmanager
def socket_timeout(seconds: float = SOCKET_TIMEOUT) -> Iterator[None]:
    """Give sockets without their own timeout one (libraries using urlretrieve)."""
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


def _sleep(seconds: float) -> None:
    """Wait between retries (a separate function so tests can skip the wait)."""
    time.sleep(seconds)


def retry(func: Callable[[], T], what: str, retries: int = 2) -> T:
    """Call ``func``; on a network error try ``retries`` more times (1 s, 2 s)."""
    from .._args import check_int

    retries = check_int(retries, "retries", minimum=0)
    for attempt in range(retries + 1):
        try:
            return func()
        except Exception as exc:
            if not is_network_error(exc) or attempt == retries:
                raise
            print(f"{what}: network error ({exc}); retrying", file=sys.stderr)
            _sleep(2.0**attempt)
    raise AssertionError("unreachable")


def short(exc: BaseException) -> str:
    """The exception's message on one line, at most 160 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def resolve(
    name: str,
    source: str | None,
    *,
    cached: Callable[[], T | None],
    fetch: Callable[[], T],
    standin: Callable[[str], T],
    probe_url: str,
    origin: str,
    hint: str,
    local: Callable[[], T | None] | None = None,
) -> T:
    """Apply the pack's source rule once, for any dataset or module.

    Parameters
    ----------
    name
        Dataset name for messages, e.g. ``"mnist"``.
    source
        ``None`` (follow ``config.DATA``), ``"auto"``, ``"online"`` or
        ``"offline"``.
    cached
        Returns the verified cached real copy, or ``None``.
    local
        Returns the real copy read from a local folder (and cached), or
        ``None`` when there is none; ``None`` for sources without local
        copies (the TF Hub module).  Tried in every mode.
    fetch
        Downloads (and caches) the real copy and returns it; may raise.
    standin
        Makes the stand-in; called with the reason (for the warning line).
    probe_url
        Address whose host must answer before ``fetch`` is tried.
    origin
        Where the real data comes from (for the online error message).
    hint
        How to get the data onto an offline machine (for the same message).

    Returns
    -------
    object
        What ``cached``, ``local``, ``fetch`` or ``standin`` returned.

    Raises
    ------
    SourceUnavailable
        ``online`` and the fetch failed (any reason).
    Exception
        ``auto`` and the fetch failed for a reason other than the network:
        the original exception.
    """
    mode = resolve_mode(source)
    found = cached()
    if found is None and local is not None:
        found = local()
    if found is not None:
        return found
    if mode == "offline":
        why = "CNNRNN_DATA=offline" if source is None else "source='offline'"
        where = "cached or local real copy" if local is not None else "cached real copy"
        return standin(f"{why} and no {where}")
    timeout = AUTO_PROBE_TIMEOUT if mode == "auto" else ONLINE_PROBE_TIMEOUT
    try:
        require_network(probe_url, timeout)
        return fetch()
    except Exception as exc:
        if mode == "online":
            raise SourceUnavailable(
                f"{name}: could not fetch the real dataset through {origin}: "
                f"{type(exc).__name__}: {short(exc)}. To work without network use "
                "the offline stand-in (CNNRNN_DATA=offline or source='offline'), "
                f"or {hint}"
            ) from exc
        if not is_network_error(exc):
            raise
        reason = f"download failed: {type(exc).__name__}: {short(exc)}"
    return standin(reason)
