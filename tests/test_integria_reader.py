"""Reading an Integria database in a real MariaDB (integria_crm/tools/integria_reader.py)."""

import time

import pytest
from conftest import load_test_helper, load_tool

integria_db = load_test_helper("integria_db")
integria_reader = load_tool("integria_reader")
integria_text = load_tool("integria_text")
integria_source = load_tool("integria_source")


@pytest.fixture(scope="module")
def server():
    server = integria_db.MariaDBServer().start()
    yield server
    server.stop()


@pytest.fixture
def source(server):
    writer = integria_db.IntegriaWriter(server, "integria_reader_test")
    yield writer
    writer.drop()


def test_rows_streamed_in_batches(source):
    source.insert_many("tcompany", [{"name": f"Company {n}", "id_company_role": 1} for n in range(25)])
    reader = integria_reader.IntegriaReader(source.server.url(source.name))
    batches = list(reader.batches("tcompany", "id, name", size=10))
    assert [len(batch) for batch in batches] == [10, 10, 5]
    assert [row["id"] for batch in batches for row in batch] == list(range(1, 26))
    assert reader.count("tcompany") == 25
    assert list(reader.batches("tnot_there")) == []
    assert reader.count("tnot_there") == 0
    reader.close()


def test_a_slow_reader_keeps_its_connection(source):
    """Each batch is a query of its own: a reader that takes longer between
    two batches than the server's net_write_timeout (a migration writing a
    chunk of records) still reads every row. Streamed through one open
    query, the server gave up writing the rest and dropped the connection."""
    source.insert_many("tcompany", [{"name": f"Company {n}", "comments": "x" * 2000} for n in range(12000)])
    reader = integria_reader.IntegriaReader(source.server.url(source.name))
    reader.query("SET SESSION net_write_timeout = 1")
    read = 0
    for batch in reader.batches("tcompany", "id, comments", size=500):
        if not read:
            time.sleep(3)
        read += len(batch)
    assert read == 12000
    reader.close()


def test_text_as_integria_wrote_it(source):
    company = source.insert("tcompany", name="Café (Madrid) & Co <b>", id_company_role=1, manager="admin")
    source.insert("tcompany", raw=True, double_encoded=True, name="José Pérez SL", id_company_role=1)
    source.insert("tcompany", double_encoded=True, name="Завод 😀", id_company_role=1)
    source.insert("tcompany_contact", id_company=company, fullname="Ñandú García")
    reader = integria_reader.IntegriaReader(source.server.url(source.name))
    assert reader.tables()["tcompany_contact"] == "latin1"
    names = [integria_text.clean_text(row["name"]) for batch in reader.batches("tcompany", "id, name") for row in batch]
    assert names == ["Café (Madrid) & Co <b>", "José Pérez SL", "Завод 😀"]
    (contact,) = next(reader.batches("tcompany_contact", "fullname"))
    assert integria_text.clean_text(contact["fullname"]) == "Ñandú García"
    (row,) = next(reader.batches("tcompany", "last_update", where="id = 1"))
    assert integria_text.parse_datetime(row["last_update"]) is None
    reader.close()


def test_invoice_amounts_as_mysql_adds_them(source):
    # FLOAT(11,2) is single precision: 1234567.89 is stored as 1234567.875
    source.insert("tinvoice", id_company=1, amount1=1234567.89, amount2=0.1)
    # Integria stores the taxes as json_encode wrote them, not through safe_input
    source.execute("UPDATE tinvoice SET tax = %s", ('{"tax1":"21"}',))
    reader = integria_reader.IntegriaReader(source.server.url(source.name))
    (row,) = reader.query("SELECT amount1 + amount2 + amount3 + amount4 + amount5 AS amount, tax FROM tinvoice")
    assert row["amount"] == pytest.approx(1234567.875 + 0.10000000149011612)
    total = integria_source.invoice_total(
        row["amount"], 0, [rate for _n, rate in integria_source.parse_taxes(row["tax"])], 0
    )
    assert total == 1493827.26  # php: round(round(a, 2) * 1.21, 2)
    reader.close()


def test_unreachable_source_says_so(server):
    reader = integria_reader.IntegriaReader(f"mysql://root@127.0.0.1:{server.port}/integria_no_such_db")
    with pytest.raises(integria_source.SourceError, match="integria_no_such_db"):
        reader.tables()
    assert "password" not in reader.describe()
