"""Writes of the shared core. Each function does one thing the portal promises, atomically.

The audit trail (``audit``), notifications and channel choices (``notifications``) and the
delivery outbox (``deliveries``), export jobs (``exports``), import jobs (``imports``) and deciding
requests (``requests``) live in their own modules; everything is importable from here.
"""

from portal.services.audit import (
    audit_personal_view,
    audit_personal_views,
    audit_record,
    client_ip,
)
from portal.services.deliveries import (
    deliveries_publish,
    deliveries_requeue,
    deliveries_send,
)
from portal.services.exports import (
    export_job_run,
    export_jobs_delete,
    export_jobs_purge,
    export_jobs_requeue,
    export_request,
)
from portal.services.grants import role_grant, role_revoke
from portal.services.imports import (
    import_apply,
    import_check,
    import_file,
    import_job_run,
    import_jobs_requeue,
    import_upload,
)
from portal.services.notifications import (
    Message,
    notification_preferences_for,
    notification_preferences_update,
    notifications_mark_read,
    notify,
    notify_many,
)
from portal.services.requests import decide

__all__ = [
    "Message",
    "audit_personal_view",
    "audit_personal_views",
    "audit_record",
    "client_ip",
    "decide",
    "deliveries_publish",
    "deliveries_requeue",
    "deliveries_send",
    "export_job_run",
    "export_jobs_delete",
    "export_jobs_purge",
    "export_jobs_requeue",
    "export_request",
    "import_apply",
    "import_check",
    "import_file",
    "import_job_run",
    "import_jobs_requeue",
    "import_upload",
    "notification_preferences_for",
    "notification_preferences_update",
    "notifications_mark_read",
    "notify",
    "notify_many",
    "role_grant",
    "role_revoke",
]
