"""Server settings: the only module that reads the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    token_lifetime_seconds: int = Field(default=24 * 3600, ge=60)
    reset_token_lifetime_seconds: int = Field(default=3600, ge=60)
    max_upload_bytes: int = Field(default=1024**3, ge=1)
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
        """Create the data directories (idempotent)."""
        for path in (self.data_dir, self.datasets_dir, self.tmp_dir):
            path.mkdir(parents=True, exist_ok=True)

    def resolved_secret_key(self) -> str:
        """The signing key: configured, or generated once and persisted in the data dir."""
        if self.secret_key:
            return self.secret_key
        self.prepare_directories()
        path = self.data_dir / _SECRET_KEY_FILE
        if not path.exists():
            key = secrets.token_urlsafe(48)
            # O_EXCL: two processes starting at once must agree on one key.
            try:
                with path.open("x", encoding="utf-8") as handle:
                    handle.write(key)
                path.chmod(0o600)
            except FileExistsError:
                pass
        return path.read_text(encoding="utf-8").strip()
