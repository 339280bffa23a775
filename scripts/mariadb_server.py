"""Make sure a MariaDB answers for the migration tests (scripts/test.sh).

The machine's server on 127.0.0.1:3306 (root, empty password;
``INTEGRIA_MYSQL_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD`` override) is
used where it answers; where none does, a ``mariadbd`` of Debian's
``mariadb-server`` is started on a free 127.0.0.1 port with a temporary data
directory, by the same code the tests use (``MariaDBServer`` of
``integria_crm/tests/integria_db.py``). Prints the ``INTEGRIA_MYSQL_*``
variables that reach it, one ``NAME=value`` a line, then an empty line; a
server started here runs until this process is terminated.
"""

import importlib
import importlib.util
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "integria_crm_test_helpers"


def load_fixture():
    """``integria_crm/tests/integria_db.py`` without the addon (no Odoo)."""
    package = importlib.util.module_from_spec(importlib.util.spec_from_loader(PACKAGE, loader=None, is_package=True))
    package.__path__ = [str(ROOT / "integria_crm" / "tests")]
    sys.modules[PACKAGE] = package
    return importlib.import_module(f"{PACKAGE}.integria_db")


def main():
    server = load_fixture().MariaDBServer().start()
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    print(f"INTEGRIA_MYSQL_HOST={server.host}")
    print(f"INTEGRIA_MYSQL_PORT={server.port}")
    print(f"INTEGRIA_MYSQL_USER={server.user}")
    print(f"INTEGRIA_MYSQL_PASSWORD={server.password}")
    print(flush=True)
    if server.process is None:
        return
    try:
        server.process.wait()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
