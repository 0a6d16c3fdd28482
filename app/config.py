"""Settings from the environment (pydantic-settings), one object for the whole app."""

from __future__ import annotations

import ipaddress
import secrets
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values people copy from examples; the app refuses to run with them.
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "secret-key", "please-change", "xxx", "dev"}
MIN_SECRET_LENGTH = 32


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


class HostNames:
    """The hosts a request may name (Host header): these names, or any IP address. A page on another name that
    resolves to this server (DNS rebinding) is refused; an address is fine (a rebinding attack always comes with a
    name), so phones on the room's wifi may open the laptop's address."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def __contains__(self, host: object) -> bool:
        if not isinstance(host, str):
            return False
        host = host.lower()
        if host in self.names:
            return True
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return False
        return True


class UnsafeSettings(RuntimeError):
    """Raised when the app is configured in a way that must not serve requests."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    redis_url: str = ""
    # Prefix of the Redis pub/sub channels, so several installations (or test runs) can share one Redis.
    hub_namespace: str = "olive"
    secret_key: str = ""
    # The public address (scheme://host[:port]) for join links, QR codes, board and review links. Empty: the address
    # each console, board or phone opened the app with (Host header; scheme from a trusted proxy's X-Forwarded-Proto).
    base_url: str = ""
    # Further host names this app answers to for forms and WebSockets (comma-separated), besides BASE_URL's host, any
    # IP address and the loopback names; any other Host is refused (DNS rebinding).
    allowed_hosts: str = ""
    # Seconds the realtime fan-out waits to combine a burst of events into one update.
    coalesce_window: float = 0.05
    # Frames a connection may have waiting before it is closed to resync (a slow client).
    ws_queue_size: int = 64
    ws_max_message_bytes: int = 4096
    # Seconds between the rounds that end step timers whose time is up (and close auto-closing steps).
    timer_tick_interval: float = 1.0
    # Rate limits (limits-library syntax). Joins are generous: 60 phones can share one wifi address.
    join_rate_limit: str = "300/minute"
    login_rate_limit: str = "10/minute"
    answer_rate_limit: str = "60/minute"
    # Lookups of a join code, review link or board link per client address. Failed ones are limited strictly, since
    # only guessing fails often (a typo now and then is far below it); successful ones generously (60 phones behind
    # one address each open the join page once or twice).
    guess_rate_limit: str = "20/minute"
    lookup_rate_limit: str = "600/minute"

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'opgroeiruimte.db').as_posix()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return urlparse(self.base_url).scheme == "https"

    @cached_property
    def hosts(self) -> HostNames:
        named = {h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()}
        configured = (urlparse(self.base_url).hostname or "").lower()
        return HostNames(frozenset({*LOOPBACK_HOSTS, *named} | ({configured} if configured else set())))

    @property
    def allowed_origins(self) -> set[str]:
        """Origins accepted besides the request's own host: BASE_URL's, when set."""
        if not self.base_url:
            return set()
        parsed = urlparse(self.base_url)
        return {f"{parsed.scheme}://{parsed.netloc}"}

    def ensure_secret_key(self) -> str:
        """Return the secret key; generate and keep one in the data directory when unset.

        A key that is a known placeholder or too short is refused.
        """
        if self.secret_key:
            if self.secret_key.strip().lower() in PLACEHOLDER_SECRETS or len(self.secret_key) < MIN_SECRET_LENGTH:
                raise UnsafeSettings(
                    f"SECRET_KEY is a placeholder or shorter than {MIN_SECRET_LENGTH} characters. "
                    "Unset it to have one generated in the data directory, or set a long random value "
                    "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
                )
            return self.secret_key
        key_file = self.data_dir / "secret_key"
        if key_file.exists():
            self.secret_key = key_file.read_text().strip()
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.secret_key = secrets.token_urlsafe(48)
            key_file.write_text(self.secret_key)
            key_file.chmod(0o600)
        return self.secret_key
