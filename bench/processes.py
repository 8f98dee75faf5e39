"""Real processes for tests and benchmarks: a hub server, a device running one sync, a proxy
that cuts connections."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HubProcess:
    """``python -m sync.hub.app`` on a loopback port; SIGKILL and restart at will."""

    def __init__(self, hub_dir: Path, port: int | None = None,
                 tls: tuple[Path, Path] | None = None, ca_file: Path | None = None) -> None:
        self.hub_dir, self.port = hub_dir, port or free_port()
        self.tls, self.ca_file = tls, ca_file
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = hub_dir / "server.log"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        tls = ["--cert", str(self.tls[0]), "--key", str(self.tls[1])] if self.tls else []
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sync.hub.app", "--dir", str(self.hub_dir),
                 "--port", str(self.port), "--allow-unencrypted-disk", *tls], cwd=REPO,
                stdout=log, stderr=log)
        verify: Any = ssl.create_default_context(cafile=str(self.ca_file)) \
            if self.ca_file else True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=1.0,
                             verify=verify).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("hub did not become healthy")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_device_sync(device_root: Path, batch_size: int, url: str | None = None, *,
                      retry_for_s: float | None = None) -> subprocess.Popen[bytes]:
    """One ``SyncClient.sync_now()`` in its own process (so it can be SIGKILLed);
    ``retry_for_s`` bounds its retries after a connection problem."""
    env = dict(os.environ, LIFEBOAT_HOME=str(device_root))
    if retry_for_s is not None:
        env["LIFEBOAT_SYNC_RETRY_S"] = str(retry_for_s)
    args = [sys.executable, "-m", "tests.sync.device_sync_driver", str(device_root),
            str(batch_size)] + ([url] if url else [])
    return subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 that cuts a share of connections after a random byte count."""

    def __init__(self, target_port: int, cut_probability: float, seed: int = 7) -> None:
        self.target_port, self.cut_probability = target_port, cut_probability
        self.rng = random.Random(seed)
        self.cuts = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            cut_after = self.rng.randint(0, 60_000) if self.rng.random() < \
                self.cut_probability else None
            threading.Thread(target=self._pipe_pair, args=(client, cut_after),
                             daemon=True).start()

    def _pipe_pair(self, client: socket.socket, cut_after: int | None) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
        except OSError:
            client.close()
            return
        budget = [cut_after]
        lock = threading.Lock()

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while True:
                    data = src.recv(16384)
                    if not data:
                        break
                    with lock:
                        if budget[0] is not None:
                            if len(data) >= budget[0]:
                                self.cuts += 1
                                raise ConnectionAbortedError
                            budget[0] -= len(data)
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                for s in (client, upstream):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    s.close()

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)

    def close(self) -> None:
        self._stop.set()
        self.server.close()
        self._thread.join(2)


class Forwarder:
    """A plain TCP forwarder on 127.0.0.1 that can drop every connection and refuse new ones
    (``cut``) and come back on the same port (``restore``): a database link going down. It
    keeps every byte clients send (``sent``), so it doubles as a network tap."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.sent = bytearray()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self.server: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        if self.server is not None:
            return
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._serve, args=(self.server,), daemon=True).start()

    def cut(self) -> None:
        if self.server is not None:
            try:  # wakes the thread blocked in accept(); close() alone would not
                self.server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.server.close()
            self.server = None
        with self._lock:
            for s in self._conns:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self._conns.clear()

    def _serve(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._conns += [client, upstream]
            for src, dst, tap in ((client, upstream, self.sent), (upstream, client, None)):
                threading.Thread(target=self._pump, args=(src, dst, tap), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, tap: bytearray | None) -> None:
        try:
            while data := src.recv(65536):
                if tap is not None:
                    tap += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class HAProxy:
    """Debian's HAProxy on 127.0.0.1 in front of hub processes, checking ``/v1/ready`` the way
    docs/hub-deployment.md tells an IT team to (round robin; a process is out after two failed
    checks and back after one good one). A killed process refuses the check at once; a busy
    one gets ``timeout check`` to answer, so load alone does not take it out."""

    def __init__(self, backend_ports: list[int], folder: Path, *, check_ms: int = 500) -> None:
        self.binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.port = free_port()
        self.config = folder / "haproxy.cfg"
        servers = "\n".join(f"    server hub{i} 127.0.0.1:{port} check"
                            for i, port in enumerate(backend_ports))
        self.config.write_text(f"""global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout check 5s
    retries 2
    option redispatch
frontend devices
    bind 127.0.0.1:{self.port}
    default_backend hubs
backend hubs
    balance roundrobin
    option httpchk GET /v1/ready
    http-check expect status 200
    default-server inter {check_ms}ms fall 2 rise 1
{servers}
""")
        self.log = folder / "haproxy.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def available() -> bool:
        return bool(shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists())

    def start(self, timeout: float = 15.0) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([self.binary, "-db", "-f", str(self.config)],
                                         stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/v1/ready", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("haproxy did not start serving")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
