"""pledge-service's use cases, one module per aggregate or job; each runs in one unit of work and records its
events there.

- pledges: the pledge (承诺) and its life cycle, progress reports, evaluation results, who may see and do what,
  and the figures every change announces
- statistics: the figures asked for (承诺统计), a unit's and each branch's under it
- unpledged: who has not pledged (未承诺名单) and reminding them (督促承诺)
- ledger: the ledger (承诺台账), a page of it or every row for its export
- wall: the public pledge wall (亮承诺)
- jobs: scheduled supervision (督促检查): due-soon and overdue reminders, the weekly overdue list, the daily figures
"""
