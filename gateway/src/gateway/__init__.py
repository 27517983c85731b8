"""The gateway: the only door of Pacesetter (统一入口).

It owns accounts, roles and the organisation directory, authenticates every caller, signs the
caller's identity for the services, and routes ``/api/<area>/...`` to the service that owns it. It also
keeps the working calendar's own days, pairs the counter devices, runs ops' jobs across the suite, serves the
built pages, and composes several services' data, as the caller sees it, into printed forms (印制表单): DOCX and
PDF from templates the organisation department may replace.

Aggregates:
- Person (人员): an account with its roles, each scoped to a unit (党员、支部书记、党总支书记、组织部、运维), and exemptions
- Unit (组织): 党委 → 党总支 → 党支部 → 党小组, with its secretary
- Window (窗口 / 党员先锋岗 / 责任区): a service window or post, its published standards (亮标准) and who is on duty
- Session (会话): a login's refresh-token chain, ended at logout, on reuse or when the person's entry changes
- LoginFailures (登录失败计数): failed logins per account and per address, slowing the next attempts
- KioskDevice (评价器 / 显示屏): a counter kiosk or display screen serving one window or unit, with its credential
- DevicePairing (设备配对): a short code a new device shows until a person confirms it (RFC 8628)
- CalendarOverride (工作日历调整): the university's own working day or day off against the official calendar
- FormTemplate (表单模板): a version of a printed form's DOCX template, one of them in use per organisation
- FormArchive (年度归档): a unit's year of forms, ledger and report in one ZIP, made in the background

Where things live: README ("Where things live").
"""
