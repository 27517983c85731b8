"""The shapes of /api/auth (api/auth.py)."""
from marshmallow import Schema, validate

from pacesetter_shared.web import fields

from .common import RoleGrantIO


class LoginIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200), load_only=True)


class RefreshIn(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PasswordChangeIn(Schema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "At least PASSWORD_MIN_LENGTH characters (10) and not easy to guess: no common password, "
                       "run, repeat, keyboard pattern, date or one's own user name or name"})


class PersonBrief(Schema):
    id = fields.String()
    name = fields.String()
    language = fields.String()
    unit_id = fields.String(allow_none=True)
    roles = fields.List(fields.Nested(RoleGrantIO))


class TokensOut(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    person = fields.Nested(PersonBrief)


class MeIn(Schema):
    """What a person may change about themself."""

    email = fields.Email(allow_none=True)
    language = fields.String(validate=validate.OneOf(["zh", "en"]))
