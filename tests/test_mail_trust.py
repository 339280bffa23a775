"""Whether a reply comes from whom it claims to be (integria_crm/tools/mail_trust.py)."""

import pytest
from conftest import load_tool

mail_trust = load_tool("mail_trust")

GMAIL = (
    "mx.mycompany.example; dkim=pass header.i=@pfms.example header.s=s1 header.b=AbCd; "
    "spf=pass (mycompany.example: domain of jimmy@pfms.example designates 192.0.2.1 as permitted sender) "
    "smtp.mailfrom=jimmy@pfms.example; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=pfms.example"
)
OUTLOOK = (
    "spf=fail (sender IP is 192.0.2.9) smtp.mailfrom=pfms.example; dkim=none (message not signed) "
    "header.d=none;dmarc=fail action=none header.from=pfms.example;compauth=fail reason=001"
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Jimmy Rodriguez <Jimmy@PFMS.example>"], "jimmy@pfms.example"),
        (['"Rodriguez, Jimmy" <jimmy@pfms.example>'], "jimmy@pfms.example"),
        (["jimmy@pfms.example, Mallory <mallory@evil.example>"], None),
        (["jimmy@pfms.example", "mallory@evil.example"], None),
        (["undisclosed-recipients:;"], None),
        ([], None),
        (None, None),
    ],
)
def test_single_address(values, expected):
    assert mail_trust.single_address(values) == expected


def test_parse_gmail_and_outlook_headers():
    server, results = mail_trust.parse_authentication_results(GMAIL)
    assert server == "mx.mycompany.example"
    assert [(method, result) for method, result, _props in results] == [
        ("dkim", "pass"),
        ("spf", "pass"),
        ("dmarc", "pass"),
    ]
    assert results[2][2] == {"header.from": "pfms.example"}
    server, results = mail_trust.parse_authentication_results(OUTLOOK)
    assert server == "", "Microsoft writes no authserv-id"
    assert ("dmarc", "fail") in [(method, result) for method, result, _props in results]


def test_failures_only_from_the_configured_server_and_for_the_domain():
    ours = "mx.mycompany.example"
    assert mail_trust.reported_failures([GMAIL], ours, "pfms.example") == []
    assert mail_trust.reported_failures([GMAIL], ours.upper(), "pfms.example") == []
    assert mail_trust.reported_failures([OUTLOOK], ours, "pfms.example") is None
    assert mail_trust.reported_failures([GMAIL], "", "pfms.example") is None, "no authserv-id set: no check"
    forged = "mx.mycompany.example.evil; dmarc=fail header.from=pfms.example"
    assert mail_trust.reported_failures([forged], ours, "pfms.example") is None
    failing = f"{ours}; dkim=fail header.d=pfms.example; spf=fail smtp.mailfrom=x@mail.pfms.example; dmarc=fail"
    assert mail_trust.reported_failures([failing], ours, "pfms.example") == ["dkim", "spf", "dmarc"]
    other_domain = f"{ours}; dkim=fail header.d=lists.example; spf=softfail smtp.mailfrom=pfms.example"
    assert mail_trust.reported_failures([other_domain], ours, "pfms.example") == []
    # a second header of the same server reporting a failure wins over a pass
    assert mail_trust.reported_failures([GMAIL, f"{ours}; dmarc=fail"], ours, "pfms.example") == ["dmarc"]


def test_malformed_headers_do_not_break_the_check():
    for junk in ("", ";;;", "mx.mycompany.example;", "mx.mycompany.example; dkim", "(comment only)"):
        assert mail_trust.reported_failures([junk], "mx.mycompany.example", "pfms.example") in (None, [])


def test_unsigned_mail_is_not_dkim_signed():
    raw = b"From: jimmy@pfms.example\r\nSubject: x\r\n\r\nHello\r\n"
    assert mail_trust.dkim_signed_by(raw, "pfms.example", nameserver="127.0.0.1:9") is False
