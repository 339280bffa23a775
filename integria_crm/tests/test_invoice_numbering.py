from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import IntegriaInvoiceCase


class _SaveFailedError(Exception):
    """Whatever makes a save fail after the invoice got its number."""


@tagged("post_install", "-at_install")
class TestInvoiceNumbering(IntegriaInvoiceCase):
    """Issued invoices are numbered from the pattern of the settings when they
    are saved (README, "Invoices"); not as Integria, which numbers at form
    opening and sorts numbers as text."""

    def _issue(self, count=1, user=None, **values):
        invoices = self.env["integria.invoice"]
        for _index in range(count):
            invoices |= self._create_invoice(self.customer_a, user=user or self.user1, **values)
        return invoices

    def test_manual_example(self):
        invoices = self._issue(3)
        self.assertEqual(invoices.mapped("number"), ["15/1000", "15/1001", "15/1002"])
        self.assertEqual(invoices.mapped("display_name"), ["15/1000", "15/1001", "15/1002"])

    def test_number_is_taken_at_save_not_when_the_form_opens(self):
        first = Form(self.env["integria.invoice"].with_user(self.user1))
        second = Form(self.env["integria.invoice"].with_user(self.user1))
        self.assertFalse(first.number)
        self.assertFalse(second.number)
        for form, description in ((second, "Second"), (first, "First")):
            form.partner_id = self.customer_a
            with form.line_ids.new() as line:
                line.description = description
                line.amount = 10
        # saved in the other order: the number follows the saving order
        self.assertEqual(second.save().number, "15/1000")
        self.assertEqual(first.save().number, "15/1001")

    def test_batch_creation(self):
        invoices = self.env["integria.invoice"].create(
            [{"partner_id": self.customer_a.id}, {"partner_id": self.customer_b.id}, {"partner_id": self.customer_a.id}]
        )
        self.assertEqual(invoices.mapped("number"), ["15/1000", "15/1001", "15/1002"])

    def test_numeric_order_past_9999(self):
        self._set_invoice_numbering(True, "15/[9998]")
        invoices = self._issue(4)
        self.assertEqual(invoices.mapped("number"), ["15/9998", "15/9999", "15/10000", "15/10001"])
        self.assertEqual(invoices.mapped("sequence_number"), [9998, 9999, 10000, 10001])

    def test_hand_typed_exception(self):
        self._issue()  # 15/1000
        typed = self._issue(number=" 15/1002 ")
        self.assertEqual(typed.number, "15/1002")
        self.assertFalse(typed.sequence_number, "a number typed by hand is an exception, not part of the sequence")
        self.assertEqual(self._issue(3).mapped("number"), ["15/1001", "15/1003", "15/1004"])
        with self.assertRaisesRegex(ValidationError, "Another issued invoice already has the number 15/1001"):
            self._issue(number="15/1001")
        free = self._issue(number="SPECIAL-1")
        self.assertEqual(free.number, "SPECIAL-1")
        self.assertEqual(self._issue().number, "15/1005")

    def test_renumbering_by_hand_leaves_the_sequence(self):
        first, second = self._issue(2)
        second.with_user(self.user1).number = "X-1"
        self.assertFalse(second.sequence_pattern)
        self.assertEqual(self._issue().number, "15/1001", "the freed number is the next one")
        with self.assertRaises(ValidationError):
            first.with_user(self.user1).number = "X-1"

    def test_pattern_change_starts_its_own_sequence(self):
        self.assertEqual(self._issue(2).mapped("number"), ["15/1000", "15/1001"])
        self._set_invoice_numbering(True, "16/[1]")
        self.assertEqual(self._issue(2).mapped("number"), ["16/1", "16/2"])
        self._set_invoice_numbering(True, "F-[0001]-A")
        self.assertEqual(self._issue().number, "F-0001-A")
        self._set_invoice_numbering(True, "15/[1000]")
        self.assertEqual(self._issue().number, "15/1002")

    def test_received_invoices_are_left_alone(self):
        with self.assertRaisesRegex(ValidationError, "supplier"):
            self._issue(invoice_type="received")
        received = self._issue(invoice_type="received", number="15/1000")
        self.assertFalse(received.sequence_pattern)
        self.assertEqual(self._issue().number, "15/1000", "received numbers do not clash with issued ones")
        # unique per supplier company
        self._create_invoice(self.customer_b, invoice_type="received", number="15/1000")
        with self.assertRaisesRegex(ValidationError, "already has a received invoice numbered 15/1000"):
            self._issue(invoice_type="received", number="15/1000")

    def test_rolled_back_save_burns_nothing(self):
        self._issue()  # 15/1000
        with self.assertRaises(_SaveFailedError), self.env.cr.savepoint():
            failed = self._issue()
            self.assertEqual(failed.number, "15/1001")
            raise _SaveFailedError
        self.env.invalidate_all()
        self.assertEqual(self._issue().number, "15/1001")
        # a save refused by a constraint takes no number either
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._issue(state="paid")  # without a payment date
        self.assertEqual(self._issue().number, "15/1002")

    def test_automatic_numbers_off(self):
        self._set_invoice_numbering(False, "15/[1000]")
        with self.assertRaisesRegex(ValidationError, "Automatic invoice numbers are off"):
            self._issue()
        self.assertEqual(self._issue(number="A-1").number, "A-1")
        self._set_invoice_numbering(True, "15/[1000]")
        self.assertEqual(self._issue().number, "15/1000")

    def test_duplicate_keeps_nothing_of_the_number(self):
        original = self._issue()
        original.action_mark_paid()
        copy = original.copy()
        self.assertEqual((copy.number, copy.state, copy.date_payment), ("15/1001", "pending", False))

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {"integria_invoice_auto_number": False, "integria_invoice_number_pattern": "  INV-[500] "}
        )
        settings.execute()
        self.assertFalse(self.env["integria.invoice"]._auto_number_enabled())
        self.assertEqual(self.env["integria.invoice"]._get_number_pattern(), "INV-[500]")
        defaults = self.env["res.config.settings"].default_get(["integria_invoice_auto_number"])
        self.assertFalse(defaults["integria_invoice_auto_number"])
        self.env["res.config.settings"].create({"integria_invoice_auto_number": True}).execute()
        self.assertTrue(self.env["integria.invoice"]._auto_number_enabled())
        self.assertEqual(self._issue().number, "INV-500")

    def test_bad_patterns_are_refused_in_settings(self):
        bad_patterns = {
            "15/1000": "no number in brackets",
            "15/[abc]": "digits only",
            "15/[]": "digits only",
            "[15]/[1000]": "more than one pair of brackets",
            "15/[1000": "do not match",
            "15/[1234567890]": "too large",
        }
        for pattern, message in bad_patterns.items():
            with self.subTest(pattern=pattern), self.assertRaisesRegex(ValidationError, message):
                self.env["res.config.settings"].create(
                    {"integria_invoice_auto_number": True, "integria_invoice_number_pattern": pattern}
                )
        with self.assertRaisesRegex(ValidationError, "Type an invoice number pattern"):
            self.env["res.config.settings"].create(
                {"integria_invoice_auto_number": True, "integria_invoice_number_pattern": False}
            )
