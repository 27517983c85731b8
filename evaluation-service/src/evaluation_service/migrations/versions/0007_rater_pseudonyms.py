"""评议人化名: a round's ratings keep their raters as pseudonyms under the round's own secret
(domain.model.RaterPseudonyms); peers' and the masses' ratings no longer keep a person id.

An open round gets its secret, and each of its ratings the pseudonym under it. A closed round's ratings get
theirs under a secret made for that round here and never stored: they stay one per rater and are tied to no
one. Self-assessments and leaders' comments keep their rater's id too (known by design). The idempotency
records of peers' and masses' ratings, kept under the rater's account beside the answer (their own rating and
comment), are forgotten: a re-sent rating is refused as already given, never stored twice.

PostgreSQL keeps the old row versions in its files until they are vacuumed: run
``VACUUM FULL round_ratings, idempotency_keys`` after upgrading to have them gone from the disk too.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

from evaluation_service.domain.model import RaterPseudonyms
from pacesetter_shared.db import idempotency_keys_table as keys

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ANONYMOUS = ("peer", "masses")

rounds = sa.table("rounds", sa.column("id", sa.Uuid), sa.column("state", sa.String))
ratings = sa.table("round_ratings", sa.column("id", sa.Uuid), sa.column("round_id", sa.Uuid),
                   sa.column("party", sa.String), sa.column("rater_id", sa.Uuid), sa.column("rater_key", sa.String))
round_secrets = sa.table("round_secrets", sa.column("round_id", sa.Uuid), sa.column("secret", sa.LargeBinary))


def _is_anonymous_rating_answer(response) -> bool:
    # a rating in a round answers with the round, the caller's own ratings in it included
    mine = response.get("my_ratings") if isinstance(response, dict) else None
    return isinstance(mine, list) and any(isinstance(r, dict) and r.get("party") in ANONYMOUS for r in mine)


def upgrade() -> None:
    op.create_table(
        "round_secrets",
        sa.Column("round_id", sa.Uuid, sa.ForeignKey("rounds.id"), primary_key=True),
        sa.Column("secret", sa.LargeBinary(32), nullable=False),
    )
    with op.batch_alter_table("round_ratings") as batch:
        batch.add_column(sa.Column("rater_key", sa.String(64)))
        batch.alter_column("rater_id", existing_type=sa.Uuid, nullable=True)
        batch.drop_constraint("uq_round_ratings_rater", type_="unique")

    bind = op.get_bind()
    kept = {round_id: RaterPseudonyms(RaterPseudonyms.new_secret())
            for round_id in bind.execute(sa.select(rounds.c.id).where(rounds.c.state == "open")).scalars()}
    if kept:
        bind.execute(sa.insert(round_secrets), [{"round_id": r, "secret": p.secret} for r, p in kept.items()])
    thrown_away: dict = {}
    moved = []
    for rating in bind.execute(sa.select(ratings.c.id, ratings.c.round_id, ratings.c.party, ratings.c.rater_id)):
        pseudonyms = kept.get(rating.round_id) or thrown_away.setdefault(
            rating.round_id, RaterPseudonyms(RaterPseudonyms.new_secret()))
        stored = pseudonyms.kept(rating.party, rating.rater_id)
        moved.append({"rating": rating.id, "key": stored["rater_key"], "named": stored["rater_id"]})
    if moved:
        bind.execute(sa.update(ratings).where(ratings.c.id == sa.bindparam("rating"))
                     .values(rater_key=sa.bindparam("key"), rater_id=sa.bindparam("named")), moved)

    answers = bind.execute(sa.select(keys.c.caller, keys.c.key, keys.c.response)
                           .where(sa.cast(keys.c.response, sa.Text).contains('"my_ratings"')))
    doomed = [(row.caller, row.key) for row in answers if _is_anonymous_rating_answer(row.response)]
    for caller, key in doomed:
        bind.execute(sa.delete(keys).where(keys.c.caller == caller, keys.c.key == key))

    with op.batch_alter_table("round_ratings") as batch:
        batch.alter_column("rater_key", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_round_ratings_rater_key", ["round_id", "rater_key"])
        batch.create_check_constraint("ck_round_ratings_named_raters",
                                      "(rater_id IS NULL) = (party IN ('peer', 'masses'))")
    op.create_index("ix_round_ratings_rater_key", "round_ratings", ["rater_key"])


def downgrade() -> None:
    """Who rated was forgotten here and cannot be told again, while 0006's ratings each need their rater."""
    raise CommandError("0007 forgot the raters of peers' and masses' ratings: it cannot be downgraded")
