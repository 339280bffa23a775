"""The [Lead#N] token of lead e-mail subjects (integria_crm/tools/lead_token.py)."""

import pytest
from conftest import load_tool

lead_token = load_tool("lead_token")
parse = lead_token.parse_lead_token


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("[Lead#35]", 35),
        ("[Lead#35] Our offer", 35),
        ("Re: [lead#35] x", 35),
        ("RE: Fwd: [LEAD#35] x", 35),
        ("AW: Re: Your offer [Lead#35]", 35),
        ("Our offer ([Lead#35]) and more", 35),
        ("[ Lead # 35 ]", 35),
        ("[Lead#0035]", 35),
        ("Re:[Lead#7]", 7),
    ],
)
def test_token_found(subject, expected):
    assert parse(subject) == expected


@pytest.mark.parametrize(
    "subject",
    [
        "[Lead#35a]",
        "[Lead#]",
        "[Lead#-3]",
        "[Lead#0]",
        "[Lead#99999999999]",
        "Lead#35",
        "[Lead 35]",
        "[Leads#35]",
        "[Ticket#35]",
        "",
        None,
        "Re: our offer",
    ],
)
def test_no_token(subject):
    assert parse(subject) is None


def test_two_tokens_the_first_wins():
    assert parse("Re: [Lead#5] Fwd: [Lead#3] offer") == 5
    assert lead_token.parse_lead_tokens("[Lead#5] [lead#3] [LEAD#5]") == [5, 3]


def test_lead_subject_adds_the_token_once():
    assert lead_token.lead_subject(35, "Our offer") == "[Lead#35] Our offer"
    assert lead_token.lead_subject(35, "Re: [lead#35] Our offer") == "Re: [lead#35] Our offer"
    assert lead_token.lead_subject(35, "[Lead#3] Our offer") == "[Lead#35] [Lead#3] Our offer"
    assert lead_token.lead_subject(35, "") == "[Lead#35] "
    assert lead_token.lead_subject(35, None) == "[Lead#35] "
    assert parse(lead_token.lead_subject(35, "x")) == 35
