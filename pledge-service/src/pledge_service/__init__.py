"""pledge-service: member and organisation pledges from draft to recorded result (党员承诺践诺).

Aggregates:
- Pledge (承诺): a member's or a unit's pledge, annual or instant, from draft through review and publication
  to fulfilment, evaluation result and closing; its transitions, participants (集体承诺), progress reports
  (践诺进展, ProgressReport) and evaluation result (一诺一评, EvaluationResult) belong to it.
- Reminder (督促提醒): that one reminder (due soon, overdue, the weekly overdue list, 督促承诺) went out once.

Read from them, not aggregates: a unit's figures (承诺统计), who has not pledged (未承诺名单), the ledger
(承诺台账) and the public pledge wall (亮承诺); the directory projection comes from pacesetter_shared.

Where things live: README.
"""
