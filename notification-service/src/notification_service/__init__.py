"""notification-service: tells each person what an event means for them, into their inbox (消息通知), and sends it
on by e-mail and to units' chat robots.

Aggregates:
- 通知 Notice: what one event means for one reader, worded in their language, in their inbox (收件箱) until read;
  an inbox group (消息分组) is read from notices, not kept
- 投递 Delivery: one notice (or a unit's news) on one outbound channel (e-mail, webhook), tried until sent or
  failed, and sent again by ops (投递失败)
- 偏好 Preferences: a person's choices (通知设置): channels per kind of notice, quiet hours, the daily digest
- 群机器人 Robot: a unit's chat robot (企业微信, 钉钉, 飞书, generic), its address and signing secret
- 每日汇总 Digest: a secretary's items waiting for the daily digest (DigestItem), sent as one notice after 08:00
- 差评预警 alert: a window's bad ratings (each case once) and when it last alerted

The directory projection (who holds which role in which unit, names, languages, e-mail) comes from
pacesetter_shared.

Where things live: README.
"""
