"""IP allow-lists of the lead intake (integria_crm/tools/ip_list.py)."""

import pytest
from conftest import load_tool

ip_list = load_tool("ip_list")


def _allowed(address, text):
    return ip_list.ip_in_list(address, ip_list.parse_ip_list(text))


@pytest.mark.parametrize(
    ("address", "text", "allowed"),
    [
        ("192.168.70.163", "192.168.70.163", True),
        ("192.168.70.16", "192.168.70.163", False),  # no substring matching
        ("192.168.70.1633", "192.168.70.163", False),
        ("10.1.2.3", "10.0.0.0/8", True),
        ("11.0.0.1", "10.0.0.0/8", False),
        ("10.1.2.3", "192.168.0.1, 10.1.2.0/24\n172.16.0.0/12", True),
        ("172.20.0.1", "192.168.0.1; 10.1.2.0/24 172.16.0.0/12", True),
        ("::ffff:10.0.0.7", "10.0.0.0/24", True),
        ("2001:db8::1", "2001:db8::/32", True),
        ("2001:db8::1", "10.0.0.0/8", False),
        ("not an ip", "10.0.0.0/8", False),
        ("", "10.0.0.0/8", False),
        ("10.0.0.1", "", False),
    ],
)
def test_ip_in_list(address, text, allowed):
    assert _allowed(address, text) is allowed


def test_host_bits_in_a_range_are_accepted():
    assert _allowed("10.1.2.200", "10.1.2.3/24")


@pytest.mark.parametrize("entry", ["10.0.0", "10.0.0.0/33", "example.com", "10.0.0.*"])
def test_invalid_entries(entry):
    with pytest.raises(ValueError, match="neither an IP address nor a CIDR range"):
        ip_list.parse_ip_list(f"10.0.0.1, {entry}")
