"""Addresses as a browser reads them: the one place that splits and normalises a URL."""
from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

# Browsers drop tabs and line ends anywhere in an address, and spaces and control characters at its ends.
DROPPED = re.compile(r"[\t\n\r]")
EDGES = "".join(chr(c) for c in range(0x21))


def split_url(url: str) -> SplitResult | None:
    """An address split into its parts, or None when it cannot be one (e.g. 'http://[oops/' or port 99999)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError:
        return None
    return parts


def as_browser_reads(url: str) -> str:
    """The address a browser would follow: '/\\evil.example/x' and '/&#10;/evil.example' both become '//evil.example'."""
    return DROPPED.sub("", url).strip(EDGES).replace("\\", "/")
