"""The project's scripts start Odoo through its ``odoo`` console script, the
way that keeps a multi-process server's gevent child up (README.md,
"Running in production"), never as ``python3 -m odoo``."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _shell(command):
    return subprocess.run(
        ["bash", "-c", f"source scripts/common.sh; {command}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HTTP_PORT": os.environ.get("HTTP_PORT", "8069")},
    ).stdout


def test_odoo_runs_through_its_console_script():
    odoo_bin = _shell("require_odoo; echo $ODOO_BIN").strip()
    assert Path(odoo_bin).name == "odoo" and os.access(odoo_bin, os.X_OK)
    assert "odoo" in _shell("require_odoo; type odoo")
    assert "-m odoo" not in _shell("require_odoo; type odoo")
    commands = [line for line in (ROOT / "scripts" / "run.sh").read_text().splitlines() if not line.startswith("#")]
    assert not [line for line in commands if "-m odoo" in line]


def test_production_options():
    options = _shell("production_options 3").split()
    assert options[:2] == ["--workers", "3"]
    assert {"--proxy-mode", "--limit-memory-soft", "--limit-memory-hard", "--limit-time-real"} <= set(options)
