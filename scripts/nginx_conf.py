#!/usr/bin/env python
"""
The nginx site file for production, from deploy/nginx/twitchlog.conf.template: the proxy in
front of the app servers, with the limits at the doors and the friendly 429 page.

    .venv/bin/python scripts/nginx_conf.py --server-name twitchlog.example \\
        --app 10.0.0.11:8000 --app 10.0.0.12:8000 \\
        --certificate /etc/letsencrypt/live/twitchlog.example/fullchain.pem \\
        --key /etc/letsencrypt/live/twitchlog.example/privkey.pem \\
        > /etc/nginx/conf.d/twitchlog.conf
    nginx -t && systemctl reload nginx

It serves HTTPS on 443 and redirects port 80 to it. `--plain-http 127.0.0.1:8080` instead of
a certificate listens on that address without TLS: only for measuring on loopback
(scripts/serve.py), never for real users, since the app then sees X-Forwarded-Proto: http.
The 429 page is read from this checkout's deploy/nginx/ unless `--pages-dir` says where it is.
Standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
TEMPLATE = DEPLOY / "twitchlog.conf.template"
PAGES_DIR = DEPLOY  # holds 429.html
PLACEHOLDER = re.compile(r"@([a-z_]+)@")

REDIRECT_SERVER = """\
server {{
    listen 80;
    listen [::]:80;
    server_name {server_name};
    server_tokens off;
    location / {{
        return 301 https://$host$request_uri;
    }}
}}
"""

# `listen … http2` is how Debian 12's nginx (1.22) spells it; from 1.25.1 it still works, with
# a warning to write `http2 on;` instead.
TLS_LISTEN = """\
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    ssl_certificate {certificate};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:twitchlog_tls:10m;
    ssl_session_timeout 1d;
    ssl_session_tickets off;
"""


def render(
    *,
    app_servers: Sequence[str],
    server_name: str,
    certificate: str | None = None,
    key: str | None = None,
    plain_http_listen: str | None = None,
    pages_dir: Path = PAGES_DIR,
) -> str:
    """The site file. Either certificate and key (production) or plain_http_listen."""
    if not app_servers:
        raise ValueError("at least one app server (host:port)")
    if plain_http_listen is None and not (certificate and key):
        raise ValueError("a certificate and its key, or plain_http_listen for loopback")
    if plain_http_listen is not None and (certificate or key):
        raise ValueError("plain_http_listen has no certificate")
    if not (pages_dir / "429.html").is_file():
        raise ValueError(f"{pages_dir} has no 429.html")
    if plain_http_listen is not None:
        listen, redirect = f"    listen {plain_http_listen};\n", ""
    else:
        listen = TLS_LISTEN.format(certificate=certificate, key=key)
        redirect = REDIRECT_SERVER.format(server_name=server_name)
    values = {
        "app_servers": "\n".join(f"    server {server};" for server in app_servers),
        "redirect_server": redirect.rstrip("\n"),
        "listen": listen.rstrip("\n"),
        "server_name": server_name,
        "pages_dir": str(pages_dir.resolve()),
    }
    template = TEMPLATE.read_text()
    missing = set(PLACEHOLDER.findall(template)) - set(values)
    if missing:
        raise ValueError(f"the template has placeholders this script does not fill: {missing}")
    site = PLACEHOLDER.sub(lambda match: values[match.group(1)], template)
    return re.sub(r"\n{3,}", "\n\n", site)  # no gap where the redirect server is left out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--server-name", required=True, help="the public host name")
    parser.add_argument(
        "--app", action="append", required=True, help="an app server, host:port (repeat)"
    )
    parser.add_argument("--certificate", help="the TLS certificate chain (PEM)")
    parser.add_argument("--key", help="its private key (PEM)")
    parser.add_argument("--plain-http", metavar="ADDRESS", help="loopback measurements only")
    parser.add_argument("--pages-dir", type=Path, default=PAGES_DIR, help="where 429.html is")
    args = parser.parse_args(argv)
    try:
        site = render(
            app_servers=args.app,
            server_name=args.server_name,
            certificate=args.certificate,
            key=args.key,
            plain_http_listen=args.plain_http,
            pages_dir=args.pages_dir,
        )
    except ValueError as error:
        parser.error(str(error))
    sys.stdout.write(site)


if __name__ == "__main__":
    main()
