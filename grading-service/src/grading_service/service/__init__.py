"""grading-service's use cases, one module per aggregate or job; each runs in one unit of work and records its
events there.

- cycles.py         评定周期 GradingCycle: open (安排部署), read and list a year's cycle; who may see which branch
- inputs.py         评定输入: other services' events kept as each source's latest state (the consumers' use cases)
- scoring.py        分类定级: 自评 and 上级评定, the suggested level, the general branch's confirmed or overridden level
- results.py        a cycle's results and dashboards: distribution, quotas, movement (晋位升级), a branch's profile
- publicity.py      公示 and 异议: publish, who reads the publicity list, objections and their answers
- finalising.py     确定等次: the final levels after the publicity period
- history.py        a branch's final levels over the years (晋位/持平/降位)
- rectification.py  整改提高 Rectification: the plan, its tasks and progress, the overdue job
- acceptance.py     考核验收: the next cycle's verdict on a branch's last plan
- _common.py        the use cases' errors and Shanghai's date
"""
