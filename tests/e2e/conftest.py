"""Browser-test fixtures: the app served by `streamlit run` on a free port, and Debian's Chromium.

Playwright drives the system Chromium (`/usr/bin/chromium`, installed by `make test`); its own
browser download is never used. Tests skip with a reason when Chromium or Playwright is absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NETGUARD = Path(__file__).resolve().parent / "netguard"


@dataclass
class Server:
    """The app under test: its URL, its log, and every outbound network attempt seen."""

    url: str
    log_path: Path
    netguard_log: Path
    pid: int
    sockets: list[str] = field(default_factory=list)  # non-loopback peers seen by the socket watcher

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def outbound(self) -> list[str]:
        seen = self.netguard_log.read_text().splitlines() if self.netguard_log.exists() else []
        return seen + self.sockets


def _watch_sockets(pid: int, found: list[str], stop: threading.Event) -> None:
    """Every 50 ms: the server's (and its children's) internet sockets with a non-loopback peer."""
    try:
        import psutil
    except ImportError:  # the audit hook still records every attempt
        return
    try:
        proc = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.wait(0.05):
        try:
            procs = [proc, *proc.children(recursive=True)]
            for p in procs:
                for c in p.net_connections(kind="inet"):
                    if c.raddr and not (c.raddr.ip.startswith("127.") or c.raddr.ip in ("::1", "::ffff:127.0.0.1")):
                        found.append(f"socket {c.raddr.ip}:{c.raddr.port} ({c.status})")
        except psutil.Error:
            return


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`streamlit run app/Home.py` with the repository's own `.streamlit/config.toml`: only the port
    is given on the command line, so the config alone must keep the server off the network. The
    process runs with an audit hook (tests/e2e/netguard) that records and refuses every outbound
    connect/resolve, and a socket watcher polls its connections."""
    port = _free_port()
    work = tmp_path_factory.mktemp("server")
    log_path = work / "streamlit.log"
    guard_log = work / "netguard.log"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join([str(NETGUARD), str(REPO), os.environ.get("PYTHONPATH", "")]),
        "ADVISOR_NETGUARD_LOG": str(guard_log),
    }
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app/Home.py", "--server.port", str(port)],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    srv = Server(f"http://127.0.0.1:{port}", log_path, guard_log, proc.pid)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_sockets, args=(proc.pid, srv.sockets, stop), daemon=True)
    watcher.start()
    deadline = time.monotonic() + 40
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail("streamlit exited early:\n" + srv.log()[-2000:])
            try:
                with urllib.request.urlopen(srv.url + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not become healthy in 40 s:\n" + srv.log()[-2000:])
            time.sleep(0.3)
        yield srv
    finally:
        stop.set()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(server) -> str:
    return server.url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Debian's Chromium is not installed at {CHROMIUM} (`make test` installs it: apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which("chromium") is not None
