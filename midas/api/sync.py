"""Sync: /api/v1/sync — where posts push their bundles and pull headquarters' (headquarters only).

A post signs every request with its enrolled key (`midas.auth.nodes`); no person or station
credentials open these. Bundles and acknowledgements travel as the same bytes as on a USB stick
(media type application/x-midas-bundle and application/x-midas-ack).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.auth.nodes import node_signed, signed_body, signed_node
from midas.domain.errors import NotFound
from midas.domain.nodes import Node
from midas.domain.sync_link import serve_ack, serve_pull, serve_push
from midas.domain.texts import N_
from midas.persistence.database import database

blp = Blueprint("sync", __name__, url_prefix="/sync", description="Posts and headquarters.")

BUNDLE_TYPE = "application/x-midas-bundle"
ACK_TYPE = "application/x-midas-ack"


class PullArgs(Schema):
    """Which bundle a post asks for: the first after the last it took."""

    after = fields.Integer(load_default=0, validate=validate.Range(min=0))


class AcknowledgedSchema(Schema):
    """How many of headquarters' bundles an acknowledgement marked as delivered."""

    acknowledged = fields.Integer()


def _headquarters() -> Node:
    node = Node.of(current_app.config, Path(current_app.instance_path))
    if node.role != "hq":
        raise NotFound(N_("this server is not headquarters"), field="role")
    return node


@blp.route("/bundles", methods=["POST"])
@node_signed
@blp.response(200, content_type=ACK_TYPE)
def push_bundle() -> Response:
    """Take one of the post's bundles; answer with headquarters' acknowledgement."""
    node = _headquarters()
    ack = serve_push(database().sessions, node, signed_node(), signed_body())
    return Response(ack, mimetype=ACK_TYPE)


@blp.route("/bundles", methods=["GET"])
@node_signed
@blp.arguments(PullArgs, location="query")
@blp.response(200, content_type=BUNDLE_TYPE)
@blp.alt_response(204, description="nothing waits for this post")
def pull_bundle(args: dict[str, Any]) -> Response:
    """Return headquarters' first unacknowledged bundle for the post after `after`."""
    node = _headquarters()
    data = serve_pull(database().sessions, node, signed_node(), args["after"])
    if data is None:
        return Response(status=204)
    return Response(data, mimetype=BUNDLE_TYPE)


@blp.route("/acks", methods=["POST"])
@node_signed
@blp.response(200, AcknowledgedSchema)
def take_acknowledgement() -> dict[str, int]:
    """Take the post's acknowledgement of headquarters' bundles."""
    node = _headquarters()
    marked = serve_ack(database().sessions, node, signed_node(), signed_body())
    return {"acknowledged": marked}
