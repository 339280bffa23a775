import { patch } from "@web/core/utils/patch";
import { Record } from "@web/model/relational_model/record";
import { FormController } from "@web/views/form/form_controller";
import { KanbanRecord } from "@web/views/kanban/kanban_record";

/**
 * Records of the CRM (companies, contacts, contracts, invoices, leads) carry
 * `crm_can_write`: whether the record rules let the current user change them.
 * A record the user may only read is shown read-only (no field to edit, no
 * clickable stage bar, no property to change) and its kanban card is not
 * dragged to another column nor edited from its menu, and its form's gear menu
 * offers neither Archive, Delete, Duplicate nor Edit Properties, so that
 * nothing offered ends in an access error.
 */
function isReadOnlyForUser(record) {
    return Boolean(record.resId) && "crm_can_write" in record.fields && record.data.crm_can_write === false;
}

patch(Record.prototype, {
    get isInEdition() {
        return isReadOnlyForUser(this) ? false : super.isInEdition;
    },
});

patch(KanbanRecord.prototype, {
    createWidget(props) {
        super.createWidget(props);
        if (isReadOnlyForUser(props.record)) {
            this.dataState.widget = { deletable: false, editable: false };
        }
    },

    getRecordClasses() {
        const classes = super.getRecordClasses();
        return isReadOnlyForUser(this.props.record) ? classes.replace(/\bo_draggable\b/, "") : classes;
    },
});

// what the gear menu of a form would do to a record the user may only read
const CHANGING_ACTIONS = ["addPropertyFieldValue", "duplicate", "archive", "unarchive", "delete"];

patch(FormController.prototype, {
    getStaticActionMenuItems() {
        const items = super.getStaticActionMenuItems(...arguments);
        for (const key of CHANGING_ACTIONS) {
            const item = items[key];
            if (item) {
                const isAvailable = item.isAvailable;
                item.isAvailable = () => !isReadOnlyForUser(this.model.root) && (!isAvailable || isAvailable());
            }
        }
        return items;
    },
});
