"""What both launchers print once the suite answers: where the portal is and the demo accounts."""
from __future__ import annotations

BANNER = """
  Pacesetter 创先争优长效机制平台 is running ({mode}).

  Portal:        http://localhost:{port}/
  API documents: http://localhost:{port}/api/openapi.json

  Demo accounts (password: {password}):
    zuzhibu   党委组织部 (organisation department, ops)
    zongzhi   教育学院党总支书记 (general-branch secretary)
    zhishu    教工第一党支部书记 (branch secretary)
    dangyuan  党员 (member)

{closing}
"""


def banner(mode: str, port: int, closing: str) -> str:
    from gateway.service.demo import DEMO_PASSWORD
    return BANNER.format(mode=mode, port=port, password=DEMO_PASSWORD, closing=closing)
