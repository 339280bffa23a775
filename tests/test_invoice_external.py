"""Invoices through a running Odoo, over XML-RPC, as the demo users log in:
the permission table, and issued invoices saved at the same time for one
customer by several clients, each request in its own server thread, cursor
and transaction."""

import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import load_tool

invoice_number = load_tool("invoice_number")

DENIED = r"doesn't have '(read|write|unlink)' access|not allowed to (access|delete)"
CLIENTS = 4
SAVES_PER_CLIENT = 3


@pytest.fixture(scope="module")
def users(odoo_server):
    return {login: odoo_server.login(login, login) for login in ("admin", "user1", "manager1", "user2")}


def _company_names(user):
    invoices = user.call("integria.invoice", "search_read", [], fields=["partner_id"])
    return {invoice["partner_id"][1] for invoice in invoices} & {"Customer A", "Customer B"}


def test_invoice_table(users):
    assert _company_names(users["user1"]) == {"Customer A"}
    assert _company_names(users["manager1"]) == {"Customer A", "Customer B"}
    assert _company_names(users["admin"]) == {"Customer A", "Customer B"}
    with pytest.raises(xmlrpc.client.Fault, match=DENIED):
        users["user2"].call("integria.invoice", "search", [])


def test_only_administrators_delete(users):
    invoice = users["manager1"].call("integria.invoice", "search", [("partner_id.name", "=", "Customer B")], limit=1)
    with pytest.raises(xmlrpc.client.Fault, match=DENIED):
        users["manager1"].call("integria.invoice", "unlink", invoice)


@pytest.fixture
def companies(users, odoo_server):
    """The same company of User 1 for every client: each save moves the
    company's activity date, and no save may fail because of it."""
    admin = users["admin"]
    my_company = admin.call("res.users", "read", [admin.uid], ["crm_company_id"])[0]["crm_company_id"][0]
    company = admin.call(
        "res.partner",
        "create",
        {
            "name": "Concurrent customer",
            "is_company": True,
            "is_crm_company": True,
            "owner_id": users["user1"].uid,
            "crm_parent_id": my_company,
        },
    )
    yield [company] * CLIENTS
    admin.call("integria.invoice", "unlink", admin.call("integria.invoice", "search", [("partner_id", "=", company)]))
    admin.call("res.partner", "unlink", [company])


def test_concurrent_saves_over_xmlrpc(users, companies, odoo_server):
    pattern_text = users["admin"].call("ir.config_parameter", "get_param", "integria_crm.invoice_number_pattern")
    pattern = invoice_number.parse_pattern(pattern_text or "15/[1000]")

    def save_invoices(company_id):
        client = odoo_server.login("user1", "user1")  # one connection per client
        return [
            client.call(
                "integria.invoice",
                "read",
                client.call(
                    "integria.invoice",
                    "create",
                    {"partner_id": company_id, "line_ids": [(0, 0, {"description": "Support", "amount": 10})]},
                ),
                ["number"],
            )[0]["number"]
            for _index in range(SAVES_PER_CLIENT)
        ]

    with ThreadPoolExecutor(CLIENTS) as pool:
        numbers = [number for numbers in pool.map(save_invoices, companies) for number in numbers]
    integers = sorted(invoice_number.parse_number(pattern, number) for number in numbers)
    assert len(set(integers)) == CLIENTS * SAVES_PER_CLIENT
    assert integers == list(range(integers[0], integers[0] + len(integers))), "consecutive numbers"
