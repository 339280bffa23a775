"""IP allow-lists: exact addresses and CIDR ranges, never substrings."""

import ipaddress
import re

SEPARATORS = re.compile(r"[\s,;]+")


def parse_ip_list(text):
    """Return the networks of ``text``: addresses and CIDR ranges separated
    by commas, semicolons, spaces or newlines. An address is a network of
    one. Raise ``ValueError`` naming the first entry that is neither."""
    networks = []
    for entry in SEPARATORS.split(text or ""):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"'{entry}' is neither an IP address nor a CIDR range") from None
    return networks


def ip_in_list(address, networks):
    """Whether ``address`` (text) belongs to one of ``networks``; an address
    that does not parse belongs to none. IPv4-mapped IPv6 addresses
    (``::ffff:10.0.0.1``) match their IPv4 ranges."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in networks)
