"""evaluation-service's use cases, one module per aggregate or job; each runs in one unit of work and records its
events there.

- rounds.py          评议 EvaluationRound: the scale and each kind's default weights, opening rounds (by hand, in bulk,
                     for a fulfilled instant pledge), naming the peers, a round or a list as the caller may see it;
                     the errors NotFound and Forbidden the other modules share
- round_results.py   rating in a round, the rules paper sheets share, closing it with its result (the deadline job)
- paper_sheets.py    代录: a secretary enters a paper 评议表 for a rater without a login
- window_ratings.py  窗口评价 WindowRating: one rating or a kiosk's batch, and the reason tags (评价标签)
- followup_cases.py  差评整改 FollowupCase: open, list, read, close (one or a batch), escalate once overdue (the job)
- rating_links.py    评价二维码 RatingLink: a window's rating link and what an online rating must show; who left a
                     window's duty (the directory's event)
- suggestions.py     意见箱 Suggestion: notes and complaints, their triage and replies, the published replies
- appeals.py         申诉复核 Appeal: appeals against a rating or a note, their decisions, the appeals audit
- statistics.py      the figures asked for: summaries and trends, my windows' satisfaction, rankings, rhythm, and each
                     window's month sent to grading (the job)
- star_grades.py     星级窗口 / 服务标兵 StarGrade: a month's stars on demand, and recorded once it is over (the job)
- figures.py         公开口径: the anonymity guard's decision over a year of ratings, kept as rows (the refresh job)
"""
