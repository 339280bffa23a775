"""An Integria IMS database in a real MariaDB server, for the migration tests
and benchmark.

The server is the one these machines run on 127.0.0.1:3306 (root, empty
password; ``INTEGRIA_MYSQL_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``
override), or, where none answers, a ``mariadbd`` from Debian's
``mariadb-server`` started on a free 127.0.0.1 port with a temporary data
directory, as the mail tests start Dovecot.

The schema below is written from the facts of Integria 4.x/5.0's tables that
the migration reads (names, types, defaults, the latin1 and utf8 charsets);
``IntegriaWriter`` inserts rows the way Integria's PHP writes them: text
through ``safe_input`` (HTML entities), zero dates for "none", amounts in
single-precision ``FLOAT(11,2)``, and — as Integria never set its connection's
character set — UTF-8 text sent over a latin1 connection when asked
(``double_encoded``), which stores it twice encoded.
"""

import html.entities
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pymysql.converters import escape_string

from .mail_servers import free_port, wait_for_port

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"

SCHEMA = """
CREATE TABLE tusuario (
  id_usuario varchar(60) NOT NULL DEFAULT '', nombre_real varchar(125) NOT NULL DEFAULT '',
  password varchar(45) DEFAULT NULL, direccion varchar(100) DEFAULT '', telefono varchar(100) DEFAULT '',
  nivel tinyint(1) NOT NULL DEFAULT 0, lang varchar(10) DEFAULT '', disabled int DEFAULT 0,
  id_company int(10) unsigned NULL DEFAULT 0, fecha_registro datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  PRIMARY KEY (id_usuario)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tprofile (
  id int(10) unsigned NOT NULL AUTO_INCREMENT, name varchar(150) NOT NULL DEFAULT '',
  cr tinyint(1) NOT NULL DEFAULT 0, cw tinyint(1) NOT NULL DEFAULT 0, cm tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tgrupo (
  id_grupo mediumint(8) unsigned NOT NULL AUTO_INCREMENT, nombre varchar(100) NOT NULL DEFAULT '',
  PRIMARY KEY (id_grupo)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tusuario_perfil (
  id_up bigint(20) unsigned NOT NULL AUTO_INCREMENT, id_usuario varchar(60) NOT NULL DEFAULT '',
  id_perfil int(10) unsigned NOT NULL DEFAULT 0, id_grupo mediumint(8) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (id_up)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tsla (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, name varchar(100) NOT NULL DEFAULT '', PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tlanguage (
  id_language varchar(6) NOT NULL DEFAULT '', name varchar(100) NOT NULL DEFAULT '', PRIMARY KEY (id_language)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcompany_role (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, name varchar(100) NOT NULL DEFAULT '',
  description text NULL DEFAULT NULL, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcompany (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, name varchar(300) NOT NULL DEFAULT '',
  address varchar(300) NOT NULL DEFAULT '', fiscal_id varchar(250) NULL DEFAULT NULL,
  country tinytext NULL DEFAULT NULL, website tinytext NULL DEFAULT NULL, comments text NULL DEFAULT NULL,
  id_company_role mediumint(8) unsigned NOT NULL, id_parent mediumint(8) unsigned DEFAULT NULL,
  manager varchar(150) NOT NULL DEFAULT '', last_update datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  payment_conditions mediumint(8) NOT NULL DEFAULT 0, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcompany_field (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, label varchar(100) NOT NULL DEFAULT '',
  type enum('text','textarea','combo','linked','numeric','date') DEFAULT 'text', combo_value text,
  parent mediumint(8) unsigned DEFAULT 0, linked_value longtext DEFAULT NULL,
  `order` mediumint(8) unsigned DEFAULT 0, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcompany_field_data (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT, id_company mediumint(8) unsigned NOT NULL,
  id_company_field mediumint(8) unsigned NOT NULL, data text, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcompany_activity (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, id_company mediumint(8) unsigned NOT NULL,
  written_by varchar(60) NOT NULL DEFAULT '', date datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  description text NULL DEFAULT NULL, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcompany_contact (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, id_company mediumint(8) unsigned NOT NULL,
  fullname varchar(150) NOT NULL DEFAULT '', email varchar(100) NULL DEFAULT NULL,
  phone varchar(55) NULL DEFAULT NULL, mobile varchar(55) NULL DEFAULT NULL,
  position varchar(150) NULL DEFAULT NULL, description text NULL DEFAULT NULL,
  disabled tinyint(1) NULL DEFAULT 0, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
CREATE TABLE tcontact_activity (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, id_contact mediumint(8) unsigned NOT NULL,
  written_by mediumtext, description mediumtext,
  creation datetime NOT NULL DEFAULT '0000-00-00 00:00:00', PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcontract (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, name varchar(100) NOT NULL DEFAULT '',
  contract_number varchar(100) NOT NULL DEFAULT '', description text NULL DEFAULT NULL,
  date_begin date NOT NULL DEFAULT '0000-00-00', date_end date NOT NULL DEFAULT '0000-00-00',
  id_company mediumint(8) unsigned NULL DEFAULT NULL, id_sla mediumint(8) unsigned NULL DEFAULT NULL,
  id_group mediumint(8) unsigned NULL DEFAULT NULL, private tinyint(2) unsigned NOT NULL DEFAULT 0,
  status tinyint(3) NOT NULL DEFAULT 1, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcontract_field (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, label varchar(100) NOT NULL DEFAULT '',
  type enum('text','textarea','combo','linked','numeric','date') DEFAULT 'text', combo_value text,
  parent mediumint(8) unsigned DEFAULT 0, linked_value longtext DEFAULT NULL,
  `order` mediumint(8) unsigned DEFAULT 0, show_in_list int(1) NOT NULL DEFAULT 0, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcontract_field_data (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT, id_contract mediumint(8) unsigned NOT NULL,
  id_contract_field mediumint(8) unsigned NOT NULL, data text, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tinvoice (
  id int(6) unsigned NOT NULL AUTO_INCREMENT, id_user varchar(60) DEFAULT NULL,
  id_company int(10) unsigned NULL DEFAULT NULL, bill_id tinytext NOT NULL DEFAULT '',
  concept1 mediumtext DEFAULT NULL, concept2 mediumtext DEFAULT NULL, concept3 mediumtext DEFAULT NULL,
  concept4 mediumtext DEFAULT NULL, concept5 mediumtext DEFAULT NULL,
  amount1 float(11,2) NOT NULL DEFAULT 0.0, amount2 float(11,2) NOT NULL DEFAULT 0.0,
  amount3 float(11,2) NOT NULL DEFAULT 0.0, amount4 float(11,2) NOT NULL DEFAULT 0.0,
  amount5 float(11,2) NOT NULL DEFAULT 0.0, tax mediumtext NOT NULL DEFAULT '',
  irpf float(11,2) NOT NULL DEFAULT 0.0, concept_irpf varchar(100) NOT NULL DEFAULT '',
  currency varchar(3) NOT NULL DEFAULT 'EUR', description mediumtext NOT NULL DEFAULT '',
  id_attachment bigint(20) unsigned NULL DEFAULT NULL, locked tinyint(3) unsigned NOT NULL DEFAULT 0,
  locked_id_user varchar(60) DEFAULT NULL, invoice_create_date date NOT NULL DEFAULT '0000-00-00',
  invoice_payment_date date DEFAULT NULL, status enum('pending','paid','canceled') DEFAULT 'pending',
  invoice_type enum('Submitted','Received') DEFAULT 'Submitted', reference text NOT NULL DEFAULT '',
  id_language varchar(6) NOT NULL DEFAULT '', internal_note mediumtext NOT NULL DEFAULT '',
  invoice_expiration_date date NOT NULL DEFAULT '0000-00-00', bill_id_pattern tinytext NOT NULL DEFAULT '',
  bill_id_variable int(6) unsigned NOT NULL DEFAULT 0, contract_number varchar(100) NOT NULL DEFAULT '',
  discount_before float(11,2) NOT NULL DEFAULT 0.0, discount_concept varchar(100) NOT NULL DEFAULT '',
  tax_name mediumtext NOT NULL DEFAULT '', rates float(11,2) NOT NULL DEFAULT 0.0,
  currency_change varchar(15) NOT NULL DEFAULT 'None', PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcampaign (
  id int(10) unsigned NOT NULL AUTO_INCREMENT, title mediumtext DEFAULT NULL,
  description mediumtext DEFAULT NULL, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tlead (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, id_company mediumint(8) unsigned NOT NULL,
  id_language varchar(6) DEFAULT NULL, id_category mediumint(8) unsigned DEFAULT NULL,
  owner varchar(60) DEFAULT NULL, fullname varchar(150) DEFAULT NULL, email tinytext DEFAULT NULL,
  phone tinytext DEFAULT NULL, mobile tinytext DEFAULT NULL, position tinytext DEFAULT NULL,
  company tinytext DEFAULT NULL, country tinytext DEFAULT NULL, description mediumtext DEFAULT NULL,
  creation datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  modification datetime NOT NULL DEFAULT '0000-00-00 00:00:00', progress mediumint(5) NULL DEFAULT 0,
  estimated_sale mediumint NULL DEFAULT 0, id_campaign int(10) unsigned NOT NULL DEFAULT 0,
  executive_overview tinytext DEFAULT NULL, alarm datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  estimated_close_date datetime NOT NULL DEFAULT '0000-00-00 00:00:00', PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tlead_activity (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, id_lead mediumint(8) unsigned NOT NULL,
  written_by mediumtext DEFAULT NULL, description mediumtext DEFAULT NULL,
  creation datetime NOT NULL DEFAULT '0000-00-00 00:00:00', PRIMARY KEY (id), KEY id_lead_idx (id_lead)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tlead_history (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, id_lead mediumint(8) unsigned NOT NULL,
  id_user mediumtext DEFAULT NULL, description mediumtext DEFAULT NULL,
  timestamp datetime NOT NULL DEFAULT '0000-00-00 00:00:00', PRIMARY KEY (id), KEY id_lead_idx (id_lead)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE ttag (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT, name varchar(255) NOT NULL UNIQUE,
  colour enum('blue','grey','green','yellow','orange','red') DEFAULT 'orange', PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tlead_tag (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT, tag_id bigint(20) unsigned NOT NULL,
  lead_id mediumint(8) unsigned NOT NULL, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tcrm_template (
  id mediumint(8) unsigned NOT NULL AUTO_INCREMENT, name varchar(100) NOT NULL DEFAULT '',
  subject varchar(250) DEFAULT NULL, description mediumtext DEFAULT NULL,
  id_language varchar(6) DEFAULT NULL, id_company mediumint(8) unsigned NOT NULL, PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE tattachment (
  id_attachment bigint(20) unsigned NOT NULL AUTO_INCREMENT, id_lead bigint(20) NOT NULL DEFAULT 0,
  id_company bigint(20) NOT NULL DEFAULT 0, id_usuario varchar(60) NOT NULL DEFAULT '',
  id_contact mediumint(8) NOT NULL DEFAULT 0, filename varchar(255) NOT NULL DEFAULT '',
  description text DEFAULT '', size bigint(20) NOT NULL DEFAULT 0,
  timestamp datetime NOT NULL DEFAULT '0000-00-00 00:00:00', id_invoice bigint(20) NOT NULL DEFAULT 0,
  id_contract mediumint(8) unsigned NOT NULL DEFAULT 0, PRIMARY KEY (id_attachment)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
"""

