"""The two servers of a benchmark run: the app (uvicorn on a fresh database) and the bare reference.

Both run under uvicorn with the same transport flags: the `--ws…`, `--http` and `--loop` flags of the app's own
`make run` line (today none, so uvicorn's defaults: WebSocket implementation `auto`, permessage-deflate on, a ping
every 20 s). Reading them from the Makefile keeps the reference honest when the app's transport settings change.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import httpx

from bench.measure import ProcessTree, now

ROOT = Path(__file__).resolve().parent.parent
TRANSPORT_FLAGS = ("--ws", "--http", "--loop")  # prefixes: --ws-per-message-deflate, --ws-ping-interval, ...


def transport_args(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The transport flags of the uvicorn command in the Makefile's `run` target."""
    text = makefile.read_text()
    found = re.search(r"^run:.*?\n((?:\t.*\n?)+)", text, re.MULTILINE)
    command = next((line for line in (found.group(1) if found else "").splitlines() if "uvicorn" in line), "")
    words = shlex.split(command.replace("$(", "").replace(")", ""))
    args: list[str] = []
    for i, word in enumerate(words):
        if word.startswith(TRANSPORT_FLAGS):
            args.append(word)
            if "=" not in word and i + 1 < len(words) and not words[i + 1].startswith("-"):
                args.append(words[i + 1])
    return args


def describe_transport(args: list[str]) -> str:
    from uvicorn.config import Config

    flags = dict(zip(args[::2], args[1::2], strict=False))
    config = Config(app="x", ws=flags.get("--ws", "auto"))
    deflate = flags.get("--ws-per-message-deflate", str(config.ws_per_message_deflate))
    ping = flags.get("--ws-ping-interval", str(config.ws_ping_interval))
    ws = config.ws
    if ws == "auto":
        from uvicorn.protocols.websockets.auto import AutoWebSocketsProtocol

        ws = f"auto = {getattr(AutoWebSocketsProtocol, '__name__', AutoWebSocketsProtocol)}"
    return f"uvicorn {' '.join(args) or '(defaults)'}: ws {ws}, permessage-deflate {deflate}, ping every {ping} s"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin(name: str) -> str:
    local = ROOT / ".venv" / "bin" / name
    return str(local if local.exists() else Path(sys.executable).parent / name)


class Uvicorn:
    """A uvicorn subprocess on a free port; always stopped by `stop()`."""

    name = "server"

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="olive-bench-")
        self.data_dir = Path(self.tmp.name)
        self.log_path = self.data_dir / f"{self.name}.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        return dict(os.environ)

    def start(self) -> None:
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches only the benchmark, which then stops the server itself
            )

    @property
    def tree(self) -> ProcessTree:
        assert self.process is not None
        return ProcessTree(self.process.pid)

    async def wait_ready(self, seconds: float = 60) -> None:
        try:
            async with asyncio.timeout(seconds), httpx.AsyncClient(base_url=self.url, timeout=2) as client:
                while True:
                    if self.process is None or self.process.poll() is not None:
                        raise RuntimeError(f"the {self.name} exited during start-up:\n{self.log_tail()}")
                    try:
                        if (await client.get("/healthz")).status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)
        except TimeoutError:
            raise RuntimeError(f"the {self.name} did not answer /healthz in {seconds} s:\n{self.log_tail()}") from None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def problems(self) -> list[str]:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if "Traceback" in line or line.startswith(("ERROR", "CRITICAL"))]

    def exceptions(self) -> Counter:
        """The exception lines that end the tracebacks in the log (e.g. `sqlalchemy.exc.TimeoutError: ...`)."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return Counter()
        return Counter(line[:200] for line in lines if re.match(r"^[\w.]+(Error|Exception|Timeout)\w*: ", line))

    def stop(self) -> str:
        """SIGTERM (uvicorn's graceful shutdown), SIGKILL after 15 s; says how it went."""
        if self.process is None:
            return f"{self.name} was not started"
        if self.process.poll() is not None:
            return f"!! the {self.name} had already exited (code {self.process.returncode})"
        start = now()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
            return f"{self.name} stopped {now() - start:.1f} s after SIGTERM"
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            return f"!! the {self.name} did not stop within 15 s of SIGTERM and was killed"

    def cleanup(self) -> None:
        self.tmp.cleanup()


class AppServer(Uvicorn):
    """The app on a fresh database: SQLite in a temporary data directory, or the PostgreSQL database given."""

    name = "app"

    def __init__(self, *, database_url: str = "", redis_url: str = "", workers: int = 1) -> None:
        super().__init__()
        self.database_url = database_url
        self.redis_url = redis_url
        self.workers = workers

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,  # empty: SQLite in DATA_DIR
            REDIS_URL=self.redis_url,  # empty: the in-memory hub
            HUB_NAMESPACE=f"bench-{secrets.token_hex(4)}",  # never mix with other users of the same Redis
            BASE_URL=self.url,
            JOIN_RATE_LIMIT="1000000/minute",
            ANSWER_RATE_LIMIT="1000000/minute",
            LOOKUP_RATE_LIMIT="1000000/minute",  # every phone of the benchmark joins from this one address
            LOGIN_RATE_LIMIT="1000/minute",
            SECRET_KEY=secrets.token_urlsafe(48),  # one key for every worker
        )
        return env

    def command(self) -> list[str]:
        args = [_bin("uvicorn"), "app.main:create_app", "--factory", "--host", "127.0.0.1", "--port", str(self.port)]
        args += ["--log-level", "warning", *transport_args()]
        if self.workers > 1:
            args += ["--workers", str(self.workers)]
        return args

    def start(self) -> None:
        migrated = subprocess.run(
            [_bin("alembic"), "upgrade", "head"], cwd=ROOT, env=self.env(), capture_output=True, text=True
        )
        if migrated.returncode != 0:
            raise RuntimeError(f"alembic upgrade head failed:\n{migrated.stdout}{migrated.stderr}")
        super().start()

    def describe(self) -> str:
        backend = "PostgreSQL" if self.database_url.startswith("postgres") else "SQLite"
        hub = "Redis hub" if self.redis_url else "in-memory hub"
        return f"app: uvicorn, {self.workers} worker(s), {backend}, {hub}, fresh database"


class ReferenceServer(Uvicorn):
    name = "reference"

    def command(self) -> list[str]:
        args = [_bin("uvicorn"), "bench.reference_server:app", "--host", "127.0.0.1", "--port", str(self.port)]
        return args + ["--log-level", "warning", *transport_args()]
