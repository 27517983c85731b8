"""The gateway: the only door of Pacesetter (统一入口).

It owns accounts, roles and the organisation directory, authenticates every caller, signs the
caller's identity for the services, and routes ``/api/<area>/...`` to the service that owns it.
"""
