import { Component, onWillUnmount, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const PROGRESS_NOTIFICATION = "integria_crm/csv_import_progress";

/**
 * The progress of a background CSV import, pushed by the job through the bus
 * (integria.crm.csv.import.job._progress_writer): the bar moves without a
 * refresh, and the form shows the report as soon as the job is done.
 */
export class CsvImportProgress extends Component {
    static template = "integria_crm.CsvImportProgress";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ progress: null });
        this.busService = useService("bus_service");
        this.onProgress = (payload) => {
            if (payload.job_id !== this.jobId) {
                return;
            }
            this.state.progress = payload.progress;
            if (payload.finished) {
                this.props.record.model.load();
            }
        };
        this.busService.subscribe(PROGRESS_NOTIFICATION, this.onProgress);
        onWillUnmount(() => this.busService.unsubscribe(PROGRESS_NOTIFICATION, this.onProgress));
    }

    get jobId() {
        const job = this.props.record.data.job_id;
        return Array.isArray(job) ? job[0] : job?.id;
    }

    get percent() {
        return Math.round(this.state.progress ?? this.props.record.data[this.props.name] ?? 0);
    }
}

registry.category("fields").add("integria_csv_import_progress", {
    component: CsvImportProgress,
    supportedTypes: ["float"],
});