_NAMED = {chr(code): f"&{name};" for code, name in html.entities.codepoint2name.items()}
_NAMED["'"] = "&#039;"


def safe_input(text):
    """What Integria's ``safe_input`` stores for ``text``: ``htmlentities``
    (ENT_QUOTES, UTF-8), then ``\\``, ``/*``, ``*/``, parentheses and the
    characters 0-32 as numeric entities."""
    if text is None:
        return None
    out = []
    for char in str(text):
        if char in "()":
            out.append(f"&#{ord(char)};")
        elif char == "\\":
            out.append("&#92;")
        elif ord(char) < 33:
            out.append(f"&#x{ord(char):02x};")
        else:
            out.append(_NAMED.get(char, char))
    encoded = "".join(out)
    return encoded.replace("/*", "&#47;&#42;").replace("*/", "&#42;&#47;")


class MariaDBServer:
    """A MariaDB server on 127.0.0.1: the machine's own, or one started here."""

    def __init__(self):
        self.host = os.environ.get("INTEGRIA_MYSQL_HOST", "127.0.0.1")
        self.port = int(os.environ.get("INTEGRIA_MYSQL_PORT", "3306"))
        self.user = os.environ.get("INTEGRIA_MYSQL_USER", "root")
        self.password = os.environ.get("INTEGRIA_MYSQL_PASSWORD", "")
        self.process = None
        self.folder = None

    def start(self):
        if self._answers():
            return self
        self.folder = Path(tempfile.mkdtemp(prefix="integria-mariadb-"))
        self.port = free_port()
        self.host, self.user, self.password = "127.0.0.1", "root", ""
        try:
            self._start_own()
        except Exception:
            self.stop()
            raise
        return self

    def _start_own(self):
        user = ["--user=root"] if os.geteuid() == 0 else []
        subprocess.run(
            # --no-defaults: the machine's my.cnf (user = mysql, its datadir) is not this server's
            [
                INSTALL_DB,
                "--no-defaults",
                f"--datadir={self.folder}/data",
                "--auth-root-authentication-method=normal",
                *user,
            ],
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            [
                MARIADBD,
                "--no-defaults",
                f"--datadir={self.folder}/data",
                f"--socket={self.folder}/mysqld.sock",
                f"--pid-file={self.folder}/mysqld.pid",
                "--bind-address=127.0.0.1",
                f"--port={self.port}",
                "--skip-grant-tables",
                *user,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for_port(self.port, self.process, timeout=60):
            raise RuntimeError("MariaDB did not start: install Debian's mariadb-server")

    def _answers(self):
        try:
            self.connect().close()
        except Exception:
            return False
        return True

    def connect(self, database=None, charset="utf8mb4"):
        import pymysql

        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            database=database,
            charset=charset,
            autocommit=True,
        )

    def url(self, database):
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"mysql://{auth}@{self.host}:{self.port}/{database}"

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class IntegriaWriter:
    """Creates an Integria database ``name`` on ``server`` and inserts rows
    into it as Integria's PHP does (non-strict SQL mode, text through
    ``safe_input`` unless ``raw``). ``INTEGRIA_MYSQL_PREFIX`` goes before
    the name, so that test runs sharing a server keep apart."""

    TEXT_TYPES = ("char", "text", "enum")

    def __init__(self, server, name):
        self.server = server
        self.name = name = os.environ.get("INTEGRIA_MYSQL_PREFIX", "") + name
        admin = server.connect()
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8")
        admin.close()
        self.connection = self._connect("utf8mb4")
        # the connection Integria's PHP used: no charset set, so latin1
        self.latin1 = self._connect("latin1")
        with self.connection.cursor() as cursor:
            for statement in filter(str.strip, SCHEMA.split(";")):
                cursor.execute(statement)
        self._text_columns = self._read_text_columns()

    def _connect(self, charset):
        connection = self.server.connect(self.name, charset=charset)
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = ''")
        return connection

    def _read_text_columns(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = %s",
                (self.name,),
            )
            return {
                (table, column)
                for table, column, data_type in cursor.fetchall()
                if any(kind in data_type for kind in self.TEXT_TYPES)
            }

    def insert(self, table, raw=False, double_encoded=False, **values):
        """Insert one row; return its auto-increment id. Text columns go
        through ``safe_input`` unless ``raw``; ``double_encoded`` sends the
        UTF-8 bytes over a latin1 connection, as Integria did."""
        return self.insert_many(table, [values], raw=raw, double_encoded=double_encoded)

    def insert_many(self, table, rows, raw=False, double_encoded=False):
        if not rows:
            return None
        columns = list(rows[0])
        params = [tuple(self._value(table, column, row[column], raw) for column in columns) for row in rows]
        head = "INSERT INTO `{}` ({}) VALUES ".format(table, ", ".join(f"`{column}`" for column in columns))
        if double_encoded:
            return self._insert_double_encoded(head, params)
        with self.connection.cursor() as cursor:
            cursor.executemany(head + "({})".format(", ".join(["%s"] * len(columns))), params)
            return cursor.lastrowid

    def _insert_double_encoded(self, head, params):
        # the UTF-8 bytes of the text sent as they are over the latin1
        # connection: the server reads each byte as a latin1 (cp1252)
        # character and stores it converted to UTF-8 once more
        def literal(value):
            if isinstance(value, str):
                return b"'" + escape_string(value.encode("utf-8").decode("latin-1")).encode("latin-1") + b"'"
            return self.latin1.escape(value).encode("ascii")

        values = b", ".join(b"(" + b", ".join(literal(value) for value in row) + b")" for row in params)
        with self.latin1.cursor() as cursor:
            cursor.execute(head.encode("ascii") + values)
            return cursor.lastrowid

    def _value(self, table, column, value, raw):
        if raw or not isinstance(value, str) or (table, column) not in self._text_columns:
            return value
        return safe_input(value)

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def close(self):
        self.connection.close()
        self.latin1.close()

    def drop(self):
        self.close()
        admin = self.server.connect()
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{self.name}`")
        admin.close()


def write_manual_example(writer):
    """The Integria manual's worked example as an Integria database holds it:
    profiles with the CRM flags, the users and their profile rows (admin,
    Carlos with Write, Marta with Manage, Pedro without CRM access, one user
    with two profiles, one disabled, one with a login Odoo does not know but
    an e-mail it does, one with neither)."""
    read = writer.insert("tprofile", name="CRM read", cr=1)
    write = writer.insert("tprofile", name="CRM read/write", cr=1, cw=1)
    manage = writer.insert("tprofile", name="CRM manager", cr=1, cw=1, cm=1)
    group = writer.insert("tgrupo", nombre="Sales")
    # login, name, e-mail, language, disabled, profile, company (1: Mi Empresa)
    users = [
        ("admin", "Administrator", "admin@example.com", "en", 0, manage, 1),
        ("carlos", "Carlos Ruiz", "carlos@integria.example", "es", 0, write, 1),
        ("marta", "Marta Díaz", "marta@integria.example", "en_GB", 0, manage, 1),
        ("pedro", "Pedro Gil", "pedro@integria.example", "es", 0, None, 2),
        ("ana.garcía", "Ana García (ventas)", "ana@integria.example", "es", 0, read, 0),
        ("gone", "Former Employee", "gone@integria.example", "es", 1, read, 0),
        ("twoprofiles", "Two Profiles", "two@integria.example", "es", 0, read, 0),
    ]
    for login, name, email, lang, disabled, profile, company in users:
        writer.insert(
            "tusuario",
            raw=True,
            id_usuario=login,
            nombre_real=safe_input(name),
            direccion=email,
            lang=lang,
            disabled=disabled,
            id_company=company,
            nivel=int(login == "admin"),  # Integria's administrator sees everything
            password="5f4dcc3b5aa765d61d8327deb882cf99",  # MD5 of "password": never migrated
        )
        if profile:
            writer.insert("tusuario_perfil", id_usuario=login, id_perfil=profile, id_grupo=group)
    writer.insert("tusuario_perfil", id_usuario="twoprofiles", id_perfil=manage, id_grupo=group)
    write_companies(writer)


def write_companies(writer):
    """Integria's shipped roles, then the manual's companies as Integria
    holds them: Mi Empresa (the users' company, no parent), Customer A
    (Carlos) and Customer B (Marta) under it, a company whose name was
    stored twice encoded, one in a country no resolver knows, a custom text
    field and a combo."""
    for name in ("Cliente", "Ex-cliente", "Partner", "Proveedor", "Otro"):
        writer.insert("tcompany_role", name=name)
    writer.insert(
        "tcompany",
        name="Mi Empresa",
        country="España",
        id_company_role=3,
        manager="admin",
        last_update="2021-07-01 12:00:00",
    )
    writer.insert(
        "tcompany",
        name="Customer A",
        country="UK",
        id_company_role=1,
        id_parent=1,
        manager="carlos",
        website="https://a.example/?lang=es&section=contacto",
        comments="Cliente (desde 2019)\nPago: 30 días",
        fiscal_id="B12345678",
    )
    writer.insert(
        "tcompany",
        name="Customer B",
        country="Deutschland",
        id_company_role=1,
        id_parent=1,
        manager="marta",
        last_update="0000-00-00 00:00:00",
    )
    writer.insert(
        "tcompany",
        raw=True,
        double_encoded=True,
        name="Café Zürich GmbH",
        id_company_role=4,
        id_parent=0,
        manager="ana.garcía",
    )
    writer.insert(
        "tcompany", name="Lost Island Ltd", country="Atlantis", id_company_role=1, id_parent=1, manager="carlos"
    )
    sector = writer.insert("tcompany_field", label="Sector", type="text", order=1)
    size = writer.insert("tcompany_field", label="Tamaño", type="combo", combo_value="Pequeña,Mediana,Grande", order=2)
    writer.insert_many(
        "tcompany_field_data",
        [
            {"id_company": 2, "id_company_field": sector, "data": "Automoción (talleres)"},
            {"id_company": 2, "id_company_field": size, "data": "Mediana"},
        ],
    )
    write_contacts_and_contracts(writer)


def write_contacts_and_contracts(writer):
    """Contacts of Customer A (one disabled; the table is latin1, as older
    installations have it) and of a company that no longer exists; contracts
    with an SLA, a group, a private one, one with a zero end date, one with
    no start date, and two contract custom fields."""
    writer.insert_many(
        "tcompany_contact",
        [
            {
                "id_company": 2,
                "fullname": "Jimmy Olsen",
                "email": "jimmy@pfms.example",
                "phone": "+34 91 000 00 00",
                "position": "Jefe de compras",
                "description": "Prefiere e-mail (no llamar)",
                "disabled": 0,
            },
            {
                "id_company": 2,
                "fullname": "María Núñez",
                "email": "maria@pfms.example",
                "phone": None,
                "position": None,
                "description": None,
                "disabled": 1,
            },
            {
                "id_company": 99,
                "fullname": "Nobody's contact",
                "email": None,
                "phone": None,
                "position": None,
                "description": None,
                "disabled": 0,
            },
        ],
    )
    gold = writer.insert("tsla", name="Gold 24x7")
    writer.insert("tgrupo", nombre="Soporte (nivel 2)")
    hours = writer.insert("tcontract_field", label="Horas al mes", type="numeric", show_in_list=1)
    tier = writer.insert("tcontract_field", label="Nivel", type="combo", combo_value="Básico,Premium")
    writer.insert(
        "tcontract",
        name="Mantenimiento 2021",
        contract_number="C-2021-001",
        id_company=2,
        date_begin="2021-01-01",
        date_end="2021-12-31",
        id_sla=gold,
        id_group=2,
        status=1,
    )
    writer.insert(
        "tcontract",
        name="Confidencial",
        contract_number="C-2021-002",
        id_company=3,
        date_begin="2021-02-01",
        date_end="0000-00-00",
        private=1,
        status=2,
    )
    writer.insert(
        "tcontract", name="Sin fecha", contract_number="C-2021-003", id_company=2, date_begin="0000-00-00", status=0
    )
    writer.insert_many(
        "tcontract_field_data",
        [
            {"id_contract": 1, "id_contract_field": hours, "data": "40"},
            {"id_contract": 1, "id_contract_field": tier, "data": "Premium"},
        ],
    )
    write_invoices(writer)
    write_leads(writer)
    write_lead_templates(writer)


def write_lead_templates(writer):
    """Integria's lead e-mail templates: one in Spanish with Integria's
    macros, one in English."""
    writer.insert(
        "tcrm_template",
        name="Presupuesto (renovación)",
        subject="Su presupuesto",
        description="Estimado/a _DEST_NAME_:\nAdjunto el presupuesto <revisado>.\n_SRC_NAME_",
        id_language="es",
        id_company=1,
    )
    writer.insert(
        "tcrm_template",
        name="Follow-up",
        subject="Following up",
        description="Dear _DEST_NAME_,\nany news?",
        id_language="en",
        id_company=0,
    )


def write_leads(writer):
    """Leads: one of Customer A's, owned by Carlos, in "Meeting arranged"
    (20), with a campaign, two tags, an executive overview cut inside an
    entity at 255 bytes, its conversation and history; an unowned web lead
    with no managing company (0) from a country no resolver knows."""
    campaign = writer.insert("tcampaign", title="Feria 2021 (Madrid)")
    writer.insert(
        "tlead",
        id_company=2,
        owner="carlos",
        fullname="Jimmy Olsen",
        email="jimmy@pfms.example",
        company="PFMS",
        country="España",
        description="Quiere renovar (urgente)",
        creation="2021-06-01 09:30:00",
        progress=20,
        estimated_sale=12000,
        id_campaign=campaign,
        estimated_close_date="2021-09-30 00:00:00",
        id_language="es",
    )
    # TINYTEXT: 255 bytes of entities, the last one cut (it ends in "&#")
    overview = safe_input("Resumen: cliente estratégico & prioritario") + "&#x20;" * 40
    writer.insert(
        "tlead",
        raw=True,
        id_company=0,
        fullname=safe_input("Web visitor"),
        email="web@visitor.example",
        country="Atlantis",
        progress=0,
        executive_overview=overview[:255],
        creation="2021-06-02 10:00:00",
    )
    for name in ("vip", "renovación"):
        writer.insert("ttag", name=name)
    writer.insert_many("tlead_tag", [{"tag_id": 1, "lead_id": 1}, {"tag_id": 2, "lead_id": 1}])
    writer.insert_many(
        "tlead_activity",
        [
            {"id_lead": 1, "written_by": "carlos", "description": "Primera llamada", "creation": "2021-06-01 10:00:00"},
            {
                "id_lead": 1,
                "written_by": "jimmy@pfms.example",
                "description": "Respuesta del cliente (e-mail)",
                "creation": "2021-06-02 11:00:00",
            },
        ],
    )
    writer.insert(
        "tlead_history",
        id_lead=1,
        id_user="carlos",
        description="Progreso: Nuevo -> Reunión",
        timestamp="2021-06-03 12:00:00",
    )


def write_invoices(writer):
    """Three invoices as Integria's invoice form writes them (its concepts
    through safe_input, its taxes as json_encode wrote them): 15/1000 paid,
    locked by Carlos, two taxes, an amount single precision cannot hold;
    15/1002 (15/1001 was deleted) with an older plain tax rate, IRPF, a
    discount, in USD, due before its date; a received invoice, cancelled."""
    common = {"description": "", "internal_note": "", "reference": ""}
    writer.insert(
        "tinvoice",
        raw=True,
        **dict(
            common,
            id_company=2,
            bill_id="15/1000",
            concept1=safe_input("Mantenimiento (enero)"),
            amount1=1234567.89,
            concept2=safe_input("Desplazamiento"),
            amount2=0.1,
            tax='{"tax1":"21","tax2":"5.2"}',
            tax_name='{"tax1":"IVA","tax2":"0"}',
            currency="EUR",
            status="paid",
            invoice_type="Submitted",
            invoice_create_date="2021-03-01",
            invoice_payment_date="2021-03-20",
            invoice_expiration_date="2021-03-31",
            locked=1,
            locked_id_user="carlos",
            contract_number="C-2021-001",
            bill_id_pattern="15/[1000]",
            internal_note=safe_input("No imprimir (interno)"),
            id_language="es",
        ),
    )
    writer.insert(
        "tinvoice",
        raw=True,
        **dict(
            common,
            id_company=3,
            bill_id="15/1002",
            concept1=safe_input("Consultoría"),
            amount1=1000.0,
            tax="16",
            tax_name="0",
            irpf=15.0,
            concept_irpf="IRPF",
            discount_before=10.0,
            discount_concept=safe_input("Pronto pago"),
            currency="USD",
            status="pending",
            invoice_type="Submitted",
            invoice_create_date="2021-04-01",
            invoice_expiration_date="2021-03-01",
            bill_id_pattern="15/[1000]",
        ),
    )
    writer.insert(
        "tinvoice",
        raw=True,
        **dict(
            common,
            id_company=2,
            bill_id="F-998",
            concept1=safe_input("Licencias"),
            amount1=99.99,
            tax='{"tax1":"21"}',
            tax_name='{"tax1":"IVA"}',
            currency="EUR",
            status="canceled",
            invoice_type="Received",
            invoice_create_date="2021-05-01",
        ),
    )


def write_scale(
    writer,
    *,
    companies=50000,
    contacts=100000,
    contracts=100000,
    invoices=50000,
    leads=100000,
    lead_activity=300000,
    attachments=10000,
    folder=None,
    chunk=5000,
    progress=None,
):
    """A large Integria installation for the migration benchmark: ``companies``
    in a tree of three levels under 10 roots owned by 20 users, their
    contacts, contracts, invoices (two taxes as JSON), leads with their
    conversation, and ``attachments`` files written in ``folder``."""
    import random

    rng = random.Random(42)
    logins = [f"sales{n:02d}" for n in range(20)]
    writer.insert_many("tprofile", [{"name": "CRM", "cr": 1, "cw": 1, "cm": 0}])
    writer.insert_many(
        "tusuario",
        [{"id_usuario": login, "nombre_real": login.title(), "direccion": f"{login}@example.com"} for login in logins],
    )
    writer.insert_many("tusuario_perfil", [{"id_usuario": login, "id_perfil": 1, "id_grupo": 0} for login in logins])
    writer.insert_many("tcompany_role", [{"name": name} for name in ("Cliente", "Proveedor", "Partner")])

    def chunks(total, make, table):
        for start in range(0, total, chunk):
            writer.insert_many(table, [make(n) for n in range(start + 1, min(start + chunk, total) + 1)], raw=True)
            if progress:
                progress(table, min(start + chunk, total), total)

    def company(n):
        parent = None if n <= 10 else (rng.randint(1, 10) if n <= 1000 else rng.randint(11, 1000))
        return {
            "name": safe_input(f"Empresa {n} (Sociedad Limitada)"),
            "address": safe_input(f"Calle Mayor {n}, Madrid"),
            "fiscal_id": f"B{n:08d}",
            "country": rng.choice(["Spain", "España", "Francia", "Portugal", "UK"]),
            "website": f"https://empresa{n}.example/?a=1&amp;b=2",
            "id_company_role": rng.randint(1, 3),
            "id_parent": parent,
            "manager": rng.choice(logins),
            "last_update": "2024-05-01 10:00:00",
        }

    chunks(companies, company, "tcompany")
    chunks(
        contacts,
        lambda n: {
            "id_company": rng.randint(1, companies),
            "fullname": safe_input(f"Contacto {n}"),
            "email": f"contact{n}@example.com",
            "disabled": int(n % 50 == 0),
        },
        "tcompany_contact",
    )
    chunks(
        contracts,
        lambda n: {
            "id_company": rng.randint(1, companies),
            "name": safe_input(f"Contrato {n}"),
            "contract_number": f"C-{n:07d}",
            "date_begin": "2024-01-01",
            "date_end": "2025-12-31" if n % 3 else "0000-00-00",
            "private": int(n % 10 == 0),
            "status": n % 3,
        },
        "tcontract",
    )
    chunks(
        invoices,
        lambda n: {
            "id_company": rng.randint(1, companies),
            "bill_id": f"15/{1000 + n}",
            "concept1": safe_input(f"Servicio {n}"),
            "amount1": round(rng.uniform(10, 5000), 2),
            "amount2": round(rng.uniform(0, 500), 2),
            "tax": '{"tax1":"21","tax2":"5.2"}',
            "tax_name": '{"tax1":"IVA","tax2":"0"}',
            "irpf": 15.0 if n % 4 == 0 else 0.0,
            "discount_before": 5.0 if n % 5 == 0 else 0.0,
            "invoice_create_date": "2024-03-01",
            "invoice_expiration_date": "2024-04-01",
            "status": ("pending", "paid", "canceled")[n % 3],
            "description": "",
            "internal_note": "",
        },
        "tinvoice",
    )
    chunks(
        leads,
        lambda n: {
            "id_company": rng.randint(0, companies),
            "owner": rng.choice(logins),
            "fullname": safe_input(f"Persona {n}"),
            "email": f"lead{n}@example.com",
            "company": safe_input(f"Prospecto {n}"),
            "country": "Spain",
            "creation": "2024-02-01 09:00:00",
            "modification": "2024-02-02 09:00:00",
            "progress": rng.choice([0, 20, 40, 60, 80, 100, 200]),
            "estimated_sale": rng.randint(0, 100000),
        },
        "tlead",
    )
    chunks(
        lead_activity,
        lambda n: {
            "id_lead": rng.randint(1, leads),
            "written_by": rng.choice(logins),
            "description": safe_input(f"Llamada {n}: interesado (presupuesto)"),
            "creation": "2024-02-03 12:00:00",
        },
        "tlead_activity",
    )
    if folder:
        os.makedirs(folder, exist_ok=True)

    def attachment(n):
        filename = f"documento_{n}.pdf"
        if folder:
            Path(folder, f"{n}_{filename}").write_bytes(b"%PDF-1.4\n" + os.urandom(1024))
        return {
            "id_company": rng.randint(1, companies),
            "filename": filename,
            "size": 1033,
            "timestamp": "2024-02-03 12:00:00",
            "id_usuario": rng.choice(logins),
        }

    chunks(attachments, attachment, "tattachment")
