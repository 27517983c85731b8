"""Evaluation rounds (评议), blueprint ``evaluations`` (/api/evaluations): the scale and each kind's default weights,
opening rounds (one or in bulk), reading and listing them, naming the peers, rating in a round and entering a paper
评议表 (代录)."""
from __future__ import annotations

import uuid

from pacesetter_shared.web import Blueprint, current_identity
from pacesetter_shared.web.idempotency import IDEMPOTENCY_KEY, run_idempotently, write_once

from ..schemas.evaluations import (
    BulkRoundsIn, BulkRoundsOut, DefaultWeightsIn, PaperSheetIn, PeersIn, RatingSubmit, RoundCreate, RoundOut, RoundPage,
    RoundQuery, ScaleOut,
)
from ..service import paper_sheets, round_results, rounds
from ._views import _config, _svc

blp = Blueprint("evaluations", __name__, url_prefix="/api/evaluations",
                description="Evaluation rounds (三评: 个人自评、党员互评、群众评议、领导点评)")


@blp.route("/scale", methods=["GET"])
@blp.response(200, ScaleOut)
def scale():
    """The rating scale (优秀/良好/一般/较差) and the default weights of each kind of round."""
    with _svc().uow_factory() as uow:
        return rounds.describe_scale(_config().min_group, rounds.default_weights_for(uow))


@blp.route("/defaults/<any(pledge, member_year, branch, window):target_kind>", methods=["PUT"])
@blp.arguments(DefaultWeightsIn)
@blp.response(200, ScaleOut)
def set_default_weights(body, target_kind: str):
    """组织部: a kind's default weights (percent per party, adding up to 100) for rounds opened from now on."""
    with _svc().uow_factory() as uow:
        weights = rounds.set_default_weights(uow, current_identity(), target_kind, body["weights"])
    return rounds.describe_scale(_config().min_group, weights)


@blp.route("/rounds", methods=["POST"])
@blp.arguments(RoundCreate)
@blp.response(201, RoundOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def open_round(command):
    """Open a round (组织部 or the general branch over the unit); its raters are asked by event."""
    identity = current_identity()

    def action(uow):
        row = rounds.open_round_by_hand(uow, identity, command, _config())
        return RoundOut().dump(rounds.get_round(uow, identity, row.id)), 201

    return run_idempotently(_svc().uow_factory, identity.subject, action)


@blp.route("/rounds/bulk", methods=["POST"])
@blp.arguments(BulkRoundsIn)
@blp.response(201, BulkRoundsOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def open_rounds_in_bulk(command):
    """组织部: one round per member's year, or per branch, under a unit; each target once per year."""
    return write_once(BulkRoundsOut, lambda uow, who: rounds.open_rounds_in_bulk(uow, who, command, _config()), 201)


@blp.route("/rounds", methods=["GET"])
@blp.arguments(RoundQuery, location="query")
@blp.response(200, RoundPage)
def list_rounds(query):
    """Rounds where I am evaluated or asked to rate, filtered (waiting for my rating, state, my role or party,
    kind, year) and sorted; ``total`` counts every matching round. The masses are asked by no list: they come
    by a round's link."""
    with _svc().uow_factory() as uow:
        items, total = rounds.list_rounds(uow, current_identity(), **query)
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


@blp.route("/rounds/<uuid:round_id>", methods=["GET"])
@blp.response(200, RoundOut)
def get_round(round_id: uuid.UUID):
    """A round: counts while open, the result once closed, my own ratings and the parties still open to me
    (my_parties); never who rated what. While open, anyone who may rate as the masses sees it: they come by its link.
    The round's branch secretary or above sees what they may enter from paper (paper_entry)."""
    identity = current_identity()
    with _svc().uow_factory() as uow:
        return rounds.get_round(uow, identity, round_id) | {
            "paper_entry": paper_sheets.entry_for(uow, identity, round_id)}


@blp.route("/rounds/<uuid:round_id>/peers", methods=["PUT"])
@blp.arguments(PeersIn)
@blp.response(200, RoundOut)
def choose_peers(body, round_id: uuid.UUID):
    """The branch secretary names the peers (党员互评) of an open round, before any has rated."""
    identity = current_identity()
    with _svc().uow_factory() as uow:
        rounds.choose_peers(uow, identity, round_id, body["peer_ids"])
        return rounds.get_round(uow, identity, round_id)


@blp.route("/rounds/<uuid:round_id>/ratings", methods=["POST"])
@blp.arguments(RatingSubmit)
@blp.response(201, RoundOut)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def rate_in_round(command, round_id: uuid.UUID):
    """Rate for one party: the self-assessment reports on each target, a leader's comment gives its mode."""
    identity = current_identity()

    def action(uow):
        return RoundOut().dump(round_results.submit_rating(uow, identity, round_id, command)), 201

    with _svc().uow_factory() as uow:
        caller = round_results.rating_caller(uow, identity, round_id)
    return run_idempotently(_svc().uow_factory, caller, action)


@blp.route("/rounds/<uuid:round_id>/paper-sheets", methods=["POST"])
@blp.arguments(PaperSheetIn)
@blp.response(201, RoundOut)
@blp.alt_response(200, schema=RoundOut, description="The same sheet number entered before: kept once")
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def enter_paper_sheet(command, round_id: uuid.UUID):
    """代录: the round's branch secretary (or the general branch, 组织部) enters a paper 评议表 for a rater without a
    login, recorded as entered from paper by them. A peer's or the masses' sheet names no one (anonymous as
    online); a self-assessment or leader's comment names its rater (rater_id). A sheet number once per round:
    the same sheet again answers 200, other answers under it 409."""
    identity = current_identity()

    def action(uow):
        view, new = paper_sheets.enter_paper_sheet(uow, identity, round_id, command)
        return RoundOut().dump(view), 201 if new else 200

    return run_idempotently(_svc().uow_factory, identity.subject, action)
