"""Units' chat robots (群机器人): set one up, list them all, the signing secret as it is now."""
from __future__ import annotations

import uuid
from datetime import datetime

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import RobotRepository
from ..domain.preferences import QuietHours
from ..domain.webhook import Robot, RobotStyle
from ._common import Forbidden, _now


def _may_set_robot(identity: Identity, unit_id: uuid.UUID) -> bool:
    unit = str(unit_id)
    return (identity.has_role("org_department") or identity.has_role("branch_secretary", unit)
            or identity.has_role("general_branch_secretary", unit))


def put_robot(uow: UnitOfWork, identity: Identity, unit_id: uuid.UUID, *, style: str, url: str, secret: str | None,
              active: bool, quiet_hours: dict | None, now: datetime | None = None) -> Robot:
    """A unit's secretary (or the organisation department) sets up the unit's chat robot."""
    if not _may_set_robot(identity, unit_id):
        raise Forbidden(_("Only the unit's secretary or the organisation department may set its robot."))
    robot = Robot(unit_id=unit_id, style=RobotStyle(style), url=url, secret=secret or None, active=active,
                  updated_at=now or _now(),
                  quiet_hours=QuietHours(quiet_hours["start"], quiet_hours["end"]) if quiet_hours else None)
    RobotRepository(uow.session).put(robot)
    return robot


def robot_secret(uow: UnitOfWork, unit_id: uuid.UUID) -> str | None:
    """The secret as it is now: a rotated secret signs what is still waiting to be sent."""
    robot = RobotRepository(uow.session).of_units([unit_id]).get(unit_id)
    return robot.secret if robot else None


def list_robots(uow: UnitOfWork, identity: Identity, *, limit: int, offset: int) -> tuple[list[Robot], int]:
    if not (identity.has_role("org_department") or identity.has_role("ops_admin")):
        raise Forbidden(_("Only the organisation department and ops see every robot."))
    return RobotRepository(uow.session).page(limit=limit, offset=offset)
