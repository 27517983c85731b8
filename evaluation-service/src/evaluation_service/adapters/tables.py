"""evaluation-service's own tables (plumbing and directory projection come from the shared package)."""
import sqlalchemy as sa

from pacesetter_shared.db import BigIdType, JsonType, UtcDateTime

metadata = sa.MetaData()

rounds = sa.Table(
    "rounds", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("target_kind", sa.String(20), nullable=False),
    sa.Column("target_id", sa.Uuid, nullable=False),
    # "2026" for a year, "2026-11" for a month: one round per target and period
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("subject_person_id", sa.Uuid),
    sa.Column("unit_id", sa.Uuid, nullable=False, index=True),
    sa.Column("weights", JsonType, nullable=False),  # {party: percent}
    sa.Column("targets", JsonType, nullable=False),  # what the self-assessment reports against
    sa.Column("self_ids", JsonType, nullable=False),
    sa.Column("peer_ids", JsonType, nullable=False),
    sa.Column("leader_ids", JsonType, nullable=False),
    sa.Column("quorum_percent", sa.Float, nullable=False),
    sa.Column("min_group", sa.Integer, nullable=False),
    sa.Column("deadline", UtcDateTime(), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("level", sa.String(20)),
    sa.Column("breakdown", JsonType),
    sa.Column("opened_by", sa.Uuid),
    sa.Column("opened_at", UtcDateTime(), nullable=False),
    sa.Column("closed_at", UtcDateTime()),
    # each party's own deadline, ISO ({party: when}); none for rounds opened before: the round's deadline
    sa.Column("party_deadlines", JsonType),
    # the parties left out at close for lack of enough raters by their deadline ({party: reason})
    sa.Column("left_out", JsonType),
    # when the deadline job looks at the round next: the earliest party deadline still ahead
    sa.Column("next_party_deadline", UtcDateTime()),
    sa.UniqueConstraint("target_kind", "target_id", "period", name="uq_rounds_target_period"),
    sa.Index("ix_rounds_state_deadline", "state", "deadline"),
    sa.Index("ix_rounds_state_next_party_deadline", "state", "next_party_deadline"),
)

# The organisation department's own defaults per kind of round, over the ones in the domain.
default_weights = sa.Table(
    "default_weights", metadata,
    sa.Column("target_kind", sa.String(20), primary_key=True),
    sa.Column("weights", JsonType, nullable=False),
    sa.Column("updated_by", sa.Uuid, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

round_ratings = sa.Table(
    "round_ratings", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("round_id", sa.Uuid, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("party", sa.String(10), nullable=False),
    # 评议人化名 (domain.model.RaterPseudonyms): the rater under the round's secret, so that no one rates twice
    sa.Column("rater_key", sa.String(64), nullable=False),
    # the self-assessing person or the commenting leader only: never a peer or one of the masses
    sa.Column("rater_id", sa.Uuid),
    sa.Column("rating", sa.String(10), nullable=False),
    sa.Column("points", sa.Integer, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("mode", sa.String(20)),
    sa.Column("target_reports", JsonType),
    sa.Column("submitted_at", UtcDateTime(), nullable=False),
    # 代录: "paper" when a secretary entered a paper 评议表 for a rater without a login, else "online"
    sa.Column("source", sa.String(10), nullable=False, server_default="online"),
    sa.Column("entered_by", sa.Uuid),  # the secretary who entered a paper sheet
    sa.Column("sheet_key", sa.String(64)),  # the paper sheet's number under the round's secret (RaterPseudonyms)
    sa.UniqueConstraint("round_id", "rater_key", name="uq_round_ratings_rater_key"),
    sa.UniqueConstraint("round_id", "sheet_key", name="uq_round_ratings_sheet_key"),
    # the list of rounds waiting for someone looks their pseudonyms up across their open rounds at once
    sa.Index("ix_round_ratings_rater_key", "rater_key"),
    sa.CheckConstraint("(rater_id IS NULL) = (party IN ('peer', 'masses'))", name="ck_round_ratings_named_raters"),
    sa.CheckConstraint("(source = 'paper') = (entered_by IS NOT NULL AND sheet_key IS NOT NULL)",
                       name="ck_round_ratings_paper_entered"),
)

# An open round's secret for its raters' pseudonyms; the row is deleted when the round closes.
round_secrets = sa.Table(
    "round_secrets", metadata,
    sa.Column("round_id", sa.Uuid, sa.ForeignKey("rounds.id"), primary_key=True),
    sa.Column("secret", sa.LargeBinary(32), nullable=False),
)

tag_sets = sa.Table(
    "tag_sets", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("tags", JsonType, nullable=False),  # {"praise": [...], "complaint": [...]}
    sa.Column("created_by", sa.Uuid),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

window_ratings = sa.Table(
    "window_ratings", metadata,
    sa.Column("id", BigIdType, primary_key=True, autoincrement=True),
    sa.Column("window_id", sa.Uuid, nullable=False),
    sa.Column("unit_id", sa.Uuid, nullable=False),
    sa.Column("source", sa.String(10), nullable=False),  # kiosk / online
    # the kiosk device, or "online": with client_id, what makes a re-sent rating the same one
    sa.Column("origin", sa.String(60), nullable=False),
    sa.Column("client_id", sa.String(64), nullable=False),
    sa.Column("level", sa.SmallInteger, nullable=False),
    sa.Column("reasons", JsonType, nullable=False),
    # no foreign key: the service refuses an unknown version, and PostgreSQL's check ran per row (migration 0011)
    sa.Column("tag_set_version", sa.Integer, nullable=False),
    sa.Column("on_duty_id", sa.Uuid),
    sa.Column("rated_at", UtcDateTime(), nullable=False),
    sa.Column("received_at", UtcDateTime(), nullable=False),
    # an upheld appeal (申诉复核) takes a rating out of statistics; it is never deleted
    sa.Column("excluded", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("window_id", "origin", "client_id", name="uq_window_ratings_client"),
    sa.Index("ix_window_ratings_window_rated", "window_id", "rated_at"),
    sa.Index("ix_window_ratings_unit_rated", "unit_id", "rated_at"),
    # a window's online ratings of the last minutes, counted before each new one (the per-window cap)
    sa.Index("ix_window_ratings_online_received", "window_id", "received_at",
             postgresql_where=sa.text("source = 'online'"), sqlite_where=sa.text("source = 'online'")),
)

# 评价二维码: the one current token of each window's rating link; a new one (rotated by the organisation
# department) ends the old link at once
rating_links = sa.Table(
    "rating_links", metadata,
    sa.Column("window_id", sa.Uuid, primary_key=True),
    sa.Column("token", sa.String(64), nullable=False, unique=True),
    sa.Column("rotated_at", UtcDateTime(), nullable=False),
    sa.Column("rotated_by", sa.Uuid),  # none for the first token, made when a manager first asked for it
)

# Who left a window's duty and when: a kiosk's rating queued while they served may still name them
duty_departures = sa.Table(
    "duty_departures", metadata,
    sa.Column("window_id", sa.Uuid, primary_key=True),
    sa.Column("person_id", sa.Uuid, primary_key=True),
    sa.Column("left_at", UtcDateTime(), nullable=False),
)

# 意见箱: deliberately nothing about the writer — no account, no address, no device, not even the
# time of day (only the Shanghai date), so that no log can be matched against a note.
suggestions = sa.Table(
    "suggestions", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("window_id", sa.Uuid),
    sa.Column("unit_id", sa.Uuid, nullable=False, index=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("is_complaint", sa.Boolean, nullable=False),
    sa.Column("received_on", sa.Date, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("reply", sa.Text),
    sa.Column("reply_published", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("excluded", sa.Boolean, nullable=False, server_default=sa.false()),  # an upheld appeal
    sa.Column("handled_by", sa.Uuid),  # the leader, not the writer
    sa.Column("handled_at", UtcDateTime()),
)

followup_cases = sa.Table(
    "followup_cases", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("rating_id", BigIdType, sa.ForeignKey("window_ratings.id")),
    sa.Column("suggestion_id", sa.Uuid, sa.ForeignKey("suggestions.id")),
    sa.Column("window_id", sa.Uuid),  # none for a complaint to a unit (its branch secretary follows up)
    sa.Column("unit_id", sa.Uuid, nullable=False),
    sa.Column("responsible_id", sa.Uuid),
    sa.Column("source", sa.String(10), nullable=False),  # rating / suggestion
    sa.Column("level", sa.SmallInteger, nullable=False),
    sa.Column("reasons", JsonType, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),  # open / escalated / closed
    sa.Column("deadline", UtcDateTime(), nullable=False),
    sa.Column("opened_at", UtcDateTime(), nullable=False),
    sa.Column("escalated_at", UtcDateTime()),
    sa.Column("closed_at", UtcDateTime()),
    sa.Column("closed_by", sa.Uuid),
    sa.Column("action_taken", sa.Text),
    sa.Column("called_back", sa.Boolean),
    sa.Index("ix_followup_cases_state_deadline", "state", "deadline"),
)

appeals = sa.Table(
    "appeals", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    # what is appealed: a rating or a note, one of the two
    sa.Column("rating_id", BigIdType, sa.ForeignKey("window_ratings.id"), index=True),
    sa.Column("suggestion_id", sa.Uuid, sa.ForeignKey("suggestions.id"), index=True),
    sa.Column("appellant_id", sa.Uuid, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("filed_at", UtcDateTime(), nullable=False),
    sa.Column("decision", sa.String(10)),  # upheld / rejected; kept for good, with who and when
    sa.Column("decision_note", sa.Text),
    sa.Column("decided_by", sa.Uuid),
    sa.Column("decided_at", UtcDateTime()),
    sa.CheckConstraint("(rating_id IS NULL) <> (suggestion_id IS NULL)", name="ck_appeals_one_target"),
)

# 星级窗口 / 服务标兵: a month's stars, one row per window or member on duty and month, kept for good
star_grades = sa.Table(
    "star_grades", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("scope", sa.String(10), nullable=False),  # window / on_duty
    sa.Column("key", sa.Uuid, nullable=False),  # the window, or the member on duty
    sa.Column("unit_id", sa.Uuid, nullable=False),
    sa.Column("month", sa.String(7), nullable=False),  # YYYY-MM, Shanghai calendar
    sa.Column("stars", sa.SmallInteger, nullable=False),  # 0: not graded
    sa.Column("ratings", sa.Integer),  # None when too few to show
    sa.Column("satisfaction_rate", sa.Float),
    sa.Column("graded_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("scope", "key", "month", name="uq_star_grades_month"),
    sa.Index("ix_star_grades_unit_month", "unit_id", "month"),
)

# 公开口径: the anonymity guard's decision over a calendar year of ratings, kept as rows so that dashboards
# read it instead of working it out (see service/figures.py). One row per answer the service can give; counts
# only where the guard shows them.
disclosure_snapshots = sa.Table(
    "disclosure_snapshots", metadata,
    sa.Column("year", sa.Integer, primary_key=True),
    # what the decision was worked out from: the year's ratings, exclusions, directory and threshold
    sa.Column("fingerprint", sa.String(200), nullable=False),
    sa.Column("computed_at", UtcDateTime(), nullable=False),
    sa.Column("answers", sa.Integer, nullable=False),
)

# A year someone read before the worker worked it out: the worker works it out next, ahead of other years.
disclosure_wishes = sa.Table(
    "disclosure_wishes", metadata,
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("asked_at", UtcDateTime(), nullable=False),
)

disclosed_figures = sa.Table(
    "disclosed_figures", metadata,
    # window / unit / on_duty (counts), hour / weekday (a unit's rhythm tables)
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("key", sa.Uuid, primary_key=True),
    sa.Column("granularity", sa.String(5), primary_key=True),  # day / week / month / year
    sa.Column("period_start", sa.Date, primary_key=True),
    sa.Column("part", sa.SmallInteger, primary_key=True),  # hour 0–23 or ISO weekday 1–7; -1 for counts
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("shown", sa.Boolean, nullable=False),
    *(sa.Column(f"level_{level}", sa.Integer) for level in range(1, 6)),  # None when hidden
    # a member on duty's month: where they served (a ranking under a unit takes only members wholly in it)
    # and the unit where most of their ratings were given (where their stars count)
    sa.Column("windows", JsonType),
    sa.Column("home_unit_id", sa.Uuid),
    sa.Index("ix_disclosed_figures_period", "kind", "granularity", "period_start"),
    # a ranking's month sums, read from the index alone (migration 0012)
    sa.Index("ix_disclosed_figures_months", "kind", "period_start",
             postgresql_include=["key", "part", "shown", *(f"level_{level}" for level in range(1, 6))],
             postgresql_where=sa.text("granularity = 'month'"), sqlite_where=sa.text("granularity = 'month'")),
)
