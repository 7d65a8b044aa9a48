"""The simulated vendor gateway (`smsjingling gateway-sim`): a real HTTP peer for the vendor API of
docs/gateway-api.md, with prepaid accounts, prices, limits, latency, faults, reports and replies, and books a
test can read. What a fresh install sends through until an office has a gateway account."""

from smsjingling.gateway.sim.faults import Fault
from smsjingling.gateway.sim.server import GatewaySim
from smsjingling.gateway.sim.state import Books, Rejection, Reply, Report, SentRecord

__all__ = ["Books", "Fault", "GatewaySim", "Rejection", "Reply", "Report", "SentRecord"]
