"""What our push listener (gateway.receiver) does with a gateway channel's pushes: delivery reports go to the
dispatcher, which records them before the listener answers (so a report is acknowledged only once it is
safe: the sender pushes again otherwise); replies are stored at once, as pulled ones are.

    vendor API   POST .../reports   signed callback {account, reports: [...]}      → 204 once recorded
    Kannel       GET  .../reports?cid=..&type=%d..  (our dlr-url)                   → 200 "ok"
                 GET  .../replies?from=%p&text=%a..  (an sms-service's get-url)     → 200 "ok"
    Jasmin       POST .../reports   id, message_status, ...  (our dlr-url)          → 200 "ACK/Jasmin"
                 POST .../replies   from, to, content, ...   (an HTTP MO connector) → 200 "ACK/Jasmin"
"""

from __future__ import annotations

import logging

from smsjingling.gateway.jasmin import ACK as JASMIN_ACK
from smsjingling.gateway.jasmin import JasminAdapter
from smsjingling.gateway.receiver import PushAnswer, PushHandler, PushRequest
from smsjingling.gateway.vendor import VendorGateway
from smsjingling.gateway.vendor_callback import CallbackRejected
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.gateway_worker import GatewayWorker

log = logging.getLogger(__name__)

RECORD_TIMEOUT = 10.0  # seconds a pusher waits for its reports to be recorded before it is told to try again


def push_handler(worker: GatewayWorker, dispatcher: Dispatcher) -> PushHandler:
    """The handler of one gateway channel's pushes."""
    adapter = worker.adapter
    channel_id = worker.channel_id

    def recorded(reports: list) -> bool:
        return not reports or dispatcher.record_reports(channel_id, reports, RECORD_TIMEOUT)

    if isinstance(adapter, VendorGateway):

        def vendor(kind: str, request: PushRequest) -> PushAnswer:
            if kind != "reports":
                return PushAnswer(404, "not found")
            try:
                reports = adapter.read_callback(request.method, request.target, request.headers, request.body)
            except CallbackRejected as exc:
                log.info("gateway %s: a callback was refused: %s", worker.name, exc.code)
                return PushAnswer(exc.http, exc.code)
            return PushAnswer(204) if recorded(reports) else PushAnswer(503, "not recorded yet; push again")

        return vendor

    read_dlr = getattr(adapter, "read_dlr", None)
    read_mo = getattr(adapter, "read_mo", None)
    ack = JASMIN_ACK if isinstance(adapter, JasminAdapter) else "ok"

    def third_party(kind: str, request: PushRequest) -> PushAnswer:
        reader = read_dlr if kind == "reports" else read_mo
        if reader is None:
            return PushAnswer(404, "not found")
        try:
            item = reader(request.params)
        except (ValueError, KeyError) as exc:
            log.info("gateway %s: a push that is not a %s: %s", worker.name, kind[:-1], exc)
            return PushAnswer(400, "not understood")
        if kind == "replies":
            worker.deliver_replies([item])
        elif item is not None and not recorded([item]):
            return PushAnswer(503, "not recorded yet; push again")
        return PushAnswer(200, ack)

    return third_party
