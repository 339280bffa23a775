"""Moving an Integria IMS database into Odoo (``odoo integria_migrate``),
from a real MariaDB written the way Integria writes it (tests/integria_db.py)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .integria_db import IntegriaWriter, MariaDBServer, write_manual_example


@tagged("post_install", "-at_install")
class TestMigrationUsers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MariaDBServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.source = IntegriaWriter(cls.server, "integria_migration_users")
        cls.addClassCleanup(cls.source.drop)
        write_manual_example(cls.source)
        cls.url = cls.server.url(cls.source.name)
        # an Odoo user known by e-mail only
        cls.env["res.users"].create({"login": "ana", "name": "Ana", "email": "ANA@integria.example"})

    def migrate(self, **options):
        return self.env["integria.crm.migration"]._migrate(self.url, only=["users"], **options)

    def user(self, login):
        return self.env["res.users"].with_context(active_test=False).search([("login", "=", login)])

    def test_users_created_inactive_with_their_crm_level(self):
        run = self.migrate()
        self.assertEqual(run.state, "done")
        user1, manager1 = self.user("carlos"), self.user("marta")
        self.assertFalse(user1.active, "an Integria user logs in once an administrator activates the account")
        self.assertTrue(user1.has_group("integria_crm.group_crm_write"))
        self.assertFalse(user1.has_group("integria_crm.group_crm_manage"))
        self.assertTrue(manager1.has_group("integria_crm.group_crm_manage"))
        self.assertEqual(user1.email, "carlos@integria.example")
        spanish = "es_ES" in dict(self.env["res.lang"].get_installed())
        self.assertEqual(user1.lang, "es_ES" if spanish else "en_US", "Integria's language, when installed")
        self.assertFalse(self.user("pedro").has_group("integria_crm.group_crm_read"))
        self.assertTrue(self.user("twoprofiles").has_group("integria_crm.group_crm_manage"), "the highest flag")
        self.assertEqual(self.user("gone").name, "Former Employee")

    def test_users_matched_by_login_then_email(self):
        admins = self.env["res.users"].search_count([("login", "=", "admin")])
        run = self.migrate()
        self.assertEqual(self.env["res.users"].search_count([("login", "=", "admin")]), admins)
        self.assertFalse(self.user("ana.garcía"), "matched by e-mail to the Odoo user ana")
        (step,) = run.report["steps"]
        self.assertEqual((step["read"], step["matched"], step["created"]), (7, 2, 5))
        self.assertEqual(
            self.env.ref("integria_migration.user_ana.garcía"), self.user("ana"), "Integria's login is its external id"
        )

    def test_fallback_user(self):
        run = self.migrate(fallback_login="admin")
        self.assertFalse(self.user("carlos"))
        (step,) = run.report["steps"]
        self.assertEqual(step["created"], 0)
        self.assertIn("carlos", [line["row"] for line in step["skipped"]])
        self.assertEqual(self.env.ref("integria_migration.user_carlos"), self.env.ref("base.user_admin"))

    def test_second_run_creates_nothing(self):
        self.migrate()
        count = self.env["res.users"].with_context(active_test=False).search_count([])
        run = self.migrate()
        self.assertEqual(self.env["res.users"].with_context(active_test=False).search_count([]), count)
        (step,) = run.report["steps"]
        self.assertEqual((step["created"], step["skipped_unchanged"]), (0, 7))

    def test_passwords_never_migrated(self):
        self.migrate()
        self.env.cr.execute("SELECT password FROM res_users WHERE login = 'carlos'")
        self.assertFalse(self.env.cr.fetchone()[0])

    def test_dry_run_writes_nothing_but_its_report(self):
        run = self.migrate(dry_run=True)
        self.assertFalse(self.user("carlos"))
        self.assertFalse(self.env["integria.crm.migration.link"].search_count([]))
        self.assertTrue(run.exists())
        (step,) = run.report["steps"]
        self.assertEqual(step["created"], 5)
        self.assertIn("tusuario", run.report_html)

    def test_unreachable_source(self):
        with self.assertRaisesRegex(ValueError, "cannot read"):
            self.env["integria.crm.migration"]._migrate("mysql://root@127.0.0.1:1/nothing")


@tagged("post_install", "-at_install")
class TestMigrationNotes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MariaDBServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.source = IntegriaWriter(cls.server, "integria_migration_notes")
        cls.addClassCleanup(cls.source.drop)
        write_manual_example(cls.source)
        cls.source.insert_many(
            "tcompany_activity",
            [
                {
                    "id_company": 1,
                    "written_by": "carlos",
                    "date": "2021-07-01 12:00:00",
                    "description": "Llamada (1ª): quiere <b>presupuesto</b>\nVolver a llamar",
                },
                {"id_company": 1, "written_by": "nobody", "date": "0000-00-00 00:00:00", "description": "Sin autor"},
                {"id_company": 2, "written_by": "carlos", "date": "2021-07-02 12:00:00", "description": "Otra"},
            ],
        )
        cls.url = cls.server.url(cls.source.name)
        # Integria's company 1 was migrated by an earlier run; company 2 was not
        cls.company = cls.env["res.partner"].create({"name": "Talleres Pérez", "is_company": True})
        cls.env["ir.model.data"].create(
            {"module": "integria_migration", "name": "company_1", "model": "res.partner", "res_id": cls.company.id}
        )

    def migrate(self):
        return self.env["integria.crm.migration"]._migrate(self.url, only=["users", "company_activity"])

    def test_activity_becomes_notes_by_their_author_at_their_date(self):
        run = self.migrate()
        notes = self.company.message_ids.filtered(lambda message: "integria-tcompany_activity" in message.message_id)
        self.assertEqual(len(notes), 2)
        first = notes.filtered(lambda message: "presupuesto" in message.body)
        carlos = self.env.ref("integria_migration.user_carlos")
        self.assertEqual(first.author_id, carlos.partner_id)
        self.assertEqual(str(first.date), "2021-07-01 10:00:00", "12:00 in Madrid in summer is 10:00 UTC")
        self.assertIn("Llamada (1ª): quiere &lt;b&gt;presupuesto&lt;/b&gt;<br>Volver a llamar", first.body)
        self.assertEqual(first.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual((notes - first).author_id, self.env.ref("base.partner_root"), "an unknown author")
        step = run.report["steps"][1]
        self.assertEqual((step["read"], step["created"], len(step["skipped"])), (3, 2, 1))
        self.assertIn("was not migrated", step["skipped"][0]["reason"])

    def test_second_run_adds_only_new_rows(self):
        self.migrate()
        self.source.insert(
            "tcompany_activity", id_company=1, written_by="marta", date="2022-01-01 09:00:00", description="Nueva"
        )
        run = self.migrate()
        step = run.report["steps"][1]
        self.assertEqual((step["created"], step["skipped_unchanged"]), (1, 2))
        self.assertEqual(len(self.company.message_ids.filtered(lambda m: "integria-" in (m.message_id or ""))), 3)

    def test_attachments_on_their_record_byte_for_byte(self):
        folder = Path(tempfile.mkdtemp(prefix="integria-attachments-"))
        self.addCleanup(shutil.rmtree, folder)
        broken_png = b"\x89PNG\r\n\x1a\n" + b"not really an image"
        first = self.source.insert(
            "tattachment",
            id_company=1,
            filename="plano_oficina.png",
            description="Plano",
            timestamp="2021-07-01 12:00:00",
            id_usuario="carlos",
        )
        (folder / f"{first}_plano_oficina.png").write_bytes(broken_png)
        self.source.insert("tattachment", id_company=1, filename="lost.pdf", id_usuario="carlos")
        self.source.insert("tattachment", id_company=2, filename="elsewhere.pdf", id_usuario="carlos")
        run = self.env["integria.crm.migration"]._migrate(self.url, only=["attachments"], attachments=str(folder))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.company.id)]
        )
        self.assertEqual(attachment.name, "plano_oficina.png")
        self.assertEqual(attachment.raw, broken_png, "a file image processing refuses is kept as it is")
        self.assertEqual(attachment.description, "Plano")
        (step,) = run.report["steps"]
        self.assertEqual((step["read"], step["created"], step["bytes"]), (3, 1, len(broken_png)))
        reasons = " ".join(line["reason"] for line in step["skipped"])
        self.assertIn("lost.pdf", reasons)
        self.assertIn("was not migrated", reasons)
        again = self.env["integria.crm.migration"]._migrate(self.url, only=["attachments"], attachments=str(folder))
        self.assertEqual(again.report["steps"][0]["skipped_unchanged"], 1)


@tagged("post_install", "-at_install")
class TestMigrationCompanies(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MariaDBServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.source = IntegriaWriter(cls.server, "integria_migration_companies")
        cls.addClassCleanup(cls.source.drop)
        write_manual_example(cls.source)
        cls.url = cls.server.url(cls.source.name)

    def migrate(self, **options):
        return self.env["integria.crm.migration"]._migrate(self.url, only=["users", "roles", "companies"], **options)

    def company(self, key):
        return self.env.ref(f"integria_migration.company_{key}", raise_if_not_found=False)

    def test_companies_with_owner_parent_role_country_and_custom_fields(self):
        run = self.migrate()
        self.assertEqual(run.state, "done", run.error)
        mine, customer_a, customer_b = self.company(1), self.company(2), self.company(3)
        self.assertEqual(customer_a.crm_parent_id, mine)
        self.assertEqual(customer_a.owner_id, self.env.ref("integria_migration.user_carlos"))
        self.assertFalse(customer_a.owner_id.active, "an archived user owns the company until activated")
        self.assertEqual(customer_a.country_id.code, "GB")
        self.assertEqual(customer_b.country_id.code, "DE")
        self.assertEqual(customer_a.website, "https://a.example/?lang=es&section=contacto")
        self.assertEqual(customer_a.crm_role_id, self.env.ref("integria_migration.role_1"))
        # a role Odoo has by name in any installed language is taken, else created
        role = self.env.ref("integria_migration.role_1")
        if "es_ES" in dict(self.env["res.lang"].get_installed()):
            role = role.with_context(lang="es_ES")
        self.assertEqual(role.name, "Cliente")
        self.assertIn("Pago: 30 días", customer_a.comment)
        properties = {
            prop["string"]: prop.get("value") for prop in customer_a.read(["crm_properties"])[0]["crm_properties"]
        }
        # the demo's own "Sector" is a selection: Integria's text field is kept apart
        sectors = {label: value for label, value in properties.items() if label.startswith("Sector")}
        self.assertIn("Automoción (talleres)", sectors.values(), sectors)
        self.assertEqual(properties["Tamaño"], "Mediana")
        self.assertEqual(self.company(4).name, "Café Zürich GmbH", "double-encoded UTF-8 repaired")
        self.assertEqual(str(mine.last_activity_date), "2021-07-01 10:00:00")
        steps = {step["name"]: step for step in run.report["steps"]}
        self.assertEqual((steps["companies"]["read"], steps["companies"]["created"]), (5, 4))
        (refused,) = steps["companies"]["refused"]
        self.assertEqual(refused["row"], "tcompany 5")
        self.assertIn("Atlantis", refused["reason"])
        self.assertFalse(self.company(5))

    def test_second_run_updates_what_changed_and_keeps_odoo_changes(self):
        self.migrate()
        self.source.execute("UPDATE tcompany SET fiscal_id = 'B99999999' WHERE id = 3")
        self.source.execute("UPDATE tcompany SET fiscal_id = 'B00000000' WHERE id = 2")
        self.company(2).write({"vat": "ES-CHANGED-IN-ODOO"})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = now() + interval '1 minute' WHERE id = %s", (self.company(2).id,)
        )
        self.env.invalidate_all()
        run = self.migrate()
        companies = {step["name"]: step for step in run.report["steps"]}["companies"]
        self.assertEqual(self.company(3).vat, "B99999999")
        self.assertEqual(self.company(2).vat, "ES-CHANGED-IN-ODOO")
        self.assertEqual((companies["updated"], companies["conflicts"], companies["skipped_unchanged"]), (1, 1, 2))
        count = self.env["res.partner"].search_count([("is_crm_company", "=", True)])
        self.migrate()
        self.assertEqual(self.env["res.partner"].search_count([("is_crm_company", "=", True)]), count)

    def test_dry_run(self):
        run = self.migrate(dry_run=True)
        self.assertFalse(self.company(2))
        companies = {step["name"]: step for step in run.report["steps"]}["companies"]
        self.assertEqual(companies["created"], 4)


@tagged("post_install", "-at_install")
class TestMigrationContactsContracts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MariaDBServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.source = IntegriaWriter(cls.server, "integria_migration_contracts")
        cls.addClassCleanup(cls.source.drop)
        write_manual_example(cls.source)
        cls.url = cls.server.url(cls.source.name)

    def migrate(self, **options):
        return self.env["integria.crm.migration"]._migrate(
            self.url, only=["users", "roles", "companies", "contacts", "contracts"], **options
        )

    def ref(self, name):
        return self.env.ref(f"integria_migration.{name}", raise_if_not_found=False)

    def test_contacts(self):
        run = self.migrate()
        self.assertEqual(run.state, "done", run.error)
        jimmy = self.ref("contact_1")
        self.assertEqual(jimmy.parent_id, self.ref("company_2"))
        self.assertEqual((jimmy.email, jimmy.function), ("jimmy@pfms.example", "Jefe de compras"))
        self.assertIn("Prefiere e-mail (no llamar)", jimmy.comment)
        maria = self.ref("contact_2")
        self.assertEqual(maria.name, "María Núñez", "a latin1 table read right")
        self.assertFalse(maria.active, "disabled in Integria: archived")
        contacts = {step["name"]: step for step in run.report["steps"]}["contacts"]
        self.assertEqual((contacts["read"], contacts["created"], len(contacts["refused"])), (3, 2, 1))
        self.assertIn("99", contacts["refused"][0]["reason"])

    def test_contracts(self):
        run = self.migrate()
        maintenance, secret = self.ref("contract_1"), self.ref("contract_2")
        self.assertEqual(maintenance.partner_id, self.ref("company_2"))
        self.assertEqual((maintenance.sla, maintenance.support_group), ("Gold 24x7", "Soporte (nivel 2)"))
        self.assertEqual(str(maintenance.date_end), "2021-12-31")
        self.assertEqual(maintenance.type_id, self.ref("contract_type"))
        values = {
            prop["string"]: prop.get("value")
            for prop in maintenance.read(["contract_properties"])[0]["contract_properties"]
        }
        self.assertEqual(values["Horas al mes"], 40.0)
        self.assertEqual(values["Nivel"], "Premium")
        self.assertTrue(secret.is_private)
        self.assertEqual(secret.state, "pending")
        self.assertFalse(secret.date_end)
        contracts = {step["name"]: step for step in run.report["steps"]}["contracts"]
        self.assertEqual((contracts["read"], contracts["created"]), (3, 2))
        self.assertIn("start date", contracts["refused"][0]["reason"])
        again = {step["name"]: step for step in self.migrate().report["steps"]}["contracts"]
        self.assertEqual((again["created"], again["skipped_unchanged"]), (0, 2))


@tagged("post_install", "-at_install")
class TestMigrationInvoices(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MariaDBServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.source = IntegriaWriter(cls.server, "integria_migration_invoices")
        cls.addClassCleanup(cls.source.drop)
        write_manual_example(cls.source)
        cls.url = cls.server.url(cls.source.name)
        cls.env["ir.config_parameter"].set_param("integria_crm.invoice_number_pattern", "15/[1000]")
        # a database that has no invoices of its own yet (the demo's use 15/1000 too)
        cls.env["integria.invoice"].search([]).unlink()

    def migrate(self):
        return self.env["integria.crm.migration"]._migrate(
            self.url, only=["users", "roles", "companies", "contracts", "invoices"]
        )

    def ref(self, name):
        return self.env.ref(f"integria_migration.{name}", raise_if_not_found=False)

    def test_invoices_keep_their_numbers_figures_and_billed_total(self):
        run = self.migrate()
        self.assertEqual(run.state, "done", run.error)
        first, second, received = self.ref("invoice_1"), self.ref("invoice_2"), self.ref("invoice_3")
        self.assertEqual((first.number, second.number, received.number), ("15/1000", "15/1002", "F-998"))
        self.assertEqual(first.partner_id, self.ref("company_2"))
        self.assertEqual(first.line_ids.mapped("description"), ["Mantenimiento (enero)", "Desplazamiento"])
        self.assertEqual(sorted(first.tax_ids.mapped("amount")), [5.2, 21.0])
        self.assertEqual((first.state, str(first.date_payment)), ("paid", "2021-03-20"))
        self.assertEqual(first.locked_by_id, self.ref("user_carlos"))
        self.assertEqual(first.contract_id, self.ref("contract_1"))
        self.assertEqual(first.internal_note, "No imprimir (interno)")
        # Integria: round((1234567.875 + 0.1) rounded to cents, then x 1.262) = 1558024.59
        php = subprocess.run(
            [
                "php",
                "-r",
                "$a = (float) 1234567.875 + (float) 0.10000000149011612; $b = round($a, 2);"
                " echo round($b + $b * (26.2 / 100), 2);",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.assertAlmostEqual(first.amount_total, float(php), places=2)
        self.assertEqual(first.billed_total, first.amount_total)
        self.assertEqual(round(first.amount_net + first.amount_tax - first.amount_retention, 2), first.amount_total)
        self.assertEqual(second.currency_id.name, "USD")
        self.assertEqual((second.discount_rate, second.retention_id.amount), (10.0, 15.0))
        self.assertEqual(second.amount_total, 909.0, "900 + 16 % - 15 % of 900")
        self.assertFalse(second.date_due, "a due date before the invoice date is dropped")
        self.assertEqual((received.invoice_type, received.state), ("received", "cancelled"))

    def test_numbering_continues_after_the_highest_number(self):
        self.migrate()
        new = self.env["integria.invoice"].create(
            {"partner_id": self.ref("company_2").id, "line_ids": [Command.create({"description": "x", "amount": 1})]}
        )
        self.assertEqual(new.number, "15/1003", "15/1001, deleted in Integria, is never given again")

    def test_changing_the_figures_drops_the_billed_total(self):
        self.migrate()
        invoice = self.ref("invoice_2")
        invoice.discount_rate = 0
        self.assertFalse(invoice.billed_total)
        self.assertEqual(invoice.amount_total, 1010.0)


@tagged("post_install", "-at_install")
class TestMigrationLeads(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MariaDBServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.source = IntegriaWriter(cls.server, "integria_migration_leads")
        cls.addClassCleanup(cls.source.drop)
        write_manual_example(cls.source)
        cls.url = cls.server.url(cls.source.name)

    def migrate(self):
        return self.env["integria.crm.migration"]._migrate(
            self.url, only=["users", "roles", "companies", "leads", "lead_activity", "lead_history"]
        )

    def ref(self, name):
        return self.env.ref(f"integria_migration.{name}", raise_if_not_found=False)

    def test_leads_with_their_conversation_in_order(self):
        run = self.migrate()
        self.assertEqual(run.state, "done", run.error)
        lead, web = self.ref("lead_1"), self.ref("lead_2")
        self.assertEqual(lead.user_id, self.ref("user_carlos"))
        self.assertEqual(lead.crm_partner_id, self.ref("company_2"))
        self.assertEqual(lead.progress_code, 20)
        self.assertEqual(lead.campaign_id.name, "Feria 2021 (Madrid)")
        self.assertEqual(sorted(lead.tag_ids.mapped("name")), ["renovación", "vip"])
        self.assertEqual(lead.country_id.code, "ES")
        self.assertEqual(str(lead.create_date), "2021-06-01 07:30:00", "09:30 in Madrid in summer")
        self.assertEqual(str(lead.date_deadline), "2021-09-30")
        self.assertEqual(lead.expected_revenue, 12000)
        self.assertIn("Atlantis", web.description, "an unknown country is kept as text")
        self.assertTrue(web.executive_overview.startswith("Resumen: cliente estratégico & prioritario"))
        self.assertNotIn("&", web.executive_overview.replace("& prioritario", ""), "the cut entity is dropped")
        notes = lead.message_ids.filtered(lambda message: "integria-tlead" in (message.message_id or ""))
        self.assertEqual(
            [message.body for message in notes.sorted("date")],
            ["<p>Primera llamada</p>", "<p>Respuesta del cliente (e-mail)</p>", "<p>Progreso: Nuevo -&gt; Reunión</p>"],
        )
        steps = {step["name"]: step for step in run.report["steps"]}
        self.assertEqual((steps["leads"]["created"], steps["lead_activity"]["created"]), (2, 2))

    def test_an_owned_lead_without_company_stays_its_owners(self):
        lead_id = self.source.insert(
            "tlead", id_company=0, owner="carlos", fullname="Solo Carlos", progress=0, creation="2021-06-03 10:00:00"
        )
        self.addCleanup(self.source.execute, "DELETE FROM tlead WHERE id = %s", (lead_id,))
        run = self.migrate()
        self.assertEqual(run.state, "done", run.error)
        lead = self.ref(f"lead_{lead_id}")
        self.assertEqual(lead.user_id, self.ref("user_carlos"))
        self.assertFalse(lead.crm_partner_id, "Integria's 0: no managing company, not Carlos's CRM company")
        Lead = self.env["crm.lead"]
        self.assertIn(lead, Lead.with_user(self.ref("user_carlos")).search([]), "its owner sees it")
        self.assertEqual(self.ref("user_marta").crm_company_id, self.ref("user_carlos").crm_company_id, "colleagues")
        self.assertNotIn(lead, Lead.with_user(self.ref("user_marta")).search([]), "as in Integria, his colleague not")

    def test_second_run_changes_nothing(self):
        self.migrate()
        leads = self.env["crm.lead"].with_context(active_test=False).search_count([])
        messages = self.env["mail.message"].search_count([])
        run = self.migrate()
        self.assertEqual(self.env["crm.lead"].with_context(active_test=False).search_count([]), leads)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        steps = {step["name"]: step for step in run.report["steps"]}
        self.assertEqual(steps["leads"]["skipped_unchanged"], 2)
