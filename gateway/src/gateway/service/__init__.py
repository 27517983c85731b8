"""The gateway's use cases, one module per aggregate or job:

- identity.py: login, access and refresh tokens, logout, one's own password; ending a person's sessions
- directory.py: units, people (roles, exemptions) and windows of the organisation directory, published as events
- kiosks.py: registering and revoking counter kiosks, and authenticating a device's credential
- pairing.py: pairing a kiosk or display by a short code (RFC 8628)
- roster_import.py: units or people imported from CSV or XLSX, all rows or none
- calendar.py: the working calendar's year and the university's own days (overrides)
- ops.py: ops' scheduled jobs of every service, listed and run now
- forms.py: a printed form composed from the services and rendered; the organisation's template versions
- archive.py: a unit's yearly archive (年度归档), made by the worker
- demo.py: the demo directory and accounts (``gateway-seed``)
- demo_activity.py: a year of demo activity through the API, for ``make run``
"""
