"""grading-service: the yearly grading of branches, from self-assessment to published level (晋位升级), and the
rectification that follows.

It owns these aggregates:
- 评定周期 GradingCycle: a year's grading (安排部署) — weights, the 先进 cap, deadlines, its state (open → 公示 → final)
  and its branches with their scores (自评, 上级评定), levels (拟定, 确定) and the log of every change
- 异议 Objection: a person's objection to a branch's published level during 公示, and its answer
- 评定输入 Input: another service's figure for a branch (评议 round, window satisfaction, pledges, last 考核验收),
  each source's latest state
- 整改 Rectification: a branch's plan after the final results (整改提高), its tasks and their progress
- 考核验收 Acceptance: the next cycle's verdict on a branch's last plan

Where things live: README.
"""
