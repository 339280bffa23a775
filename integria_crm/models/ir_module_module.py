from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False):
        """Loading crm's translations (a module update, a new language) would
        give crm's stages crm's names again: Integria's names win."""
        result = super()._load_module_terms(modules, langs, overwrite=overwrite)
        if {"crm", "integria_crm"} & set(modules):
            self.env["crm.stage"]._integria_apply_stage_names()
        return result
