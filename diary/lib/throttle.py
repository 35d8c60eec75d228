"""
Who is knocking, and how often: the client address behind our proxies, and the rate limits on
the public forms (sign-up, password reset) kept in the shared cache by django-ratelimit.

Login lockout is django-axes (see settings, "Doors"); it takes the address from here too, so
both count the same client.

The client address: X-Forwarded-For is believed only when the request comes straight from one
of TRUSTED_PROXIES (addresses or networks), and then only as far as the proxies wrote it. Read
from the right, each entry was appended by the hop that received the request from it; the
first entry that is not a trusted proxy is the client. Anything further left is whatever the
client sent. This is nginx's realip module with `real_ip_recursive on`. (django-ipware and
django-xff pick a position in the header by a count but never ask who sent the header, so a
client reaching the app server directly could name any address.)
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network
type Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks (a bare address is a network of one). Raises ValueError."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_ip(request: HttpRequest) -> str:
    """The client's address (see the module's docstring)."""
    peer = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))

    def trusted(address: Address) -> bool:
        return any(address in network for network in networks)

    hop = _address(peer)
    if hop is None or not trusted(hop):
        return peer
    client = str(hop)
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            break  # not written by a proxy of ours: trust stops at the last good hop
        client = str(address)
        if not trusted(address):
            break
    return client


def _posted_email(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


def too_many(request: HttpRequest, group: str, rate: str, *, per_email: bool = False) -> bool:
    """Count this POST against `rate` ("10/h") per client address (or per posted e-mail)."""
    return is_ratelimited(
        request,
        group=group,
        key=_posted_email if per_email else "ip",
        rate=rate,
        method="POST",
        increment=True,
    )
