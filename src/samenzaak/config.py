"""Settings, read once from the environment (prefix ``SAMENZAAK_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMENZAAK_", extra="ignore")

    data_dir: Path = Field(default=Path("./data"), description="Folder for the SQLite file and documents.")
    database_url: str | None = Field(
        default=None,
        description="sqlite:///path or postgresql://user@host/db; default: SQLite in the data dir.",
    )
    database_replica_url: str | None = Field(
        default=None,
        description="A streaming replica of the PostgreSQL primary for lists and dashboards "
        "(a client's reads stay on the primary until the replica has its last write).",
    )
    public_base_url: str | None = Field(
        default=None,
        description="Base URL clients use (https://zaken.gemeente.nl); default: from the request.",
    )
    allowed_hosts: list[str] = Field(default=["*"])
    jwt_leeway: int = Field(default=60, description="Seconds of clock skew accepted on iat/exp/nbf.")
    jwt_max_age: int | None = Field(
        default=None, description="Refuse tokens whose iat is older than this many seconds (none: no limit)."
    )
    tenant_mode: Literal["path", "host"] = Field(
        default="path",
        description="How a request names its tenant: a path prefix (/<slug>/zaken/api/v1) or the host name. "
        "Requests without one go to the default tenant, whose URLs stay the plain ZGW URLs.",
    )
    page_size: int = 100
    log_level: str = "INFO"
    log_json: bool = Field(default=True, description="Structured JSON logs (false: plain text).")
    dispatcher_in_process: bool = Field(
        default=True, description="Run the notification dispatcher inside the server (embedded default)."
    )
    notification_batch_size: int = Field(
        default=500, description="Outbox rows fanned out, and deliveries claimed, per query."
    )
    notification_concurrency: int = Field(
        default=1000,
        description="Deliveries claimed and in flight per dispatcher worker, all subscribers together.",
    )
    notification_subscriber_concurrency: int = Field(
        default=8, description="Requests in flight (connections) per subscriber (abonnement) per worker."
    )
    notification_timeout: float = Field(default=10.0, description="Seconds to wait for a subscriber.")
    notification_retry_window: float = Field(
        default=86400.0, description="Seconds a failed delivery is retried before it is kept as failed."
    )
    notification_backoff_base: float = Field(
        default=2.0, description="Seconds before the first retry; doubled on each attempt, with jitter."
    )
    notification_backoff_max: float = Field(default=3600.0, description="Longest wait between retries.")
    notification_claim_lease: float = Field(
        default=300.0,
        description="Seconds a claimed delivery stays invisible to other workers; after it, a crashed "
        "worker's deliveries are sent again.",
    )
    notification_poll_interval: float = Field(
        default=0.5, description="Seconds between looks at the outbox when nothing wakes the dispatcher."
    )
    notification_verify_callback: bool = Field(
        default=True,
        description="POST a test notification to a new abonnement's callback (as Open Notificaties).",
    )
    referentielijsten_url: str | None = Field(
        default=None, description="Remote Referentielijsten API; default: the embedded one."
    )
    admin_secret: SecretStr | None = None
    storage: Literal["filesystem", "s3"] = Field(
        default="filesystem", description="Where document content lives: <data_dir>/documenten or S3."
    )
    storage_s3_bucket: str = ""
    storage_s3_endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (MinIO, Ceph, ...); default: AWS."
    )
    storage_s3_region: str | None = None
    storage_s3_access_key_id: str | None = None
    storage_s3_secret_access_key: SecretStr | None = None
    document_part_size: int = Field(
        default=100 * 1024 * 1024, description="Bytes per bestandsdeel of an upload in parts."
    )
    document_upload_max_age: int = Field(
        default=24 * 3600,
        description="Seconds an upload in parts may stay locked and incomplete before its parts are dropped.",
    )
    document_inline_max_size: int = Field(
        default=50 * 1024 * 1024,
        description="Largest JSON body (with base64 inhoud) accepted; larger content goes in bestandsdelen.",
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'samenzaak.sqlite3').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
