"""evaluation-service: evaluation rounds from the first rating to the published result (三评), and the masses' ratings
of service windows with what follows from them (即时评价、差评整改、意见箱、申诉复核、星级窗口).

It owns these aggregates:
- 评议 EvaluationRound: a round of 个人自评、党员互评、群众评议、领导点评 over a pledge, a member's year, a branch or a
  window — its weights (each kind's defaults, 默认权重, set by 组织部), the raters asked, each party's deadline, the
  ratings (online or entered from a paper 评议表, 代录; peers' and the masses' under pseudonyms) and the result
- 窗口评价 WindowRating: one rating of a service window, from its kiosk or online, with its reasons under a version of
  the reason tags (评价标签 TagSet)
- 差评整改 FollowupCase: a bad rating's or a complaint's follow-up by whoever answers for the window, closed or escalated
- 意见箱 Suggestion: an anonymous note to a window or a unit, its triage and reply (公开答复 when published)
- 申诉复核 Appeal: an appeal against a rating or a note, and its decision (upheld: out of the statistics, kept stored)
- 评价二维码 RatingLink: a window's rating link, whose token an online rating must carry; rotated, the old one stops
- 星级窗口 / 服务标兵 StarGrade: a window's or a member on duty's stars for a month, recorded once the month is over

Read from them, not aggregates: the figures the dashboards show (公开口径, the anonymity guard's decision kept as rows),
summaries, rankings and rhythm; the directory projection and the working calendar come from pacesetter_shared.

Where things live: README.
"""
