"""
The app as it is served, on 127.0.0.1, for the scripts that measure it that way
(bench_flood.py, lighthouse.py, loadtest.py): gunicorn, and nginx in front of it with the
shipped configuration (deploy/nginx/, rendered by scripts/nginx_conf.py).

    os.environ.update(production_env(database_url=f"sqlite:///{tmpdir / 'db.sqlite3'}"))
    with ExitStack() as stack:
        port = free_port()
        stack.enter_context(gunicorn(port, log=tmpdir / "gunicorn.log", workers=3))
        proxy_port = stack.enter_context(nginx(app_port=port))

Both are context managers that wait until the server answers /healthz and stop it on the way
out, whatever happens; a server that exits or does not answer raises ServerError with the end
of its log. Neither ever listens on anything but 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import nginx_conf

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
START_SECONDS = 60


class ServerError(RuntimeError):
    """A server exited or did not answer /healthz in time."""


def production_env(*, database_url: str | None = None) -> dict[str, str]:
    """Production settings for a server on loopback, to add to the environment.

    DEBUG off with a fresh SECRET_KEY; no TLS redirect, since nothing terminates TLS on
    loopback; Chart.js from the vendored copy, since this machine may have no internet.
    """
    env = {
        "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": LOOPBACK,
        "SECURE_SSL_REDIRECT": "0",
        "CHARTJS_URL": "local",
    }
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return env


def collect_static(env: dict[str, str]) -> None:
    """Collect the static files as a deployment does: pages then use the manifest's hashed names."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def _log_tail(log: Path, chars: int = 3000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"


def _wait_for_health(process: subprocess.Popen, port: int, name: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"{name} on port {port} exited; its log:\n{_log_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/healthz", timeout=5):
                return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    raise ServerError(f"{name} on port {port} did not answer /healthz within {START_SECONDS} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def gunicorn(
    port: int,
    *,
    log: Path,
    workers: int = 2,
    threads: int = 1,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
) -> Iterator[subprocess.Popen]:
    """gunicorn twitchlog.wsgi on 127.0.0.1:port, its output in `log`: sync workers, or
    threaded ones with `threads` > 1 (as in production), never --preload, so every worker
    imports the app itself and starts its own PDF renderers on its first PDF.

    `env` defaults to this process's environment: set DEBUG, SECRET_KEY, DATABASE_URL and the
    rest there (or pass them) before starting it.
    """
    if "--preload" in extra_args:
        raise ValueError("serve.gunicorn() runs the app as production does: without --preload")
    args = [f"--bind={LOOPBACK}:{port}", f"--workers={workers}", *extra_args]
    if threads > 1:
        args.append(f"--threads={threads}")
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "twitchlog.wsgi", *args],
            cwd=ROOT,
            env=dict(env if env is not None else os.environ),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_health(process, port, "gunicorn", log)
            yield process
        finally:
            _stop(process)


def nginx_binary() -> str | None:
    """The nginx executable, also when /usr/sbin is not on PATH (most non-root users)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None


# What Debian's /etc/nginx/nginx.conf gives the shipped site file in production, here with
# every file nginx writes inside the prefix directory (nginx -p).
THROWAWAY_MAIN = """\
# A throwaway nginx on 127.0.0.1 around the shipped site file; every path is in the prefix.
pid nginx.pid;
error_log error.log warn;
worker_processes 1;
events {{
    worker_connections 512;
}}
http {{
    access_log access.log;
    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;
    include {site};
}}
"""


def write_throwaway_config(prefix: Path, site: str) -> Path:
    """Write the rendered site file and a main config including it into `prefix`."""
    prefix.mkdir(parents=True, exist_ok=True)
    # Workers started by root run as nobody and must reach the temp directories in here.
    prefix.chmod(0o755)
    (prefix / "twitchlog.conf").write_text(site)
    main = prefix / "nginx.conf"
    main.write_text(THROWAWAY_MAIN.format(site=prefix / "twitchlog.conf"))
    return main


def nginx_command(binary: str, prefix: Path, main: Path, *args: str) -> list[str]:
    # -e: the start-up error log too, before the config has been read (default /var/log/nginx).
    return [binary, "-p", f"{prefix}/", "-e", "error.log", "-c", str(main), *args]


@contextmanager
def nginx(*, app_port: int, port: int | None = None) -> Iterator[int]:
    """nginx with the shipped site file on 127.0.0.1 in front of gunicorn on `app_port`.

    Plain HTTP (no certificate on loopback); every limit and header is the production one.
    Its pid, logs and temp files live in a temp directory removed afterwards. Yields the port
    it listens on. Raises ServerError when nginx is not installed.
    """
    binary = nginx_binary()
    if binary is None:
        raise ServerError("nginx is not installed (scripts/install-deps installs it)")
    port = port or free_port()
    site = nginx_conf.render(
        app_servers=[f"{LOOPBACK}:{app_port}"],
        server_name=LOOPBACK,
        plain_http_listen=f"{LOOPBACK}:{port}",
    )
    with tempfile.TemporaryDirectory(prefix="twitchlog-nginx-") as tmp:
        prefix = Path(tmp)
        main = write_throwaway_config(prefix, site)
        log = prefix / "error.log"
        with log.open("ab") as log_file:
            process = subprocess.Popen(
                nginx_command(binary, prefix, main, "-g", "daemon off;"),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_for_health(process, port, "nginx", log)
                yield port
            finally:
                _stop(process)
