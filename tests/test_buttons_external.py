"""Every button of contracts and invoices, called over XML-RPC by a client
that does not accept None (Python's default), as the demo's Manage user."""

import xmlrpc.client

import pytest

CONTRACT_BUTTONS = ["action_create_invoice", "action_open_document_wizard", "action_open_documents"]
# in an order that each one applies to the state the previous one left
INVOICE_BUTTONS = ["action_lock", "action_unlock", "action_mark_paid", "action_mark_pending", "action_cancel"]
INVOICE_REPORT_BUTTONS = ["action_print"]


@pytest.fixture(scope="module")
def manager(odoo_server):
    user = odoo_server.login("manager1", "manager1")
    # a strict client: marshalling None fails, as it does for most XML-RPC clients
    user.proxy = xmlrpc.client.ServerProxy(f"{odoo_server.url}/xmlrpc/2/object", allow_none=False)
    return user


@pytest.fixture
def invoice(manager, odoo_server):
    customer = manager.call("res.partner", "search", [("name", "=", "Customer B")], limit=1)
    invoice_id = manager.call(
        "integria.invoice",
        "create",
        {"partner_id": customer[0], "line_ids": [(0, 0, {"description": "Buttons", "amount": 5})]},
    )
    yield invoice_id
    # only administrators delete invoices
    odoo_server.login("admin", "admin").call("integria.invoice", "unlink", [invoice_id])


def _is_answer(result):
    return result is True or (isinstance(result, dict) and "type" in result)


@pytest.mark.parametrize("button", CONTRACT_BUTTONS)
def test_contract_buttons(manager, button):
    contract = manager.call("integria.contract", "search", [("partner_id.name", "=", "Customer B")], limit=1)
    assert _is_answer(manager.call("integria.contract", button, contract))


def test_invoice_buttons(manager, invoice):
    for button in INVOICE_BUTTONS + INVOICE_REPORT_BUTTONS:
        assert _is_answer(manager.call("integria.invoice", button, [invoice])), button
    state, locked = (
        manager.call("integria.invoice", "read", [invoice], ["state", "locked_by_id"])[0][f]
        for f in ("state", "locked_by_id")
    )
    assert (state, locked) == ("cancelled", False)
