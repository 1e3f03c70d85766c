"""A throwaway PostgreSQL server for tests, from the distribution's server binaries.

``PgCluster.start()`` runs ``initdb`` into a fresh temp directory and
``pg_ctl start`` with the server listening only on 127.0.0.1 (free port) and on
a unix socket inside that directory; ``stop()`` shuts it down and deletes the
directory. PostgreSQL refuses to run as root, so when the tests run as root the
server binaries run as the ``postgres`` system user (``runuser -u postgres``)
and the directory is handed to that user. Authentication is ``trust``: the
server is reachable only from this machine and lives for one test session.

Binaries are looked up in ``$STORYLINE_PG_BIN``, then ``pg_config --bindir``,
then Debian's ``/usr/lib/postgresql/<version>/bin`` (newest first), then PATH.

Run by hand to get a server for poking at: ``python tests/pg_cluster.py``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "postgres"
SUPERUSER = "postgres"
INSTALL_HINT = (
    "install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql), "
    "or point STORYLINE_TEST_PG_URL at a server where this user may CREATE DATABASE, "
    "or set STORYLINE_SKIP_PG=1 to skip the PostgreSQL tests on purpose"
)


class PgUnavailable(RuntimeError):
    """The server binaries are missing or the server would not start."""


def find_bindir() -> Path | None:
    candidates: list[Path] = []
    if env := os.environ.get("STORYLINE_PG_BIN"):
        candidates.append(Path(env))
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            candidates.append(Path(out))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted(
            (p for p in debian.iterdir() if p.name.isdigit()),
            key=lambda p: int(p.name),
            reverse=True,
        )
        candidates.extend(p / "bin" for p in versions)
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).parent)
    for bindir in candidates:
        if all(os.access(bindir / b, os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def _runuser() -> str:
    """``runuser`` (util-linux), which root uses to drop to the server user."""
    found = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.access(p, os.X_OK)), None
    )
    if found is None:
        raise PgUnavailable("running as root but runuser (util-linux) is not installed")
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgCluster:
    bindir: Path
    root: Path
    port: int
    as_user: str | None  # run server binaries as this user (when we are root)

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def socketdir(self) -> Path:
        return self.root / "sock"

    @property
    def logfile(self) -> Path:
        return self.root / "server.log"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    # -------------------------------------------------------------- lifecycle

    @classmethod
    def start(cls, *, timeout: float = 60.0, attempts: int = 3) -> PgCluster:
        bindir = find_bindir()
        if bindir is None:
            raise PgUnavailable(
                f"PostgreSQL server binaries (initdb, pg_ctl) not found; {INSTALL_HINT}"
            )
        as_user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PgUnavailable(
                    f"running as root and there is no {SERVER_USER!r} system user to run the "
                    f"server as; {INSTALL_HINT}"
                ) from None
            as_user = SERVER_USER
        root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
        cluster = cls(bindir=bindir, root=root, port=0, as_user=as_user)
        try:
            cluster._initdb()
            last = ""
            for _ in range(attempts):  # the free port may be taken before the server binds it
                cluster.port = _free_port()
                try:
                    cluster._pg_ctl_start(timeout)
                    return cluster
                except PgUnavailable as exc:
                    last = str(exc)
            raise PgUnavailable(last)
        except BaseException:
            cluster._remove()
            raise

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            self._run(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                check=False,
            )
        self._remove()

    # -------------------------------------------------------------- internals

    def _run(self, argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        program = Path(argv[0]).name
        if self.as_user:
            argv = [_runuser(), "-u", self.as_user, "--", *argv]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, cwd=self.root)
        except OSError as exc:
            raise PgUnavailable(f"cannot run {argv[0]}: {exc}") from exc
        if check and proc.returncode != 0:
            raise PgUnavailable(
                f"{program} failed ({proc.returncode}): "
                f"{(proc.stderr or proc.stdout).strip()[-2000:]}"
            )
        return proc

    def _initdb(self) -> None:
        self.socketdir.mkdir()
        if self.as_user:
            pw = pwd.getpwnam(self.as_user)
            for path in (self.root, self.socketdir):
                os.chown(path, pw.pw_uid, pw.pw_gid)
        self._run(
            [
                str(self.bindir / "initdb"),
                "-D", str(self.datadir),
                "-U", SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )  # fmt: skip

    def _pg_ctl_start(self, timeout: float) -> None:
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {self.socketdir}",
                "-c fsync=off",  # a throwaway cluster: durability buys nothing here
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=100",
            ]
        )
        proc = self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D", str(self.datadir),
                "-l", str(self.logfile),
                "-o", options,
                "-w", "-t", str(int(timeout)),
                "start",
            ],
            check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise PgUnavailable(
                f"pg_ctl start failed ({proc.returncode}) on port {self.port}: "
                f"{(proc.stderr or proc.stdout).strip()} {log.strip()}"
            )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            time.sleep(0.1)
        raise PgUnavailable(f"PostgreSQL did not accept connections on port {self.port}")

    def _remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


if __name__ == "__main__":
    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly on kill, too
    cluster = PgCluster.start()
    print(f"PostgreSQL running: {cluster.url()}  (data in {cluster.root}); Ctrl-C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
