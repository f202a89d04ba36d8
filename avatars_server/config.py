"""Server settings: the only module that reads the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from avatars_server.storage import private_files

_SECRET_KEY_FILE = "secret_key"


class Settings(BaseSettings):
    """Configuration of one server process, from `AVATARS_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="AVATARS_", extra="ignore")

    data_dir: Path = Field(default=Path("./data"), description="Datasets, database and secret key")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in the data directory"
    )
    secret_key: str | None = Field(
        default=None, description="JWT signing key; default: generated and kept in the data dir"
    )
    token_lifetime_seconds: int = Field(
        default=24 * 3600, ge=60, description="Bearer token lifetime (a password reset ends it)"
    )
    reset_token_lifetime_seconds: int = Field(default=3600, ge=60)
    max_upload_bytes: int = Field(default=1024**3, ge=1)
    max_upload_parts: int = Field(
        default=1000, ge=1, description="Parts of one multipart upload (413 above it)"
    )
    max_json_body_bytes: int = Field(
        default=1024**2, ge=1024, description="Any body but an upload (413 above it)"
    )
    max_page_size: int = Field(default=1000, ge=1, description="Items per answer of a list route")
    # Login throttling (also /login/forgotten_password and /login/reset_password): after
    # `max_failures_per_*` failures within `window`, the account name (or client address) is
    # locked; the first lock lasts `lock_seconds`, each further one twice the last, at most
    # `lock_max_seconds`; `lock_memory_seconds` without a failure forget the past locks.
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=50, ge=1)
    login_failure_window_seconds: int = Field(default=15 * 60, ge=1)
    login_lock_seconds: int = Field(default=30, ge=1)
    login_lock_max_seconds: int = Field(default=3600, ge=1)
    login_lock_memory_seconds: int = Field(default=24 * 3600, ge=1)
    max_encoded_dimensions: int = Field(default=10_000, ge=1)
    time_series_max_grid: int = Field(
        default=1024, ge=2, description="G_max: most grid points of a time series"
    )
    multi_table_block_size: int = Field(
        default=2_000, ge=1, description="Largest assignment solved at once (multi-table LSA)"
    )
    job_workers: int | None = Field(default=None, ge=1, description="Local job processes")
    dask_address: str | None = Field(default=None, description="Dask scheduler address")
    root_path: str = ""
    report_wait_seconds: float = Field(
        default=8.0,
        ge=0,
        description="How long a report create call waits for the PDF and HTML before answering",
    )

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to `<data_dir>/avatars.db`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'avatars.db').resolve()}"

    @property
    def datasets_dir(self) -> Path:
        return self.data_dir / "datasets"

    @property
    def tmp_dir(self) -> Path:
        return self.data_dir / "tmp"

    def prepare_directories(self) -> None:
        """Create the data directories with mode 0700 (idempotent).

        Raises:
            UnsafeDataDirError: the data directory can be written by another account.
        """
        private_files.make_private_dir(self.data_dir, check=True)
        for path in (self.datasets_dir, self.tmp_dir):
            private_files.make_private_dir(path)

    def resolved_secret_key(self) -> str:
        """The signing key: configured, or generated once and persisted (mode 0600).

        Read on every authenticated request: once the file exists, nothing else is checked
        (the data directory was checked, and the file made private, on start).
        """
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / _SECRET_KEY_FILE
        if not path.exists():
            self.prepare_directories()
            # O_EXCL: two processes starting at once must agree on one key.
            private_files.create_private_file(path, secrets.token_urlsafe(48).encode())
        return path.read_text(encoding="utf-8").strip()
