"""The audit log is not in the admin.

The admin holds reference data only (docs/data-protection.md): the log names households and
records and holds reasons typed by staff, and a read of it in the admin would be neither
scoped to an organisation nor audited. A DPO reads their organisation's part in the audit
pages, or with `homeward audit export --organisation SLUG`.
"""
