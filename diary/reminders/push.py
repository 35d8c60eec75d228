"""
One Web Push message to one device (RFC 8030), encrypted for its keys (RFC 8291, aes128gcm)
and signed with the server's VAPID key (RFC 8292), by pywebpush.

The push service answers 201 when it has taken the message; 404 or 410 when the subscription
is gone (the browser unsubscribed, the app was removed): the caller then forgets the device.
Anything else (a 5xx, a timeout, a refused connection) is a failure to try again later.
"""

from __future__ import annotations

import enum
import json
import logging

import requests
from pywebpush import WebPusher, WebPushException

from diary.models import PushDevice
from diary.reminders.keys import Keys, authorization

logger = logging.getLogger(__name__)

# Seconds to connect and to read the answer: bounds how long one device can hold a sender.
TIMEOUT = 10


class Outcome(enum.Enum):
    DELIVERED = "delivered"  # the push service took it
    GONE = "gone"  # the subscription no longer exists: forget the device
    FAILED = "failed"  # try again later


def send(
    device: PushDevice,
    payload: dict,
    *,
    keys: Keys,
    ttl: int,
    topic: str,
    session: requests.Session,
) -> Outcome:
    """
    Encrypt `payload` (JSON) for `device` and hand it to its push service.

    `topic` (RFC 8030 5.4) makes a message sent again replace the one still waiting at the
    push service, and the service worker shows it under the same tag, so a repeat never adds a
    second notification. `ttl` (seconds) is how long the service may keep it for an offline
    device: a reminder about a day is no use after that day.
    """
    headers = {
        "Authorization": authorization(keys, device.endpoint),
        "Topic": topic,
        "Urgency": "normal",
    }
    data = json.dumps(payload, separators=(",", ":")).encode()
    try:
        response = WebPusher(device.subscription_info(), requests_session=session).send(
            data, headers, ttl=ttl, content_encoding="aes128gcm", timeout=TIMEOUT
        )
    except (requests.RequestException, WebPushException, ValueError) as error:
        logger.warning("Push to device %s failed: %s", device.uuid, error)
        return Outcome.FAILED
    if response.status_code in (200, 201, 202):
        return Outcome.DELIVERED
    if response.status_code in (404, 410):
        return Outcome.GONE
    logger.warning(
        "Push to device %s refused: %s %s", device.uuid, response.status_code, response.text[:200]
    )
    return Outcome.FAILED
