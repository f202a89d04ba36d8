"""ApiClient: resolves settings, owns the shared httpx client and auth, exposes namespaces."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from typing import TYPE_CHECKING

import httpx

from avatar_api_client.client import AuthenticatedClient
from avatars import _constants
from avatars._response import raise_for_status
from avatars._transport import CallerClientTransport, RetryTransport
from avatars._version import __version__
from avatars.exceptions import APIConnectionError, APITimeoutError, AuthenticationError

if TYPE_CHECKING:
    from avatars.pandas_integration import PandasIntegration
    from avatars.pipelines import Pipelines
    from avatars.resources.auth import Auth
    from avatars.resources.compatibility import Compatibility
    from avatars.resources.datasets import Datasets
    from avatars.resources.health import Health
    from avatars.resources.jobs import Jobs
    from avatars.resources.metrics import Metrics
    from avatars.resources.reports import Reports
    from avatars.resources.stats import Stats
    from avatars.resources.users import Users

USER_AGENT = f"avatars/{__version__}"
# Routes that answer without a bearer token (API reference §1.3).
_PUBLIC_PATHS = ("/login", "/check_client", "/health")

_request_timeout: ContextVar[float | None] = ContextVar("avatars_request_timeout", default=None)


class ApiClient:
    """Client of an Avatar API server.

    Args:
        base_url: server URL, e.g. ``http://127.0.0.1:8000``; defaults to the
            ``AVATAR_BASE_API_URL`` (or ``BASE_URL``) environment variable.
        timeout: HTTP timeout of one request, in seconds.
        should_verify_ssl: verify the server's TLS certificate.
        verify_auth: refuse, before sending, a call that needs a login when none happened.
        http_client: an httpx.Client to send every request through (tests, proxies, custom
            TLS). The ApiClient never changes it (headers, hooks, login token all stay on the
            ApiClient's own client) and never closes it. Its transport, TLS settings, proxies,
            auth and event hooks apply, and its headers and cookies are sent too; then
            ``should_verify_ssl`` and ``max_retries`` do not apply (they configure the default
            transport), while ``timeout``, ``headers`` and ``verify_auth`` still do.
        should_verify_compatibility: ask the server whether this client is compatible and
            warn when it is not.
        headers: extra headers sent with every request.
        max_retries: how often a failed idempotent request (or a request that never reached
            the server) is retried.

    When ``AVATAR_USERNAME`` and ``AVATAR_PASSWORD`` are set, the client logs in at once.

    Example:
        >>> client = ApiClient(base_url="http://127.0.0.1:8000")  # doctest: +SKIP
        >>> client.authenticate("username", "password")  # doctest: +SKIP
    """

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float | None = _constants.DEFAULT_TIMEOUT,
        should_verify_ssl: bool = True,
        *,
        verify_auth: bool = True,
        http_client: httpx.Client | None = None,
        should_verify_compatibility: bool = True,
        headers: Mapping[str, str] | None = None,
        max_retries: int = _constants.DEFAULT_MAX_RETRIES,
    ) -> None:
        resolved_url = (
            base_url
            or os.environ.get(_constants.ENV_BASE_URL)
            or os.environ.get(_constants.ENV_BASE_URL_FALLBACK)
        )
        if not resolved_url:
            raise ValueError(
                "No server URL: pass base_url=... or set the "
                f"{_constants.ENV_BASE_URL} environment variable."
            )
        if '"' in resolved_url:
            raise ValueError(
                f"The base URL {resolved_url!r} contains a double quote; remove the quotes "
                "around the value of your environment variable."
            )
        self.base_url = resolved_url.rstrip("/")
        self.timeout = timeout
        self.verify_auth = verify_auth
        transport: httpx.BaseTransport
        if http_client is None:
            transport = RetryTransport(
                httpx.HTTPTransport(verify=should_verify_ssl), max_retries=max_retries
            )
        else:
            transport = CallerClientTransport(http_client)
        self.http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers=http_client.headers if http_client is not None else None,
            cookies=http_client.cookies if http_client is not None else None,
            event_hooks={"request": [self._before_request], "response": [raise_for_status]},
        )
        self.http.headers["User-Agent"] = USER_AGENT
        self.http.headers.update(dict(headers or {}))
        self.generated = AuthenticatedClient(base_url=self.base_url, token="")
        self.generated.set_httpx_client(self.http)
        if should_verify_compatibility:
            self._verify_compatibility()
        username = os.environ.get(_constants.ENV_USERNAME)
        password = os.environ.get(_constants.ENV_PASSWORD)
        if username and password:
            self.authenticate(username, password)

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection pool (a caller's `http_client` stays open)."""
        self.http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- authentication ----------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return "Authorization" in self.http.headers

    def authenticate(
        self, username: str | None = None, password: str | None = None, timeout: float | None = None
    ) -> None:
        """Log in and send the bearer token with every later call.

        Args:
            username: username or email; defaults to ``AVATAR_USERNAME``.
            password: defaults to ``AVATAR_PASSWORD``.
            timeout: HTTP timeout of this call, in seconds.

        Raises:
            AuthenticationError: wrong username or password.
        """
        username = username or os.environ.get(_constants.ENV_USERNAME)
        password = password if password is not None else os.environ.get(_constants.ENV_PASSWORD)
        if not username or password is None:
            raise ValueError(
                "Give a username and a password, or set AVATAR_USERNAME and AVATAR_PASSWORD."
            )
        token = self.auth.login(username=username, password=password, timeout=timeout)
        self.http.headers["Authorization"] = f"Bearer {token.access_token}"

    def forgotten_password(self, email: str, timeout: float | None = None) -> None:
        """Ask for a password reset token, sent out of band to `email`."""
        self.auth.forgotten_password(email=email, timeout=timeout)

    def reset_password(
        self,
        email: str,
        new_password: str,
        new_password_repeated: str,
        token: str,
        timeout: float | None = None,
    ) -> None:
        """Set a new password with the token received after `forgotten_password`."""
        self.auth.reset_password(
            email=email,
            new_password=new_password,
            new_password_repeated=new_password_repeated,
            token=token,
            timeout=timeout,
        )

    # -- namespaces --------------------------------------------------------------------------
    @cached_property
    def auth(self) -> Auth:
        from avatars.resources.auth import Auth

        return Auth(self)

    @cached_property
    def compatibility(self) -> Compatibility:
        from avatars.resources.compatibility import Compatibility

        return Compatibility(self)

    @cached_property
    def datasets(self) -> Datasets:
        from avatars.resources.datasets import Datasets

        return Datasets(self)

    @cached_property
    def pandas_integration(self) -> PandasIntegration:
        from avatars.pandas_integration import PandasIntegration

        return PandasIntegration(self)

    @cached_property
    def health(self) -> Health:
        from avatars.resources.health import Health

        return Health(self)

    @cached_property
    def jobs(self) -> Jobs:
        from avatars.resources.jobs import Jobs

        return Jobs(self)

    @cached_property
    def metrics(self) -> Metrics:
        from avatars.resources.metrics import Metrics

        return Metrics(self)

    @cached_property
    def reports(self) -> Reports:
        from avatars.resources.reports import Reports

        return Reports(self)

    @cached_property
    def stats(self) -> Stats:
        from avatars.resources.stats import Stats

        return Stats(self)

    @cached_property
    def users(self) -> Users:
        from avatars.resources.users import Users

        return Users(self)

    @cached_property
    def pipelines(self) -> Pipelines:
        from avatars.pipelines import Pipelines

        return Pipelines(self)

    # -- plumbing shared by the namespaces ----------------------------------------------------
    @contextmanager
    def request_options(self, timeout: float | None = None) -> Iterator[None]:
        """Scope of one client call: its HTTP timeout, and transport errors made typed."""
        token = _request_timeout.set(timeout)
        try:
            yield
        except httpx.TimeoutException as exc:
            request = _request_of(exc)
            raise APITimeoutError(
                f"The server did not answer in time ({exc.__class__.__name__}). Retry, or pass "
                "a larger timeout.",
                *request,
            ) from exc
        except httpx.TransportError as exc:
            request = _request_of(exc)
            raise APIConnectionError(
                f"Could not reach the server at {self.base_url}: {exc}. Check the URL and that "
                "the server is running.",
                *request,
            ) from exc
        finally:
            _request_timeout.reset(token)

    def _before_request(self, request: httpx.Request) -> None:
        timeout = _request_timeout.get()
        if timeout is not None:
            request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
        if self.verify_auth and "Authorization" not in request.headers:
            path = request.url.path[len(httpx.URL(self.base_url).path.rstrip("/")) :]
            if path not in ("", "/") and not path.startswith(_PUBLIC_PATHS):
                raise AuthenticationError(
                    status_code=401,
                    message="You are not authenticated. Call client.authenticate(username, "
                    "password) first.",
                    detail="Not authenticated",
                    request_id=None,
                    method=request.method,
                    url=str(request.url),
                )

    def _verify_compatibility(self) -> None:
        answer = self.compatibility.is_client_compatible()
        if answer.status != "compatible":
            warnings.warn(
                f"{answer.message} (client avatars {__version__}; most recent compatible "
                f"client: {answer.most_recent_compatible_client or 'unknown'})",
                UserWarning,
                stacklevel=3,
            )


def _request_of(exc: httpx.TransportError) -> tuple[str | None, str | None]:
    try:
        request = exc.request
    except RuntimeError:
        return (None, None)
    return (request.method, str(request.url))
