"""notification-service's views, one module per resource, all on the one blueprint ``notifications``
(/api/notifications; see _views.py for why one):

- notices.py      my inbox: notices, their groups, the unread count, marking read
- preferences.py  my notification settings (通知设置)
- deliveries.py   ops: failed deliveries (投递失败) and sending one again
- robots.py       units' chat robots (群机器人)
"""
# Each module adds its views to the blueprint; imported in the order the views were written, which is the order
# of their paths in the OpenAPI document.
from . import notices, preferences, deliveries, robots  # noqa: F401
from ._views import blp

BLUEPRINTS = (blp,)
