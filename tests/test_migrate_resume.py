"""A migration killed in the middle (``kill -9``) and started again ends as
an uninterrupted one: ``odoo integria_migrate`` run as an administrator
would, on two scratch databases with integria_crm installed, from the same
Integria database in MariaDB and the same attachment folder."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from conftest import load_test_helper

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": os.environ.get("PGHOST", "127.0.0.1"), "user": os.environ.get("PGUSER", "root")}
SCRATCH = os.environ.get("ODOO_TEST_DB", "integria_crm_test") + "_resume"
# columns a record gets from the clock of the run that writes it
CLOCK_COLUMNS = {
    *("id", "create_uid", "write_uid", "create_date", "write_date"),
    *("date_last_stage_update", "date_open", "date_closed", "calendar_last_notif_ack", "last_activity_date"),
    *("day_open", "day_close"),
}
# columns holding a path of ids ("/1/7/"): of CRM companies, or of the table's records
# besides the migrated records: what they refer to by id, named by what stays the same
NAMED_BY = {
    **{"res_partner": "name", "res_users": "login", "crm_tag": "name", "crm_stage": "name"},
    **{"integria_invoice_tax": "name", "utm_campaign": "name"},
}


def odoo(db, *args, timeout=900):
    conf = os.environ.get("ODOO_CONF")
    if not conf:
        pytest.fail("ODOO_CONF must name the configuration that scripts/test.sh writes")
    addons = next(
        line.split("=", 1)[1].strip() for line in Path(conf).read_text().splitlines() if line.startswith("addons_path")
    )
    command = [sys.executable, "-m", "odoo", f"--addons-path={addons}", *args, "-c", conf, "-d", db]
    return subprocess.Popen(
        [*command, "--log-level=warn"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ), timeout


def query(db, sql, params=None):
    with psycopg2.connect(dbname=db, **PG) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    connection.close()
    return rows


def createdb(name, template=None):
    subprocess.run(["dropdb", "-h", PG["host"], "-U", PG["user"], "--if-exists", name], check=True)
    subprocess.run(
        ["createdb", "-h", PG["host"], "-U", PG["user"], *(["-T", template] if template else []), name], check=True
    )


@pytest.fixture(scope="module")
def integria(tmp_path_factory):
    """An Integria database of a few thousand rows, its attachment folder,
    and two databases with integria_crm installed (no demo data)."""
    integria_db = load_test_helper("integria_db")
    server = integria_db.MariaDBServer().start()
    folder = tmp_path_factory.mktemp("attachment")
    writer = integria_db.IntegriaWriter(server, "integria_resume")
    integria_db.write_scale(
        writer,
        folder=str(folder),
        companies=200,
        contacts=300,
        contracts=300,
        invoices=150,
        leads=300,
        lead_activity=5000,
        attachments=40,
    )
    writer.insert_many(
        "tlead_history",
        [
            {"id_lead": n % 300 + 1, "id_user": "sales01", "description": f"Cambio {n}", "timestamp": "2024-02-04"}
            for n in range(1, 301)
        ],
    )
    writer.insert_many(
        "tcompany_activity",
        [
            {"id_company": n, "written_by": "sales02", "description": f"Visita {n}", "date": "2024-03-01 10:00:00"}
            for n in range(1, 101)
        ],
    )
    writer.close()
    template = f"{SCRATCH}_template"
    createdb(template)
    install, timeout = odoo(template, "-i", "integria_crm", "--stop-after-init", "--without-demo=1")
    output, _err = install.communicate(timeout=timeout)
    assert install.returncode == 0, output
    databases = [f"{SCRATCH}_once", f"{SCRATCH}_killed"]
    for name in databases:
        createdb(name, template)
    yield server.url(writer.name), str(folder), databases
    for name in [*databases, template]:
        subprocess.run(["dropdb", "-h", PG["host"], "-U", PG["user"], "--if-exists", name], check=False)
    server.stop()


def migrate(db, url, folder):
    return odoo(db, "integria_migrate", "--source", url, "--attachments", folder)


def run_to_end(db, url, folder):
    process, timeout = migrate(db, url, folder)
    output, _err = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def kill_when(db, url, folder, sql, timeout=600):
    """Start a run and ``kill -9`` it as soon as ``sql`` counts something on ``db``."""
    process, _timeout = migrate(db, url, folder)
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if query(db, sql)[0][0]:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.1)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"


def labels(db):
    """``{(table, id): label}``: a migrated record by its Integria external
    id, a record the tables refer to by what names it."""
    found = {}
    for model, res_id, name in query(
        db, "SELECT model, res_id, name FROM ir_model_data WHERE module = 'integria_migration'"
    ):
        found[(model.replace(".", "_"), res_id)] = name
    for table, column in NAMED_BY.items():
        for res_id, name in query(db, f'SELECT id, "{column}"::text FROM "{table}"'):
            found.setdefault((table, res_id), f"{table}:{name}")
    return found


def foreign_keys(db):
    """``{(table, column): referenced table}``"""
    rows = query(
        db,
        """
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
          FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f'
        """,
    )
    return {(table, column): target for table, column, target in rows}


def state(db):
    """What the migration left in ``db``, without its ids and clocks."""
    named, references = labels(db), foreign_keys(db)

    def label(table, column, value):
        if column in {"crm_path", "parent_path"} and value:
            owner = "res_partner" if column == "crm_path" else table
            return "/".join(named.get((owner, int(part)), part) if part else "" for part in value.split("/"))
        target = references.get((table, column))
        return named.get((target, value), f"{target}:{value}") if target and value else value

    def dump(table, where, params=()):
        rows = query(db, f'SELECT row_to_json(t)::text FROM "{table}" t WHERE {where}', params)
        result = []
        for (text,) in rows:
            row = json.loads(text)
            key = named.get((table, row["id"]), "")
            kept = {column: label(table, column, value) for column, value in row.items() if column not in CLOCK_COLUMNS}
            if table == "crm_lead":
                kept["create_date"] = row["create_date"]  # Integria's creation date, kept
            result.append((key, json.dumps(kept, sort_keys=True, default=str)))
        return sorted(result)

    where = "id IN (SELECT res_id FROM ir_model_data WHERE module = 'integria_migration' AND model = %s)"
    migrated = {
        table: dump(table, where, (table.replace("_", "."),))
        for table in ("res_partner", "integria_contract", "integria_invoice", "crm_lead", "ir_attachment")
    }
    migrated["mail_message"] = sorted(
        (str(named.get((model.replace(".", "_"), res_id))), message_type, str(subtype), body, str(author), str(date))
        for model, res_id, message_type, subtype, body, author, date in query(
            db,
            """
            SELECT m.model, m.res_id, m.message_type, s.name->>'en_US', m.body, p.name,
                   CASE WHEN m.message_id LIKE '<integria-%%' THEN m.date END
              FROM mail_message m LEFT JOIN mail_message_subtype s ON s.id = m.subtype_id
              LEFT JOIN res_partner p ON p.id = m.author_id
             WHERE (m.model, m.res_id) IN (SELECT model, res_id FROM ir_model_data WHERE module = 'integria_migration')
            """,
        )
    )
    migrated["crm_tag_rel"] = sorted(
        (named.get(("crm_lead", lead)), named.get(("crm_tag", tag)))
        for lead, tag in query(db, "SELECT lead_id, tag_id FROM crm_tag_rel")
    )
    migrated["links"] = sorted(
        query(db, "SELECT name, model, source_hash FROM integria_crm_migration_link ORDER BY name")
    )
    return migrated


def test_killed_run_started_again_ends_as_an_uninterrupted_one(integria):
    url, folder, (once, killed) = integria
    run_to_end(once, url, folder)
    # killed once its contracts are committed, then again in the middle of the notes
    kill_when(
        killed,
        url,
        folder,
        "SELECT count(*) FROM integria_crm_migration_link WHERE model = 'integria.contract'",
    )
    kill_when(
        killed, url, folder, "SELECT count(*) FROM mail_message WHERE message_id LIKE '<integria-tlead_activity-%'"
    )
    notes = query(killed, "SELECT count(*) FROM mail_message WHERE message_id LIKE '<integria-tlead_activity-%'")[0][0]
    assert 0 < notes < 5000, "killed in the middle of the notes"
    output = run_to_end(killed, url, folder)
    assert "lead_activity" in output

    runs = query(killed, "SELECT state FROM integria_crm_migration ORDER BY id")
    assert [state for (state,) in runs] == ["interrupted", "interrupted", "done"]
    expected, got = state(once), state(killed)
    assert len(expected["mail_message"]) > 5000
    assert len(expected["ir_attachment"]) == 40
    assert any(
        '"sequence_number": ' in row and '"sequence_number": null' not in row
        for _key, row in expected["integria_invoice"]
    )
    for table, rows in expected.items():
        assert len(got[table]) == len(rows), table
        for row, got_row in zip(rows, got[table], strict=True):
            assert got_row == row, f"{table}: {differences(row, got_row)}"


def differences(row, got_row):
    """What differs between two dumped records, column by column."""
    if len(row) != 2 or not str(row[1]).startswith("{"):
        return f"{row} != {got_row}"
    expected, got = json.loads(row[1]), json.loads(got_row[1])
    return f"{row[0]} / {got_row[0]}: " + str(
        {column: (value, got.get(column)) for column, value in expected.items() if got.get(column) != value}
    )
