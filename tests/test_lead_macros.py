"""The macros of lead e-mail templates (integria_crm/tools/lead_macros.py)."""

from conftest import load_tool

lead_macros = load_tool("lead_macros")

VALUES = lead_macros.lead_macro_values("Jimmy Rodriguez", "jimmy@pfms.example", "User 1", "user1@example.com")


def test_the_four_macros_are_replaced():
    body = "<p>Dear _DEST_NAME_ (_DEST_EMAIL_),</p><p>_SRC_NAME_ &lt;_SRC_EMAIL_&gt;</p>"
    assert lead_macros.render_lead_body(body, VALUES) == (
        "<p>Dear Jimmy Rodriguez (jimmy@pfms.example),</p><p>User 1 &lt;user1@example.com&gt;</p>"
    )


def test_values_are_escaped_and_never_evaluated():
    values = lead_macros.lead_macro_values('<script>alert("x")</script>', "a&b@example.com", "_SRC_EMAIL_", "${1+1}")
    result = lead_macros.render_lead_body("<p>_DEST_NAME_ _DEST_EMAIL_ _SRC_NAME_ _SRC_EMAIL_</p>", values)
    assert result == "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; a&amp;b@example.com _SRC_EMAIL_ ${1+1}</p>"


def test_unknown_macros_and_template_code_stay_as_typed():
    body = "<p>_DEST_PHONE_ {{ object.name }} <t t-out='1'/> ${object} _dest_name_</p>"
    assert lead_macros.render_lead_body(body, VALUES) == body


def test_missing_values_become_empty():
    values = lead_macros.lead_macro_values(False, None, "User 1", "")
    assert lead_macros.render_lead_body("[_DEST_NAME_][_DEST_EMAIL_][_SRC_EMAIL_]", values) == "[][][]"


def test_subject_is_plain_text_on_one_line():
    values = lead_macros.lead_macro_values("Ana <García>\nLópez", "a@example.com", "User 1", "u@example.com")
    assert lead_macros.render_lead_subject("Offer for _DEST_NAME_", values) == "Offer for Ana <García> López"
    assert lead_macros.render_lead_subject("", values) == ""
