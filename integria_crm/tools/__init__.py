"""Pure helpers of integria_crm: no Odoo import, easy to test directly."""
