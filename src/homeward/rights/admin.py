"""People's correction and erasure requests, and anonymisations, are not in the admin.

The admin holds reference data only (docs/data-protection.md): these records are about
people, and a read in the admin would be neither scoped to an organisation nor audited. They
are read in the "People's requests" pages and the API, scoped and audited.
"""
