import { patch } from "@web/core/utils/patch";
import { PropertyDefinition } from "@web/views/fields/properties/property_definition";

// The key of a contract custom field shown in the customer portal
// (integria_crm/tools/portal_fields.py).
const PORTAL_KEY = "integria_portal";
// The properties whose definition is a contract type's: on contracts, and on
// the type's own form.
const CONTRACT_CUSTOM_FIELDS = {
    "integria.contract": "contract_properties",
    "integria.contract.type": "custom_fields",
};

patch(PropertyDefinition.prototype, {
    get integriaPortalChoice() {
        const resModel = this.props.record?.resModel;
        return Boolean(resModel) && CONTRACT_CUSTOM_FIELDS[resModel] === this.props.fieldName;
    },

    onIntegriaPortalChange(newValue) {
        const propertyDefinition = {
            ...this.state.propertyDefinition,
            [PORTAL_KEY]: newValue,
        };
        this.props.onChange(propertyDefinition);
        this.state.propertyDefinition = propertyDefinition;
    },
});
