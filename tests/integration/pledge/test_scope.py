"""Who may do what: every endpoint of pledge-service against every role, and no identity at all."""
from __future__ import annotations

import pytest

from .lifecycle import NEXT_YEAR, body, create, publish

ROLES = ("anonymous", "member", "peer", "secretary", "reviewer", "outsider_reviewer", "org")
PROGRESS = {"evidence": "完成一次志愿服务"}


def call(service, org, role, method, url, json=None):
    headers = {} if role == "anonymous" else service.headers(getattr(org, role))
    return service.client.open(url, method=method, json=json, headers=headers)


def fresh(service, org, state):
    if state == "published":
        return publish(service, org)
    return create(service, org.member, submit=state == "submitted")


UNIT_YEAR = "unit_id={branch}&year=" + str(NEXT_YEAR)
# endpoint: (method, url template, body, state of a fresh pledge or None, expected status per role)
MATRIX = {
    "create": ("POST", "/api/pledges", body(), None,
               dict(anonymous=401, member=201, peer=201, secretary=201, reviewer=201, outsider_reviewer=201,
                    org=422)),
    "create for the unit": ("POST", "/api/pledges", body(pledger_kind="unit", unit_id="{branch}"), None,
                            dict(anonymous=401, member=403, peer=403, secretary=201, reviewer=403,
                                 outsider_reviewer=403, org=403)),
    "list mine": ("GET", "/api/pledges?scope=mine", None, None, dict(anonymous=401) | {r: 200 for r in ROLES[1:]}),
    "review queue": ("GET", "/api/pledges?scope=review", None, None,
                     dict(anonymous=401) | {r: 200 for r in ROLES[1:]}),
    "guidance": ("GET", "/api/pledges/guidance/teaching", None, None,
                 dict(anonymous=401) | {r: 200 for r in ROLES[1:]}),
    "read a draft": ("GET", "/api/pledges/{id}", None, "draft",
                     dict(anonymous=401, member=200, peer=404, secretary=200, reviewer=200, outsider_reviewer=404,
                          org=200)),
    "read a published pledge": ("GET", "/api/pledges/{id}", None, "published",
                                dict(anonymous=401, member=200, peer=200, secretary=200, reviewer=200,
                                     outsider_reviewer=404, org=200)),
    "edit": ("PATCH", "/api/pledges/{id}", {"title": "改"}, "draft",
             dict(anonymous=401, member=200, peer=404, secretary=403, reviewer=403, outsider_reviewer=404, org=403)),
    "approve": ("POST", "/api/pledges/{id}/approve", {}, "submitted",
                dict(anonymous=401, member=403, peer=404, secretary=403, reviewer=200, outsider_reviewer=404,
                     org=200)),
    "fulfil": ("POST", "/api/pledges/{id}/fulfil", {}, "published",
               dict(anonymous=401, member=200, peer=403, secretary=403, reviewer=403, outsider_reviewer=404,
                    org=403)),
    "report progress": ("POST", "/api/pledges/{id}/progress", PROGRESS, "published",
                        dict(anonymous=401, member=201, peer=403, secretary=403, reviewer=403,
                             outsider_reviewer=404, org=403)),
    "read progress": ("GET", "/api/pledges/{id}/progress", None, "published",
                      dict(anonymous=401, member=200, peer=200, secretary=200, reviewer=200, outsider_reviewer=404,
                           org=200)),
    "linked pledges": ("GET", "/api/pledges/{id}/linked", None, "published",
                       dict(anonymous=401, member=200, peer=200, secretary=200, reviewer=200, outsider_reviewer=404,
                            org=200)),
    "statistics": ("GET", "/api/pledges/statistics?" + UNIT_YEAR, None, None,
                   dict(anonymous=401, member=403, peer=403, secretary=200, reviewer=200, outsider_reviewer=403,
                        org=200)),
    "ledger": ("GET", "/api/pledges/ledger?" + UNIT_YEAR, None, None,
               dict(anonymous=401, member=403, peer=403, secretary=200, reviewer=200, outsider_reviewer=403,
                    org=200)),
    "ledger export": ("GET", "/api/pledges/ledger/export?format=csv&" + UNIT_YEAR, None, None,
                      dict(anonymous=401, member=403, peer=403, secretary=200, reviewer=200, outsider_reviewer=403,
                           org=200)),
    "pledge wall": ("GET", "/api/pledges/wall?unit_id={branch}", None, None, {r: 200 for r in ROLES}),
}


def _fill(template, org, pledge_id):
    if isinstance(template, dict):
        return {k: _fill(v, org, pledge_id) for k, v in template.items()}
    if isinstance(template, str):
        return template.format(branch=org.branch, id=pledge_id)
    return template


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_every_role_gets_what_its_scope_allows(pledge_service, org, endpoint):
    method, url, payload, state, expected = MATRIX[endpoint]
    assert set(expected) == set(ROLES)
    got = {}
    for role in ROLES:
        # A fresh pledge for each role, so that one role's success never changes the next one's answer.
        pledge_id = fresh(pledge_service, org, state)["id"] if state else None
        response = call(pledge_service, org, role, method, _fill(url, org, pledge_id), _fill(payload, org, pledge_id))
        got[role] = response.status_code
        if response.status_code >= 400:
            assert set(response.json["error"]) == {"code", "message", "details"}, response.json
    assert got == expected
