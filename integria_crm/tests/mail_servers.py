"""A real IMAP server (Dovecot) and a real SMTP sink (aiosmtpd) on 127.0.0.1,
started by the e-mail tests and stopped after them.

Dovecot runs from a configuration written to a temporary folder: one
passwd-file account, maildirs in the same folder, IMAP without TLS on a free
port. Nothing is skipped when Dovecot is missing: the tests fail, and
scripts/common.sh installs the Debian package dovecot-imapd.
"""

import email
import email.policy
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
START_TIMEOUT = 20


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process=None, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


class DovecotServer:
    """Dovecot serving IMAP for one account on 127.0.0.1."""

    def __init__(self, login="leads", password="leads-password"):
        self.login = login
        self.password = password
        self.port = None
        self.folder = None
        self.process = None

    def _config(self, folder):
        if os.geteuid() == 0:
            # root runs the master; mail is accessed as the unprivileged dovecot user
            mail_user = pwd.getpwnam("dovecot")
            internal = "dovecot"
            login_user = "dovenull"
        else:
            mail_user = pwd.getpwuid(os.geteuid())
            internal = login_user = mail_user.pw_name
        uid, gid = mail_user.pw_uid, mail_user.pw_gid
        home = folder / "home" / self.login
        (folder / "passwd").write_text(f"{self.login}:{{PLAIN}}{self.password}:{uid}:{gid}::{home}\n")
        for sub in ("home", "mail"):
            (folder / sub).mkdir()
            os.chown(folder / sub, uid, gid)
        return f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login_user}
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {folder}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

    def start(self):
        if not os.access(DOVECOT, os.X_OK):
            raise RuntimeError(f"Dovecot is not installed ({DOVECOT}): install the Debian package dovecot-imapd")
        self.folder = Path(tempfile.mkdtemp(prefix="integria-dovecot-"))
        self.folder.chmod(0o755)
        self.port = free_port()
        config = self.folder / "dovecot.conf"
        config.write_text(self._config(self.folder))
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        if not wait_for_port(self.port, self.process):
            log = self.log()
            self.stop()
            raise RuntimeError(f"Dovecot did not start on 127.0.0.1:{self.port}:\n{log}")
        return self

    def log(self):
        path = self.folder and self.folder / "dovecot.log"
        output = ""
        if self.process and self.process.poll() is not None and self.process.stdout:
            output = self.process.stdout.read().decode(errors="replace")
        return output + (path.read_text(errors="replace") if path and path.exists() else "")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self.process.stdout.close()
        self.process = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def imap(self):
        """Return an IMAP connection logged in to the account."""
        connection = imaplib.IMAP4("127.0.0.1", self.port)
        connection.login(self.login, self.password)
        return connection

    def append(self, message, folder="INBOX"):
        """Deliver ``message`` (bytes or an e-mail message) to the mailbox, unread."""
        data = message if isinstance(message, bytes) else message.as_bytes(policy=email.policy.SMTP)
        connection = self.imap()
        try:
            status, _data = connection.append(folder, "", imaplib.Time2Internaldate(time.time()), data)
            if status != "OK":
                raise RuntimeError(f"IMAP APPEND failed: {status}")
        finally:
            connection.logout()

    def unread_count(self):
        connection = self.imap()
        try:
            connection.select("INBOX")
            _status, data = connection.search(None, "UNSEEN")
            return len(data[0].split())
        finally:
            connection.logout()


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self):
        self.messages = []
        self.port = None
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.SMTP)
        self.messages.append({"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos), "message": message})
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


class DnsServer:
    """A DNS server on 127.0.0.1 (UDP) answering TXT queries from a table, as
    a domain's DNS publishes its DKIM keys (``selector._domainkey.domain``);
    any other name is answered NXDOMAIN."""

    def __init__(self, records=None):
        self.records = dict(records or {})
        self.port = None
        self.sock = None
        self.thread = None

    def start(self):
        import threading

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        return self

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def _serve(self):
        import dns.message
        import dns.rcode
        import dns.rrset

        while self.sock:
            try:
                data, client = self.sock.recvfrom(4096)
            except OSError:
                return
            query = dns.message.from_wire(data)
            response = dns.message.make_response(query)
            question = query.question[0]
            name = question.name.to_text().rstrip(".").lower()
            if name in self.records:
                text = self.records[name]
                chunks = " ".join(f'"{text[i : i + 255]}"' for i in range(0, len(text), 255))
                response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "TXT", chunks))
            else:
                response.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(response.to_wire(), client)

    def stop(self):
        sock, self.sock = self.sock, None
        if sock:
            sock.close()
        if self.thread:
            self.thread.join(timeout=5)
