"""Ops: see what a service's dead-letter queue holds and why, and send it back after a fix.

    pacesetter-dlq list notification
    pacesetter-dlq requeue notification [--event-id ID ...]

Settings (broker URL, exchange) come from the environment like the service's own, else from an env file of KEY=value
lines: ``--env-file FILE``, by default ``var/local/local.env`` (``$PACESETTER_VAR_DIR/local.env`` when that is set)
where there is one (``make run-local`` writes every part's settings there). Without a broker URL the command refuses: a service's default (a SQLite broker in ./var) would
be made where it runs and would hold nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from amqp.exceptions import NotFound

from ..config import SERVICE_PREFIXES, load_settings
from .consumer import REASON_HEADER, RETRY_HEADER
from .publisher import broker_connection, topology_for
from .topology import SUBSCRIPTIONS


def _describe(message) -> dict:
    headers = message.headers or {}
    try:
        body = json.loads(message.body)
        event = {"id": body.get("id"), "type": body.get("type")} if isinstance(body, dict) else {}
    except (ValueError, TypeError):
        event = {}
    return {"event_id": event.get("id"), "event_type": event.get("type"),
            "routing_key": headers.get("x-pacesetter-routing-key"), "reason": headers.get(REASON_HEADER),
            "dead_at": headers.get("x-pacesetter-dead-at")}


def _take_all(channel, queue: str) -> list:
    messages = []
    while True:
        message = channel.basic_get(queue, no_ack=False)
        if message is None:
            return messages
        messages.append(message)


def list_dead(settings, service: str) -> list[dict]:
    """What waits in the service's dead-letter queue; every message stays there."""
    queue = topology_for(settings).dead_letter_name(service)
    with broker_connection(settings) as conn:
        channel = conn.channel()
        messages = _take_all(channel, queue)
        found = [_describe(m) for m in messages]
        for message in messages:
            channel.basic_reject(message.delivery_tag, requeue=True)
        return found


def requeue_dead(settings, service: str, event_ids: set[str] | None = None) -> int:
    """Send dead letters (all, or those of ``event_ids``) back to the service's queue with fresh retries."""
    topology = topology_for(settings)
    dead, live = topology.dead_letter_name(service), topology.queue_name(service)
    moved = 0
    with broker_connection(settings) as conn:
        channel = conn.channel()
        for message in _take_all(channel, dead):
            if event_ids is not None and _describe(message)["event_id"] not in event_ids:
                channel.basic_reject(message.delivery_tag, requeue=True)
                continue
            headers = {k: v for k, v in (message.headers or {}).items()
                       if k not in (RETRY_HEADER, REASON_HEADER, "x-death")}
            channel.basic_publish(channel.prepare_message(
                message.body, priority=0, content_type=message.content_type,
                content_encoding=message.content_encoding, headers=headers,
                properties={"delivery_mode": 2}), exchange="", routing_key=live)
            channel.basic_ack(message.delivery_tag)
            moved += 1
    return moved


LOCAL_ENV_FILE = Path("var/local/local.env")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines, values quoted as for sh (a PEM key spans lines inside its quotes); # starts a comment."""
    return dict(word.partition("=")[::2] for word in shlex.split(path.read_text(), comments=True) if "=" in word)


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pacesetter-dlq", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["list", "requeue"])
    parser.add_argument("service", choices=sorted(SUBSCRIPTIONS))
    parser.add_argument("--event-id", action="append", dest="event_ids")
    parser.add_argument("--env-file", type=Path, help=f"settings to take where the environment has none "
                                                      f"(default: {LOCAL_ENV_FILE}, or local.env in "
                                                      f"$PACESETTER_VAR_DIR, when there is one)")
    args = parser.parse_args(argv)
    environ = dict(os.environ if environ is None else environ)
    # the local suite's file: in its var dir when one is named (as for make run-local and pacesetter-local ctl)
    local = Path(environ["PACESETTER_VAR_DIR"]) / LOCAL_ENV_FILE.name if environ.get("PACESETTER_VAR_DIR") \
        else LOCAL_ENV_FILE
    env_file = args.env_file or (local if local.is_file() else None)
    try:
        from_file = read_env_file(env_file) if env_file else {}
    except OSError as exc:
        parser.exit(2, f"pacesetter-dlq: cannot read {env_file}: {exc.strerror}\n")
    environ = from_file | environ
    named = f"{SERVICE_PREFIXES[args.service]}_BROKER_URL"
    if not (environ.get(named) or environ.get("BROKER_URL")):
        parser.exit(2, f"pacesetter-dlq: no broker given: set BROKER_URL (or {named}) and EVENTS_EXCHANGE as the "
                       f"{args.service} service has them, or name the suite's env file (--env-file); an ops command "
                       f"does not guess.\n")
    with tempfile.TemporaryDirectory() as scratch:  # the service's keys and SQLite files are none of its business
        settings = load_settings(args.service, environ={"PACESETTER_VAR_DIR": scratch, **environ})
    queue = topology_for(settings).dead_letter_name(args.service)
    try:
        if args.action == "list":
            found = list_dead(settings, args.service)
            for item in found:
                print(json.dumps(item, ensure_ascii=False))
            # on stderr: stdout stays one JSON object a line for scripts
            print(f"{len(found)} dead letter{'' if len(found) == 1 else 's'} in {queue}", file=sys.stderr)
        else:
            moved = requeue_dead(settings, args.service, set(args.event_ids) if args.event_ids else None)
            print(f"{moved} message(s) sent back to {topology_for(settings).queue_name(args.service)}")
    except NotFound:
        parser.exit(1, f"pacesetter-dlq: the broker has no queue {queue}: the {args.service} worker has not started "
                       f"against it, or EVENTS_EXCHANGE is not the service's.\n")
    sys.stdout.flush()
