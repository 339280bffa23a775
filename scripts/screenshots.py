#!/usr/bin/env python3
"""Take the README's screenshots from a running demo server, as its users see it.

    scripts/run.sh &                     # the demo on http://127.0.0.1:8069
    python3 scripts/screenshots.py [URL] [DB]

Logs in over JSON-RPC, hands the session cookie to a headless Chromium
through its DevTools protocol, opens each page and saves a PNG in
docs/screenshots/.
"""

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
# (file, login, path): the menus are reached by their actions
PAGES = [
    ("companies-user1.png", "user1", "/odoo/action-integria_crm.action_integria_crm_company"),
    ("contract-manager1.png", "manager1", "/odoo/action-integria_crm.action_integria_contract"),
    ("invoice-user1.png", "user1", "/odoo/action-integria_crm.action_integria_invoice"),
]


def session_id(url, db, login):
    payload = {"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}}
    request = urllib.request.Request(
        f"{url}/web/session/authenticate", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        cookie = response.headers.get("Set-Cookie", "")
    return cookie.split("session_id=")[1].split(";")[0]


class Chrome:
    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp()
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "--window-size=1400,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as response:
                    target = next(t for t in json.load(response) if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.socket = websocket.create_connection(target["webSocketDebuggerUrl"])
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def wait_for(self, selector, timeout=90):
        """Wait until the page shows an element matching ``selector``."""
        deadline = time.monotonic() + timeout
        expression = f"!!document.querySelector({json.dumps(selector)})"
        while time.monotonic() < deadline:
            if self.call("Runtime.evaluate", expression=expression).get("result", {}).get("value"):
                time.sleep(1.5)  # let images and the chatter settle
                return
            time.sleep(0.5)
        raise TimeoutError(f"{selector} did not show up")

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8069"
    db = sys.argv[2] if len(sys.argv) > 2 else "integria_crm"
    SHOTS.mkdir(parents=True, exist_ok=True)
    chrome = Chrome()
    try:
        chrome.call("Emulation.setDeviceMetricsOverride", width=1400, height=900, deviceScaleFactor=1, mobile=False)
        for name, login, path in PAGES:
            chrome.call("Network.clearBrowserCookies")
            chrome.call("Network.setCookie", name="session_id", value=session_id(url, db, login), url=url)
            chrome.call("Page.navigate", url=url + path)
            chrome.wait_for(".o_list_view .o_data_row")
            if name.startswith(("contract", "invoice")):
                # open the first record of the list
                chrome.call(
                    "Runtime.evaluate", expression="document.querySelector('.o_data_row .o_data_cell')?.click()"
                )
                chrome.wait_for(".o_form_view .o_form_sheet")
            shot = chrome.call("Page.captureScreenshot", format="png")
            (SHOTS / name).write_bytes(base64.b64decode(shot["data"]))
            print(f"saved docs/screenshots/{name} as {login}")
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
