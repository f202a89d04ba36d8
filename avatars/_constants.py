"""Client defaults in one place: HTTP timeout, retries, back-off, polling, env variable names."""

from typing import Final

# HTTP
DEFAULT_TIMEOUT: Final[float] = 60.0
"""Default timeout of one HTTP request, in seconds."""

# Retries (see avatars._transport)
DEFAULT_MAX_RETRIES: Final[int] = 2
"""How many times a retryable request is re-sent after the first attempt."""
RETRY_BACKOFF_BASE: Final[float] = 0.5
"""Back-off before the first retry, in seconds; doubles on each further retry."""
RETRY_BACKOFF_CAP: Final[float] = 8.0
"""Upper bound of the exponential back-off, in seconds."""
RETRY_AFTER_CAP: Final[float] = 30.0
"""Longest `Retry-After` we honour, in seconds; a longer one is shortened to this."""

# Job polling (see avatars.waiting)
POLL_INITIAL_DELAY: Final[float] = 0.1
"""First sleep between two reads of a running job, in seconds."""
POLL_BACKOFF: Final[float] = 1.25
"""Factor of each further sleep: a job is seen done at most about a quarter of its run time late
(doubling from 0.5 s saw a 2.2 s job done at 3.5 s)."""
POLL_MAX_DELAY: Final[float] = 5.0
"""Longest sleep between two reads of a running job, in seconds."""
DEFAULT_JOB_TIMEOUT: Final[float] = 600.0
"""How long `get_*_job` waits for a job to finish by default, in seconds."""

# Environment variables (read once, in ApiClient.__init__)
ENV_BASE_URL: Final[str] = "AVATAR_BASE_API_URL"
ENV_BASE_URL_FALLBACK: Final[str] = "BASE_URL"
ENV_USERNAME: Final[str] = "AVATAR_USERNAME"
ENV_PASSWORD: Final[str] = "AVATAR_PASSWORD"

# Progress bars
PROGRESS_MIN_BYTES: Final[int] = 4 * 1024 * 1024
"""Transfers of at least this many bytes (or of unknown size) show a tqdm bar."""
