"""
A push service on 127.0.0.1 for the tests and the bench: it speaks the part of RFC 8030 an
application server uses (POST a message to a subscription's endpoint, 201 Created), checks
the VAPID token (RFC 8292: an ES256 JWT for this origin, not expired, with a contact) and
decrypts the aes128gcm payload (RFC 8291) with the subscription's private key, so a test reads
the text each person received.

It is written against the RFCs with `cryptography` and `http_ece`, not with the library the
app sends with: a mistake in how the app uses pywebpush would show here.

    service = PushService(); service.start()
    subscription = service.subscribe()      # what a browser's PushSubscription.toJSON() gives
    ... the app sends ...
    service.messages(subscription)           # [Message(text=..., topic=..., ttl=...)]
    service.gone.add(endpoint_id)            # the subscription is gone: 410 from now on
"""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Message:
    endpoint_id: str
    text: str
    topic: str | None
    ttl: int
    urgency: str | None
    received_at: float  # time.time() when it arrived

    @property
    def data(self) -> dict:
        return json.loads(self.text)


@dataclass
class Subscriber:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes


@dataclass
class Refusal:
    status: int
    reason: str


@dataclass
class State:
    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    received: list[Message] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)  # endpoint ids answered with 410
    failing: set[str] = field(default_factory=set)  # endpoint ids answered with 500
    application_key: str | None = None  # the VAPID public key subscriptions were made with
    verified_tokens: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args) -> None:
        pass

    def refuse(self, status: int, reason: str) -> None:
        with self.server.state.lock:
            self.server.state.refused.append(Refusal(status, reason))
        self.answer(status, reason.encode())

    def answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        state = self.server.state
        endpoint_id = self.path.removeprefix("/push/")
        subscriber = state.subscribers.get(endpoint_id)
        if not self.path.startswith("/push/") or subscriber is None:
            return self.refuse(404, "no such subscription")
        if endpoint_id in state.gone:
            return self.refuse(410, "subscription gone")
        if endpoint_id in state.failing:
            return self.refuse(500, "push service unwell")
        problem = self.vapid_problem()
        if problem:
            return self.refuse(401 if "token" in problem else 403, problem)
        ttl = self.headers.get("TTL")
        if ttl is None or not ttl.isdigit():
            return self.refuse(400, "TTL header missing")
        if self.headers.get("Content-Encoding") != "aes128gcm":
            return self.refuse(415, "payload not aes128gcm")
        topic = self.headers.get("Topic")
        if topic is not None and (len(topic) > 32 or not _url_safe(topic)):
            return self.refuse(400, "Topic longer than 32 or not URL-safe base64")
        try:
            text = http_ece.decrypt(
                body,
                private_key=subscriber.private_key,
                auth_secret=subscriber.auth,
                version="aes128gcm",
            ).decode()
        except Exception as error:  # any failure to decrypt is the sender's mistake
            return self.refuse(400, f"cannot decrypt: {error}")
        message = Message(
            endpoint_id, text, topic, int(ttl), self.headers.get("Urgency"), time.time()
        )
        with state.lock:
            state.received.append(message)
            number = len(state.received)
        self.answer(201, headers={"Location": f"/message/{number}"})

    def vapid_problem(self) -> str | None:
        """What is wrong with the request's VAPID token, or None (RFC 8292 section 2 and 3)."""
        authorization = self.headers.get("Authorization", "")
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            return "no vapid token"
        parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        token, key = parts.get("t", ""), parts.get("k", "")
        state = self.server.state
        if state.application_key and key != state.application_key:
            return "key is not the one the subscription was made with"
        if token + key in state.verified_tokens:
            return self.claims_problem(token)
        try:
            header, payload, signature = token.split(".")
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
            raw = unb64url(signature)
            der = encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
            if json.loads(unb64url(header)).get("alg") != "ES256":
                return "token is not ES256"
        except (ValueError, InvalidSignature):
            return "token signature does not verify"
        with state.lock:
            state.verified_tokens.add(token + key)
        return self.claims_problem(token)

    def claims_problem(self, token: str) -> str | None:
        claims = json.loads(unb64url(token.split(".")[1]))
        if claims.get("aud") != self.server.origin:
            return f"token audience {claims.get('aud')!r} is not {self.server.origin}"
        exp = claims.get("exp", 0)
        if not time.time() < exp <= time.time() + 24 * 3600:
            return "token expired or valid for more than 24 hours"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "token has no contact (sub)"
        return None


def _url_safe(text: str) -> bool:
    return all(c.isalnum() or c in "-_" for c in text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: State
    origin: str

    def handle_error(self, request, client_address) -> None:
        # A sender killed mid-request (the queue tests do that on purpose) resets its
        # connection: nothing to report.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class PushService:
    def __init__(self) -> None:
        self.state = State()
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.state = self.state
        host, port = self._server.server_address[:2]
        self.origin = self._server.origin = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> PushService:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def subscribe(self, private_key: ec.EllipticCurvePrivateKey | None = None) -> dict:
        """A new subscription, as a browser's PushSubscription.toJSON() would give it."""
        private_key = private_key or ec.generate_private_key(ec.SECP256R1())
        secret = os.urandom(16)
        with self.state.lock:
            endpoint_id = f"s{len(self.state.subscribers) + 1}"
            self.state.subscribers[endpoint_id] = Subscriber(private_key, secret)
        point = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.origin}/push/{endpoint_id}",
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(secret)},
        }

    def subscribe_many(self, count: int, *, distinct_keys: int = 1000) -> list[dict]:
        """`count` subscriptions, sharing `distinct_keys` key pairs (each has its endpoint)."""
        keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(min(count, distinct_keys))]
        return [self.subscribe(keys[n % len(keys)]) for n in range(count)]

    def stats(self) -> dict:
        """Messages received, distinct endpoints reached, refusals, the last arrival."""
        with self.state.lock:
            received = list(self.state.received)
            refused = len(self.state.refused)
        return {
            "messages": len(received),
            "endpoints": len({m.endpoint_id for m in received}),
            "refused": refused,
            "last": max((m.received_at for m in received), default=None),
        }

    def register(self, endpoint_id: str, private_key, auth: bytes) -> None:
        """Accept messages for a subscription made elsewhere (a browser's, or the bench's)."""
        with self.state.lock:
            self.state.subscribers[endpoint_id] = Subscriber(private_key, auth)

    @staticmethod
    def endpoint_id(subscription: dict | str) -> str:
        endpoint = subscription if isinstance(subscription, str) else subscription["endpoint"]
        return endpoint.rsplit("/", 1)[-1]

    def messages(self, subscription: dict | str | None = None) -> list[Message]:
        with self.state.lock:
            received = list(self.state.received)
        if subscription is None:
            return received
        wanted = self.endpoint_id(subscription)
        return [m for m in received if m.endpoint_id == wanted]

    @property
    def refused(self) -> list[Refusal]:
        with self.state.lock:
            return list(self.state.refused)
