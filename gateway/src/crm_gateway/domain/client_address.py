"""Who the client is behind trusted proxies (pure, no I/O).

Each proxy appends the address of its own peer to `X-Forwarded-For` (or a `for=` element to
`Forwarded`, RFC 7239), so only the right-hand part of the chain was written by our proxies; the
left-most entries are whatever the client sent. The client is therefore the right-most address
that is not one of our trusted proxies, and the header counts only when the socket peer itself
is a trusted proxy.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPV6_KEY_PREFIX = 64  # one IPv6 subscriber usually holds a whole /64
_FOR_PARAMETER = re.compile(r'(?:^|;)\s*for\s*=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*)', re.IGNORECASE)


def parse_networks(text: str) -> list[IPNetwork]:
    """"10.0.0.0/8, 2001:db8::/32, 127.0.0.1" → networks (a bare address is its own /32 or /128)."""
    return [ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()]


def parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`, `2001:db8::1`."""
    value = text.strip().strip('"')
    if value.startswith("["):
        value = value[1:value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def x_forwarded_for_chain(values: Iterable[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def forwarded_chain(values: Iterable[str]) -> list[str]:
    """The `for=` node of every element of RFC 7239 `Forwarded` headers, in order."""
    chain = []
    for value in values:
        for element in value.split(","):
            match = _FOR_PARAMETER.search(element.strip())
            if match:
                chain.append(match.group(1).strip('"').replace('\\"', '"'))
    return chain


def resolve(peer: str, chain: list[str], trusted: list[IPNetwork]) -> str:
    """The client's address: the peer unless it is a trusted proxy, else the right-most untrusted
    address of the chain. An entry that is not an address (`unknown`, an obfuscated name) ends the
    walk at the trusted hop that wrote it."""
    current = parse_address(peer)
    if current is None:
        return peer
    for entry in reversed(chain):
        if not _is_trusted(current, trusted):
            break
        address = parse_address(entry)
        if address is None:
            break
        current = address
    return str(current)


def bucket_key(address: str) -> str:
    """The key one client is counted under: an IPv4 address, or the /64 of an IPv6 address."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_KEY_PREFIX}", strict=False))
    return str(parsed) if parsed is not None else address


def _is_trusted(address: IPAddress, trusted: list[IPNetwork]) -> bool:
    return any(address in network for network in trusted)
