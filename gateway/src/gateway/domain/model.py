"""The organisation directory's rules (组织目录). Plain Python."""
from __future__ import annotations

from pacesetter_shared.events.labels import DEPARTMENT_KINDS, MEMBER_STATUSES, PERSON_CATEGORIES, ROLES, UNIT_KINDS
from pacesetter_shared.i18n import _, term


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
        raise InvalidDirectoryChange(_("Unknown unit kind."), {"kind": [_("one of {choices}", choices=", ".join(UNIT_KINDS))]})
    expected = PARENT_KIND[kind]
    if expected != parent_kind:
        if expected:
            raise InvalidDirectoryChange(
                _("A {kind} belongs under a {parent}.", kind=term("unit_kind", kind), parent=term("unit_kind", expected)),
                {"parent_id": [_("must be a {kind}", kind=term("unit_kind", expected))]})
        raise InvalidDirectoryChange(_("A {kind} belongs at the top, with no parent.", kind=term("unit_kind", kind)),
                                     {"parent_id": [_("must be empty")]})


def check_role_grant(role: str, unit_kind: str | None) -> None:
    if role not in ROLES:
        raise InvalidDirectoryChange(_("Unknown role."), {"roles": [_("one of {choices}", choices=", ".join(ROLES))]})
    expected = ROLE_UNIT_KIND[role]
    if expected is not None and unit_kind != expected:
        raise InvalidDirectoryChange(
            _("The role {role} is held on a {kind}.", role=term("role", role), kind=term("unit_kind", expected)),
            {"roles": [_("{role} needs a {kind}", role=term("role", role), kind=term("unit_kind", expected))]})


class AccountChangeRefused(DirectoryError):
    """A change that would lock the organisation, or the person making it, out of the directory."""


# The roles that run the directory: nobody takes them from themselves.
ADMIN_ROLES = ("org_department", "ops_admin")


def check_account_change(*, own: bool, disables: bool, roles_lost: set[str], sets_password: bool,
                         last_org_account: bool) -> None:
    """``own``: the person changes their own entry; ``last_org_account``: the entry is the last active one
    holding the organisation department's role."""
    if own and disables:
        raise AccountChangeRefused(_("You cannot disable your own account."),
                                   {"active": [_("ask another administrator")]})
    for role in ADMIN_ROLES:
        if own and role in roles_lost:
            raise AccountChangeRefused(_("You cannot take the role {role} from yourself.", role=term("role", role)),
                                       {"roles": [_("ask another administrator")]})
    if own and sets_password:
        raise AccountChangeRefused(
            _("Change your own password on your profile page, with your current password."),
            {"password": [_("change it on your profile page")]})
    if last_org_account and (disables or "org_department" in roles_lost):
        raise AccountChangeRefused(
            _("This is the last active account of the organisation department: give the role to someone else "
              "first."), {"active" if disables else "roles": [_("the last organisation department account")]})


__all__ = ["ADMIN_ROLES", "DEPARTMENT_KINDS", "MEMBER_STATUSES", "PERSON_CATEGORIES", "ROLES", "UNIT_KINDS",
           "AccountChangeRefused", "DirectoryError", "InvalidDirectoryChange", "check_account_change",
           "check_unit_placement", "check_role_grant"]
