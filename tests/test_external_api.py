"""The manual's worked example through a running Odoo, over XML-RPC, as the
demo users log in."""

import xmlrpc.client

import pytest

DENIED = r"doesn't have '(read|write)' access"
COMPANIES = [("is_crm_company", "=", True), ("name", "in", ["Customer A", "Customer B"])]


def _names(user):
    return sorted(r["name"] for r in user.call("res.partner", "search_read", COMPANIES, fields=["name"]))


def _customer(user, name):
    return user.call("res.partner", "search", [("name", "=", name), ("is_crm_company", "=", True)])


@pytest.fixture(scope="module")
def users(odoo_server):
    return {login: odoo_server.login(login, login) for login in ("user1", "manager1", "user2")}


def test_visibility_table(users, odoo_server):
    admin = odoo_server.login("admin", "admin")
    assert _names(users["user1"]) == ["Customer A", "Customer B"]
    assert _names(users["manager1"]) == ["Customer A", "Customer B"]
    assert _names(users["user2"]) == []
    assert _names(admin) == ["Customer A", "Customer B"]


def test_user1_writes_a_not_b(users):
    user1 = users["user1"]
    customer_a, customer_b = _customer(user1, "Customer A"), _customer(user1, "Customer B")
    assert user1.call("res.partner", "write", customer_a, {"comment": "<p>Visited</p>"})
    with pytest.raises(xmlrpc.client.Fault, match=DENIED):
        user1.call("res.partner", "write", customer_b, {"comment": "<p>Nope</p>"})


def test_manager1_writes_both(users):
    manager1 = users["manager1"]
    ids = _customer(manager1, "Customer A") + _customer(manager1, "Customer B")
    assert manager1.call("res.partner", "write", ids, {"payment_conditions": "60"})


def test_user2_reads_nothing(users, odoo_server):
    admin = odoo_server.login("admin", "admin")
    customer_a = _customer(admin, "Customer A")
    with pytest.raises(xmlrpc.client.Fault, match=DENIED):
        users["user2"].call("res.partner", "read", customer_a, ["name"])


def test_demo_invoices_linked_to_contracts(odoo_server):
    """The demo has pending, paid and locked invoices linked to a contract,
    and the contract lists them."""
    admin = odoo_server.login("admin", "admin")
    linked = admin.call(
        "integria.invoice",
        "search_read",
        [("contract_id", "!=", False)],
        fields=["state", "locked_by_id", "contract_id"],
    )
    assert {"pending", "paid"} <= {invoice["state"] for invoice in linked}
    assert any(invoice["locked_by_id"] for invoice in linked)
    contract_id = linked[0]["contract_id"][0]
    [contract] = admin.call("integria.contract", "read", [contract_id], ["invoice_ids"])
    assert {invoice["id"] for invoice in linked if invoice["contract_id"][0] == contract_id} <= set(
        contract["invoice_ids"]
    )
