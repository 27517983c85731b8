"""The gateway's edges:

- tables.py: the SQLAlchemy Core tables
- logins.py: the failed-login counters and the login audit (their tables)
- proxy.py: the WSGI front that authenticates and forwards /api/<area>/... to the owning service (ROUTES)
- openapi.py: the combined OpenAPI document, merged from every service's
- ratelimit.py: rate limits and their storage (memory or Redis)
- services.py: HTTP to the services as the caller (a form's data, ops' calls)
- rendering.py: DOCX from a template (docxtpl), PDF (LibreOffice) and PNG previews (poppler); the default templates
  live in gateway/templates
"""
