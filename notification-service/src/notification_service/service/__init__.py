"""notification-service's use cases, one module per aggregate or job; each runs in one unit of work (a scheduled job
opens one per person or delivery).

- delivery: the event handler — an event's notices (通知) into the inboxes, its deliveries (投递) queued, digest items
- alerts: feedback.negative — the place's cases as one notice, each counted towards the window's alert (差评预警)
- inbox: my inbox (收件箱) — a page of notices or of their groups, the unread count, marking read
- preferences: my notification settings (通知设置, 偏好)
- robots: units' chat robots (群机器人) and their signing secret
- dispatch: sending a channel's due deliveries (a job); ops' failed deliveries, retry, the counts /metrics reports
- digests: the daily digest (每日汇总), a job
- jobs: the scheduled jobs — one sending job per outbound channel, the daily digest
- _directory: what the event handlers read once per unit of work (the directory projection, choices, robots)
- _common: the use cases' errors, the clock, whose inbox it is
"""
