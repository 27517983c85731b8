import uuid

import pytest

from tests.support.services import OrgFixture, start_service


@pytest.fixture
def evaluation_service(fresh_database, make_settings):
    service = start_service("evaluation", fresh_database("evaluation"), make_settings)
    yield service
    service.engine.dispose()


@pytest.fixture
def org(evaluation_service):
    return org_with_windows(evaluation_service)


def org_with_windows(evaluation_service) -> OrgFixture:
    """The directory of the evaluation tests: two branches, peers and masses, two windows of the branch, where
    the two peers are on duty and the secretary answers."""
    org = OrgFixture(evaluation_service)
    # two more members of the branch, so that a round can draw three peers besides the leader
    org.peer2 = org.add_person("赵敏", org.branch, [("member", org.branch)])
    org.masses = [org.add_person(f"群众{i}", org.other_branch, []) for i in range(3)]
    org.window, org.other_window = uuid.uuid4(), uuid.uuid4()
    for window_id, name in ((org.window, "教务服务窗口"), (org.other_window, "学籍服务窗口")):
        evaluation_service.deliver("directory.window_upserted", {
            "window_id": window_id, "name": name, "unit_id": org.branch,
            "responsible_id": uuid.UUID(org.secretary.subject), "revision": 1,
            "on_duty_ids": [uuid.UUID(org.peer.subject), uuid.UUID(org.peer2.subject)],
            # given in full: the schema's default ({}) dumps dict.items as its "items" field
            "standards": {"items": ["开具在读证明"], "workflow": "", "time_limit": "当场办结"}})
    return org
