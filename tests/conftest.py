"""Shared fixtures of the tests that run outside Odoo.

The pure helpers of ``integria_crm/tools`` are loaded by file path, so that
importing them does not import the Odoo models of the addon. The external
tests drive a real Odoo server started on the database that the Odoo suites
of ``scripts/test.sh`` left installed with the demo data.
"""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "integria_crm" / "tools"


TOOLS_PACKAGE = "integria_crm_tools"


def _tools_package():
    """Register ``integria_crm/tools`` as a package of its own, without the
    addon's ``__init__`` (which imports Odoo), so that a helper may import
    another one relatively."""
    if TOOLS_PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            TOOLS_PACKAGE, TOOLS / "__init__.py", submodule_search_locations=[str(TOOLS)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[TOOLS_PACKAGE] = package
        spec.loader.exec_module(package)
    return sys.modules[TOOLS_PACKAGE]


def load_tool(name):
    """Import ``integria_crm/tools/<name>.py`` without importing Odoo."""
    _tools_package()
    return importlib.import_module(f"{TOOLS_PACKAGE}.{name}")


TEST_HELPERS_PACKAGE = "integria_crm_test_helpers"


def load_test_helper(name):
    """Import a helper module of ``integria_crm/tests`` that needs no Odoo
    (the real servers: Dovecot, MariaDB) without the package's ``__init__``."""
    if TEST_HELPERS_PACKAGE not in sys.modules:
        package = importlib.util.module_from_spec(
            importlib.util.spec_from_loader(TEST_HELPERS_PACKAGE, loader=None, is_package=True)
        )
        package.__path__ = [str(ROOT / "integria_crm" / "tests")]
        sys.modules[TEST_HELPERS_PACKAGE] = package
    return importlib.import_module(f"{TEST_HELPERS_PACKAGE}.{name}")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """A running Odoo, reached over XML-RPC like an external web site would."""

    def __init__(self, url, db):
        self.url = url
        self.db = db

    def login(self, login, password):
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.db, login, password, {})
        assert uid, f"cannot log in as {login}"
        return ExternalUser(self, uid, password)


class ExternalUser:
    def __init__(self, server, uid, password):
        self.server, self.uid, self.password = server, uid, password
        self.proxy = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(self.server.db, self.uid, self.password, model, method, list(args), kwargs)


def start_odoo(command, conf, db, *options, log=None):
    """Start Odoo (``command``: the interpreter and module, or the console
    script) on ``db`` on a free port of 127.0.0.1; return the process and its
    URL once it answers XML-RPC. Its errors go to ``log`` when given (a file
    named by ``--logfile`` in ``options``), else to a pipe."""
    port = _free_port()
    process = subprocess.Popen(
        [
            *command,
            "-c",
            conf,
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(port),
            "--gevent-port",
            str(_free_port()),
            "--max-cron-threads",
            "0",
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if log else subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = (log.read_text() if log.exists() else "") if log else process.stderr.read().decode()
                pytest.fail(f"Odoo did not start: {output[-2000:]}")
            time.sleep(0.5)


@pytest.fixture(scope="session")
def odoo_server():
    conf, db = os.environ.get("ODOO_CONF"), os.environ.get("ODOO_TEST_DB")
    if not conf or not db:
        pytest.fail("ODOO_CONF and ODOO_TEST_DB must name a configuration and a database with the demo data")
    process, url = start_odoo([sys.executable, "-m", "odoo"], conf, db, "--log-level", "warn")
    yield OdooServer(url, db)
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def demo_api_key(odoo_server):
    """The API key the demo generated for its api_user (res.users.apikeys),
    which the demo keeps for the administrator."""
    admin = odoo_server.login("admin", "admin")
    key = admin.call("ir.config_parameter", "get_param", "integria_crm.demo_api_key")
    assert key, "the demo data has no API key for api_user"
    return key
