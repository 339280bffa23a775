"""Every user-facing string of the addon has its Spanish translation.

The template is exported afresh from the test database, so a string added to
the code without its translation in ``i18n/es.po`` fails here."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ADDON = Path(__file__).resolve().parent.parent / "integria_crm"


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory):
    conf, db = os.environ.get("ODOO_CONF"), os.environ.get("ODOO_TEST_DB")
    if not conf or not db:
        pytest.fail("ODOO_CONF and ODOO_TEST_DB must name a configuration and a database with integria_crm")
    target = tmp_path_factory.mktemp("i18n") / "integria_crm.pot"
    subprocess.run(
        [sys.executable, "-m", "odoo", "i18n", "export", "-c", conf, "-d", db, "-o", str(target), "integria_crm"],
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(target))


def test_spanish_translation_complete(fresh_template):
    spanish = {entry.msgid: entry for entry in polib.pofile(str(ADDON / "i18n" / "es.po"))}
    missing = [e.msgid for e in fresh_template if e.msgid and not spanish.get(e.msgid, polib.POEntry()).msgstr]
    assert not missing, f"{len(missing)} strings lack a Spanish translation, e.g. {missing[:10]}"


def test_template_up_to_date(fresh_template):
    committed = {entry.msgid for entry in polib.pofile(str(ADDON / "i18n" / "integria_crm.pot"))}
    fresh = {entry.msgid for entry in fresh_template}
    assert fresh == committed, f"integria_crm.pot is stale: new {sorted(fresh - committed)[:10]}"
