"""Building and recognising this installation's own resource URLs.

A URL is local when it starts with the public base URL (scheme, host and port) and an
API root of ours; local URLs are resolved to rows without an HTTP call.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

# API name -> (path segment, implemented version, component code used in autorisaties).
APIS: dict[str, tuple[str, str, str]] = {
    "zaken": ("zaken", "1.7.0", "zrc"),
    "catalogi": ("catalogi", "1.3.3", "ztc"),
    "documenten": ("documenten", "1.7.0", "drc"),
    "besluiten": ("besluiten", "1.1.0", "brc"),
    "notificaties": ("notificaties", "1.0.1", "nrc"),
    "autorisaties": ("autorisaties", "1.1.0", "ac"),
    "referentielijsten": ("referentielijsten", "0.6.0", ""),
}


def api_root_path(api: str, prefix: str = "") -> str:
    return f"{prefix}/{APIS[api][0]}/api/v1"


@dataclass(frozen=True, slots=True)
class LocalRef:
    api: str
    resource: str
    uuid: uuid.UUID
    rest: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UrlBuilder:
    """URLs for one request: the public base (``https://host[:port]``) and the tenant prefix."""

    base: str
    prefix: str = ""

    def root(self, api: str) -> str:
        return self.base + api_root_path(api, self.prefix)

    def detail(self, api: str, resource: str, pk: uuid.UUID | str) -> str:
        return f"{self.root(api)}/{resource}/{pk}"

    def parse(self, url: str) -> LocalRef | None:
        """The local resource a URL points at, or ``None`` for a remote (or malformed) URL."""
        if not url.startswith(self.base + self.prefix + "/"):
            return None
        parts = urlsplit(url)
        here = urlsplit(self.base)
        if (parts.scheme, parts.netloc) != (here.scheme, here.netloc):
            return None
        path = parts.path[len(here.path) + len(self.prefix) :].strip("/").split("/")
        # <api>/api/v1/<resource>/<uuid>[/<rest>...]
        if len(path) < 5 or path[1:3] != ["api", "v1"]:
            return None
        api = next((name for name, spec in APIS.items() if spec[0] == path[0]), None)
        if api is None:
            return None
        try:
            pk = uuid.UUID(path[4])
        except ValueError:
            return None
        return LocalRef(api, path[3], pk, tuple(path[5:]))

    def local_uuid(self, url: str, api: str, resource: str) -> uuid.UUID | None:
        ref = self.parse(url)
        if ref is None or ref.api != api or ref.resource != resource or ref.rest:
            return None
        return ref.uuid


def uuid_from_ref(value: str | None) -> uuid.UUID | None:
    """The UUID a user gave, as a bare UUID or as the resource URL ending in it; else None."""
    if not value:
        return None
    try:
        return uuid.UUID(value.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        return None
