"""Whether an incoming reply comes from whom it claims to be.

A reply is appended to a lead as written by the address of its ``From``
header only when that header holds a single address, and when the receiving
server (the one whose ``authserv-id`` the settings name; an
``Authentication-Results`` header with another id may have been written by
the sender and is ignored) did not report a DMARC, DKIM or SPF failure for
the domain of that address (RFC 8601). Without such a header, the DKIM
signature can be verified here (dkimpy) and must be valid and signed by the
domain of the sender.
"""

import logging
import re
from email.utils import getaddresses

FAILING_RESULTS = {"dmarc": {"fail"}, "dkim": {"fail"}, "spf": {"fail"}}
# the property of each method that names the domain it judged
DOMAIN_PROPERTIES = {
    "dmarc": ("header.from",),
    "dkim": ("header.d", "header.i"),
    "spf": ("smtp.mailfrom", "smtp.helo"),
}
COMMENT_RE = re.compile(r"\([^()]*\)")


class _DkimLogger(logging.LoggerAdapter):
    """dkimpy logs a signature that does not verify as an error: for a
    mail gateway it is an ordinary outcome."""

    def error(self, msg, *args, **kwargs):
        self.info(msg, *args, **kwargs)


DKIM_LOGGER = _DkimLogger(logging.getLogger(__name__), {})


def header_addresses(values):
    """Return the addresses of address headers ``values`` (a list of the
    header's occurrences), lowercased, empty ones left out."""
    return [address.strip().lower() for _name, address in getaddresses(values or []) if address.strip()]


def single_address(values):
    """Return the one address of a ``From`` header, or ``None`` when it has
    none or several (``From: a@x, Mallory <m@y>``), or appears twice."""
    addresses = header_addresses(values)
    return addresses[0] if len(values or []) == 1 and len(addresses) == 1 else None


def domain_of(address):
    """Return the domain of an address or of a bare domain, lowercased."""
    return (address or "").rsplit("@", 1)[-1].strip().strip(".").lower()


def parse_authentication_results(value):
    """Return ``(authserv_id, results)`` of an ``Authentication-Results``
    header: ``results`` is a list of ``(method, result, properties)``."""
    text = COMMENT_RE.sub(" ", " ".join((value or "").split()))
    parts = [part.strip() for part in text.split(";")]
    authserv_id = parts[0].split()[0].lower() if parts and parts[0] else ""
    if "=" in authserv_id:  # no authserv-id (some servers leave it out)
        authserv_id, parts = "", ["", *parts]
    results = []
    for part in parts[1:]:
        tokens = part.split()
        if not tokens or "=" not in tokens[0]:
            continue
        method, result = tokens[0].split("=", 1)
        properties = dict(token.split("=", 1) for token in tokens[1:] if "=" in token)
        results.append((method.lower(), result.lower(), {key.lower(): val for key, val in properties.items()}))
    return authserv_id, results


def _same_domain(first, second):
    return bool(first and second) and (first == second or first.endswith("." + second) or second.endswith("." + first))


def reported_failures(headers, authserv_id, domain):
    """Return the methods (``dmarc``, ``dkim``, ``spf``) that the server
    ``authserv_id`` reports as failed for ``domain`` in the
    ``Authentication-Results`` ``headers``; ``None`` when none of the headers
    comes from that server."""
    authserv_id = (authserv_id or "").strip().lower()
    if not authserv_id:
        return None
    found = False
    failures = []
    for header in headers or []:
        server, results = parse_authentication_results(header)
        if server != authserv_id:
            continue
        found = True
        for method, result, properties in results:
            if result not in FAILING_RESULTS.get(method, ()):
                continue
            judged = [domain_of(properties[key]) for key in DOMAIN_PROPERTIES[method] if key in properties]
            if not judged or any(_same_domain(judged_domain, domain) for judged_domain in judged):
                failures.append(method)
    return failures if found else None


def dkim_signed_by(raw_message, domain, nameserver=None, timeout=5):
    """Whether ``raw_message`` (bytes) carries a valid DKIM signature of
    ``domain`` (or of a parent or subdomain of it). The public key is read
    from the DNS, of ``nameserver`` (``host`` or ``host:port``) if given."""
    import dkim

    verifier = dkim.DKIM(raw_message, logger=DKIM_LOGGER)
    try:
        valid = verifier.verify(dnsfunc=_txt_lookup(nameserver, timeout))
    except dkim.DKIMException:
        return False
    signer = (verifier.domain or b"").decode("ascii", "replace").lower()
    return bool(valid) and _same_domain(signer, domain)


def _txt_lookup(nameserver, timeout):
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=not nameserver)
    if nameserver:
        host, _sep, port = nameserver.partition(":")
        resolver.nameservers = [host]
        resolver.port = int(port or 53)

    def lookup(name, timeout=timeout):
        try:
            answer = resolver.resolve(name.decode().rstrip("."), "TXT", lifetime=timeout)
        except Exception:
            return None
        return b"".join(answer[0].strings) if answer else None

    return lookup
