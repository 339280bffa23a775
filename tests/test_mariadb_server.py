"""The MariaDB the migration tests read: where none answers where the
environment points, the fixture (and scripts/mariadb_server.py, which
scripts/test.sh runs) starts Debian's mariadbd on a free port with a
temporary data directory, and removes it when done."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import ROOT, _free_port, load_test_helper


def nothing_answers(monkeypatch):
    port = _free_port()
    monkeypatch.setenv("INTEGRIA_MYSQL_HOST", "127.0.0.1")
    monkeypatch.setenv("INTEGRIA_MYSQL_PORT", str(port))
    return port


def test_fixture_starts_its_own_server_where_none_answers(monkeypatch):
    port = nothing_answers(monkeypatch)
    integria_db = load_test_helper("integria_db")
    server = integria_db.MariaDBServer().start()
    try:
        assert server.process is not None, "started here"
        assert server.port != port
        folder = server.folder
        writer = integria_db.IntegriaWriter(server, "integria_own_server")
        integria_db.write_manual_example(writer)
        assert writer.execute("SELECT COUNT(*) FROM tcompany") == ((5,),)
        writer.close()
    finally:
        server.stop()
    assert not folder.exists(), "its data directory is removed"


def test_script_serves_until_terminated(monkeypatch):
    nothing_answers(monkeypatch)
    before = set(Path(tempfile.gettempdir()).glob("integria-mariadb-*"))
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "mariadb_server.py")], stdout=subprocess.PIPE, text=True
    )
    try:
        variables = {}
        for line in process.stdout:
            if not line.strip():
                break
            name, value = line.strip().split("=", 1)
            variables[name] = value
        assert set(variables) == {
            "INTEGRIA_MYSQL_HOST",
            "INTEGRIA_MYSQL_PORT",
            "INTEGRIA_MYSQL_USER",
            "INTEGRIA_MYSQL_PASSWORD",
        }
        monkeypatch.setattr(os, "environ", {**os.environ, **variables})
        server = load_test_helper("integria_db").MariaDBServer()
        assert server.port == int(variables["INTEGRIA_MYSQL_PORT"])
        connection = server.connect()
        with connection.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            assert "MariaDB" in cursor.fetchone()[0]
        connection.close()
    finally:
        process.terminate()
        assert process.wait(timeout=60) == 0
    assert not set(Path(tempfile.gettempdir()).glob("integria-mariadb-*")) - before, "its data directory is removed"


def test_test_script_starts_one_where_none_answers(monkeypatch):
    """scripts/test.sh's ``ensure_mariadb``: the variables exported reach a
    server, stopped when the calling script exits."""
    nothing_answers(monkeypatch)
    before = set(Path(tempfile.gettempdir()).glob("integria-mariadb-*"))
    script = (
        f'source "{ROOT}/scripts/common.sh"; ensure_mariadb >/dev/null; '
        'mariadb -h "$INTEGRIA_MYSQL_HOST" -P "$INTEGRIA_MYSQL_PORT" -u "$INTEGRIA_MYSQL_USER" -N -e "SELECT 41 + 1"'
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"
    assert not set(Path(tempfile.gettempdir()).glob("integria-mariadb-*")) - before, "stopped and removed on exit"
