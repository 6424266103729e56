"""The outgoing side shared by the API and the dispatcher: what counts as received, and the
test notification that checks a new abonnement's callback."""

from __future__ import annotations

import logging
from typing import Any

import httpx

log = logging.getLogger("samenzaak.notificaties")

# What Open Notificaties sends to a callback before accepting an abonnement: a notification
# on a kanaal no source uses, so a consumer can recognise and ignore it.
TEST_NOTIFICATION: dict[str, Any] = {
    "kanaal": "test",
    "hoofdObject": "http://some.hoofdobject.nl/",
    "resource": "some_resource",
    "resourceUrl": "http://some.resource.nl/",
    "actie": "create",
    "aanmaakdatum": "2019-01-01T12:00:00Z",
    "kenmerken": {},
}


def received(status: int) -> bool:
    """A delivery succeeded. The theme text expects 200, the consumer webhook spec documents
    204; both (any 2xx) mean the consumer took the message."""
    return 200 <= status < 300


async def callback_accepts(url: str, auth: str, *, wait: float) -> tuple[bool, str]:
    """POST the test notification with the abonnement's Authorization header.

    Returns whether the callback answered 2xx, and a reason for the refusal.
    """
    try:
        async with httpx.AsyncClient(timeout=wait) as client:
            response = await client.post(url, json=TEST_NOTIFICATION, headers={"Authorization": auth})
    except httpx.HTTPError as exc:
        log.info("callback %s unreachable: %s", url, exc)
        return False, f"De callback URL is niet bereikbaar ({type(exc).__name__})."
    if not received(response.status_code):
        return False, f"De callback URL antwoordde met HTTP {response.status_code} in plaats van 204."
    return True, ""
