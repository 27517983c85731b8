"""The floor: what one rating costs on this machine with nothing of ours around it.

A minimal Flask app that validates the same rating body as evaluation-service (its own marshmallow
schema) and inserts it into PostgreSQL in one transaction — no gateway, no outbox, no identity,
no idempotency keys. bench/run.py serves it under gunicorn with the services' worker settings:

    BENCH_FLOOR_DATABASE_URL=postgresql://… gunicorn 'floor_app:create_app()' --chdir bench …
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Flask, jsonify, request
from marshmallow import ValidationError

from evaluation_service.schemas.ratings import WindowRatingIn
from pacesetter_shared.db import make_engine

metadata = sa.MetaData()
# The columns of evaluation's window_ratings that a kiosk rating fills, with the same unique key.
floor_ratings = sa.Table(
    "floor_ratings", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("window_id", sa.Uuid, nullable=False),
    sa.Column("origin", sa.String(60), nullable=False),
    sa.Column("client_id", sa.String(64), nullable=False),
    sa.Column("level", sa.SmallInteger, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("window_id", "origin", "client_id"),
    sa.Index("ix_floor_ratings_window_rated", "window_id", "rated_at"),
)


def create_app() -> Flask:
    engine = make_engine(os.environ["BENCH_FLOOR_DATABASE_URL"])  # the services' pool settings
    metadata.create_all(engine)
    schema = WindowRatingIn()
    app = Flask(__name__)

    @app.post("/rate")
    def rate():
        try:
            item = schema.load(request.get_json(force=True))
        except ValidationError as exc:
            return jsonify({"error": exc.messages}), 422
        now = datetime.now(timezone.utc)
        with engine.begin() as conn:
            rating_id = conn.execute(sa.insert(floor_ratings).values(
                window_id=item["window_id"], origin="floor", client_id=item["client_id"], level=item["level"],
                reasons=item["reasons"], rated_at=item["rated_at"] or now, received_at=now)
                .returning(floor_ratings.c.id)).scalar()
        return jsonify({"client_id": item["client_id"], "status": "accepted", "rating_id": rating_id}), 201

    return app
