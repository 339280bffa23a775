#!/usr/bin/env python3
"""Refresh integria_crm/i18n: export the template from a database where the
addon is installed, merge it into es.po keeping the existing translations,
and list the strings still to translate.

    python3 scripts/update_i18n.py [DB]   (default: integria_crm_test, left by scripts/test.sh)
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "integria_crm" / "i18n"


def main():
    db = sys.argv[1] if len(sys.argv) > 1 else "integria_crm_test"
    template = I18N / "integria_crm.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "i18n",
            "export",
            "-c",
            str(ROOT / ".build" / "odoo.conf"),
            "-d",
            db,
            "-o",
            str(template),
            "integria_crm",
        ],
        check=True,
        capture_output=True,
    )
    spanish_path = I18N / "es.po"
    spanish = polib.pofile(str(spanish_path)) if spanish_path.exists() else polib.POFile()
    spanish.merge(polib.pofile(str(template)))
    spanish.metadata.update(
        {"Language": "es", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    )
    for entry in spanish.obsolete_entries():
        spanish.remove(entry)
    spanish.save(str(spanish_path))
    missing = [entry.msgid for entry in spanish if not entry.msgstr or "fuzzy" in entry.flags]
    print(f"{len(spanish)} strings, {len(missing)} to translate")
    for msgid in missing:
        print(f"  {msgid!r}")


if __name__ == "__main__":
    main()
