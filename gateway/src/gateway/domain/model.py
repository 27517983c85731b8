"""The organisation directory's rules (组织目录). Plain Python."""
from __future__ import annotations

from pacesetter_shared.events.directory import DEPARTMENT_KINDS, MEMBER_STATUSES, PERSON_CATEGORIES, ROLES, UNIT_KINDS


class DirectoryError(Exception):
    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.details = details or {}


class InvalidDirectoryChange(DirectoryError):
    pass


# 党委 → 党总支 → 党支部 → 党小组: which kind of unit may sit under which.
PARENT_KIND = {"committee": None, "general_branch": "committee", "branch": "general_branch", "group": "branch"}

# The unit kind each scoped role is held on.
ROLE_UNIT_KIND = {
    "member": "branch",
    "branch_secretary": "branch",
    "general_branch_secretary": "general_branch",
    "org_department": "committee",
    "ops_admin": None,
}


def check_unit_placement(kind: str, parent_kind: str | None) -> None:
    if kind not in UNIT_KINDS:
        raise InvalidDirectoryChange("Unknown unit kind.", {"kind": [f"one of {', '.join(UNIT_KINDS)}"]})
    expected = PARENT_KIND[kind]
    if expected != parent_kind:
        where = f"under a {expected}" if expected else "at the top, with no parent"
        raise InvalidDirectoryChange(f"A {kind} belongs {where}.", {"parent_id": [f"must be a {expected}" if expected else "must be empty"]})


def check_role_grant(role: str, unit_kind: str | None) -> None:
    if role not in ROLES:
        raise InvalidDirectoryChange("Unknown role.", {"roles": [f"one of {', '.join(ROLES)}"]})
    expected = ROLE_UNIT_KIND[role]
    if expected is not None and unit_kind != expected:
        raise InvalidDirectoryChange(f"The role {role} is held on a {expected}.", {"roles": [f"{role} needs a {expected}"]})


__all__ = ["DEPARTMENT_KINDS", "MEMBER_STATUSES", "PERSON_CATEGORIES", "ROLES", "UNIT_KINDS", "DirectoryError",
           "InvalidDirectoryChange", "check_unit_placement", "check_role_grant"]
