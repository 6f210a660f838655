"""A throwaway PostgreSQL (with PostGIS) server for the test suite.

`PostgresServer.start()` runs `initdb` in a fresh temporary directory, starts the server on
a free loopback port with `pg_ctl`, and makes a template database with PostGIS installed, so
that each test gets its own database in a fraction of a second. When the suite runs as root
(CI does), the server runs as the `postgres` user, since `initdb` refuses root.
`PostgresServer.unavailable()` says why a server cannot be started here, or None.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

TEMPLATE = "wiredesk_template"


def _bindir() -> Path | None:
    """The directory of `initdb` and `pg_ctl`: $WIREDESK_PG_BINDIR, PATH, then Debian's."""
    named = os.environ.get("WIREDESK_PG_BINDIR")
    if named:
        return Path(named)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent  # /usr/local/bin/initdb may link to Debian's
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(versions[0]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="wiredesk-pg-"))
        self.data = self.root / "data"
        self.user: str | None = "postgres" if os.geteuid() == 0 else None
        self._names = itertools.count(1)

    @staticmethod
    def unavailable() -> str | None:
        bindir = _bindir()
        if bindir is None or not (bindir / "initdb").exists():
            return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        share = (
            subprocess.run(
                [str(bindir / "pg_config"), "--sharedir"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            if (bindir / "pg_config").exists()
            else ""
        )
        candidates = [Path(share)] if share else []
        candidates += [Path(p) for p in glob.glob(f"/usr/share/postgresql/{bindir.parent.name}")]
        if not any((c / "extension" / "postgis.control").exists() for c in candidates):
            return "PostGIS is not installed for this PostgreSQL server"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no `postgres` user to run the server"
        return None

    @classmethod
    def start(cls) -> PostgresServer:
        bindir = _bindir()
        assert bindir is not None
        server = cls(bindir)
        server._init()
        return server

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.root)

    def _init(self) -> None:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        done = self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
            "--locale=C",
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        done = self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if done.returncode:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}\n{log}")
        self._wait()
        self.sql("postgres", f"CREATE DATABASE {TEMPLATE}")
        self.sql(TEMPLATE, "CREATE EXTENSION postgis")

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the PostgreSQL server did not start listening")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, database: str, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement.encode())

    def new_database(self) -> str:
        """A fresh, empty database (PostGIS already installed); its URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.sql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def stop(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
        )
        shutil.rmtree(self.root, ignore_errors=True)
