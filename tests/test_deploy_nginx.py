"""
The shipped nginx site file (deploy/nginx/, rendered by scripts/nginx_conf.py): nginx accepts
it, its door locations are the URLconf's, and, running in front of a recording stand-in app,
it refuses a flood of login POSTs with the calm 429 page while GETs pass, and forwards the
headers the app's settings expect.

nginx is required, not optional: scripts/install-deps installs it (CI runs that first).
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from diary.lib.throttle import client_ip

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))  # scripts/ is not a package; serve imports nginx_conf
import nginx_conf  # noqa: E402
import serve  # noqa: E402

CALM = "Too many tries from this network in a short time. Please wait a minute and try again."


def nginx_or_fail() -> str:
    binary = serve.nginx_binary()
    assert binary, "nginx is missing: scripts/install-deps installs it (apt-get install nginx)"
    return binary


def nginx_test(site: str, prefix: Path) -> subprocess.CompletedProcess:
    main = serve.write_throwaway_config(prefix, site)
    command = serve.nginx_command(nginx_or_fail(), prefix, main, "-t")
    return subprocess.run(command, capture_output=True, text=True, check=False)


def locations(site: str) -> dict[str, str]:
    """{path: the block's body} for every `location = PATH` and `location ^~ PATH`."""
    return dict(re.findall(r"location\s+(?:=|\^~)\s+(\S+)\s*\{([^}]*)\}", site))


def production_site(certificate: str = "/etc/ssl/twitchlog.pem", key: str = "/k.pem") -> str:
    return nginx_conf.render(
        app_servers=["10.0.0.11:8000", "10.0.0.12:8000"],
        server_name="twitchlog.example",
        certificate=certificate,
        key=key,
    )


def test_production_config_passes_nginx_t(tmp_path):
    """The TLS site file as the README renders it, with a throwaway certificate."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is missing: scripts/install-deps installs it"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    key_options = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            *key_options,
            "-days",
            "1",
            "-subj",
            "/CN=twitchlog.example",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    site = production_site(str(cert), str(key))
    result = nginx_test(site, tmp_path / "prefix")
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "listen 443 ssl" in site
    assert "return 301 https://$host$request_uri;" in site


def test_a_broken_config_fails_nginx_t(tmp_path):
    """nginx -t as used above does catch mistakes (so its success means something)."""
    site = nginx_conf.render(
        app_servers=["127.0.0.1:9"], server_name="x", plain_http_listen="127.0.0.1:9"
    )
    result = nginx_test(site.replace("limit_req_status 429;", "limit_req_status;"), tmp_path)
    assert result.returncode != 0
    assert "limit_req_status" in result.stderr


def test_render_refuses_a_half_configuration():
    with pytest.raises(ValueError, match="certificate"):
        nginx_conf.render(app_servers=["10.0.0.11:8000"], server_name="twitchlog.example")
    with pytest.raises(ValueError, match="app server"):
        nginx_conf.render(app_servers=[], server_name="x", plain_http_listen="127.0.0.1:1")


def test_the_429_page_exists_with_calm_wording():
    page = nginx_conf.PAGES_DIR / "429.html"
    html = page.read_text()
    assert CALM in html
    assert '<html lang="en">' in html
    assert 'name="viewport"' in html
    # The page is served from where the site file says.
    site = production_site()
    assert f"root {nginx_conf.PAGES_DIR.resolve()};" in site
    assert "error_page 429 /429.html;" in site


def test_the_door_locations_are_the_urlconf_paths():
    """Renaming a URL without changing the proxy would leave that door unlimited."""
    blocks = locations(production_site())
    assert "zone=twitchlog_login " in blocks[reverse("login")]
    assert "zone=twitchlog_login " in blocks[reverse("admin:login")]
    assert "zone=twitchlog_doors " in blocks[reverse("signup")]
    assert "zone=twitchlog_doors " in blocks[reverse("password_reset")]
    share_prefix = reverse("share-page", kwargs={"token": "TOKEN"}).split("TOKEN")[0]
    assert "zone=twitchlog_share " in blocks[share_prefix]
    for body in blocks.values():
        if "limit_req" in body:
            assert "proxy_pass http://twitchlog_app;" in body


def test_only_posts_count_at_the_login_door():
    site = production_site()
    assert re.search(
        r"map \$request_method \$twitchlog_door_post \{\s*POST\s+\$binary_remote_addr;"
        r"\s*default \"\";\s*\}",
        site,
    )
    assert "limit_req_zone $twitchlog_door_post zone=twitchlog_login:" in site


class StandIn(BaseHTTPRequestHandler):
    """The app's place: answers 200 to anything and records what reached it."""

    seen: list[tuple[str, str, dict[str, str]]]

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append((self.command, self.path, dict(self.headers)))
        body = b"app"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxied() -> Iterator[tuple[int, list]]:
    """nginx with the shipped site file in front of the stand-in; (nginx port, what it saw)."""
    nginx_or_fail()
    app = ThreadingHTTPServer((serve.LOOPBACK, 0), StandIn)
    app.seen = []
    thread = threading.Thread(target=app.serve_forever, daemon=True)
    thread.start()
    try:
        with serve.nginx(app_port=app.server_address[1]) as port:
            yield port, app.seen
    finally:
        app.shutdown()
        app.server_close()
        thread.join()


def send(port: int, method: str, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection(serve.LOOPBACK, port, timeout=10)
    body = "username=a&password=b" if method == "POST" else None
    try:
        conn.request(method, path, body, headers or {})
        response = conn.getresponse()
        return response.status, dict(response.headers), response.read().decode()
    finally:
        conn.close()


def test_a_login_post_flood_gets_the_calm_page_and_never_reaches_the_app(proxied):
    port, seen = proxied
    login = reverse("login")
    replies = [send(port, "POST", login) for _ in range(20)]
    statuses = [status for status, _, _ in replies]
    assert statuses[0] == 200
    assert statuses[-1] == 429
    refused = [reply for reply in replies if reply[0] == 429]
    _, headers, html = refused[0]
    assert CALM in html
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Retry-After"] == "60"
    posts_at_app = [path for method, path, _ in seen if method == "POST"]
    assert posts_at_app == [login] * statuses.count(200)
    # The login page itself and every other page still open at once from the same address.
    assert [send(port, "GET", login)[0] for _ in range(20)] == [200] * 20
    assert send(port, "GET", "/")[0] == 200


def test_the_app_gets_the_client_address_and_scheme_it_trusts(proxied, settings):
    """X-Forwarded-For gains the address nginx saw; with nginx in TRUSTED_PROXIES that is it."""
    port, seen = proxied
    spoofed = {"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https", "Host": "x.example"}
    assert send(port, "GET", "/episodes/", spoofed)[0] == 200
    headers = next(h for method, path, h in seen if path == "/episodes/")
    assert headers["X-Forwarded-For"] == "6.6.6.6, 127.0.0.1"
    # Plain HTTP on loopback: the scheme nginx was reached by, not the one the client claimed.
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["Host"] == "x.example"
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # As an app server on another host sees it: the peer is the proxy (10.0.0.2 here).
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=headers["X-Forwarded-For"]
    )
    assert client_ip(request) == "127.0.0.1"
    # The same header from a client that went around the proxy is not believed.
    around = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=headers["X-Forwarded-For"]
    )
    assert client_ip(around) == "203.0.113.9"
