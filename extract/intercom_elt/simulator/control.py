"""The control plane under ``/_sim/`` (no auth, no rate limit).

* ``GET  /_sim/health``        → ``{"ok": true, ...}`` workspace summary
* ``GET  /_sim/requests``      → the request log; ``DELETE`` clears it
* ``POST /_sim/reset``         → clear log, scroll, rate-limit window, faults, and restore
                                 the workspace as the server started with it (pristine
                                 snapshot); ``{"workspace": false}`` keeps the current data
* ``GET|POST /_sim/faults``    → read / replace the fault configuration
* ``POST /_sim/rate_limit``    → ``{"per_minute": N}``
* ``POST /_sim/scroll_expiry`` → ``{"seconds": S}``
* ``POST /_sim/advance``       → ``{"seconds": S, "fraction": F, "seed": N}`` time travel
* ``GET  /_sim/ground_truth``  → the workspace ground truth
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .errors import error_body
from .records import dumps

if TYPE_CHECKING:
    from .server import SimulatorServer


class ControlPlane:
    """Serves ``/_sim/*`` for one simulator.

    Args:
        sim: the simulator being controlled.
    """

    def __init__(self, sim: SimulatorServer) -> None:
        self.sim = sim

    def handle(self, method: str, path: str, query: dict[str, str], raw: bytes) -> tuple[int, bytes]:
        """Serve one control request; returns (status, JSON body)."""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return 400, error_body("parameter_invalid", "body is not valid JSON")
        if not isinstance(body, dict):
            return 400, error_body("parameter_invalid", "body must be a JSON object")
        try:
            result = self._route(method, path.rstrip("/"), body)
        except (ValueError, TypeError, KeyError) as exc:
            return 400, error_body("parameter_invalid", str(exc))
        if result is None:
            return 404, error_body("not_found", f"no control endpoint {method} {path}")
        return 200, dumps(result)

    def _route(self, method: str, path: str, body: dict[str, Any]) -> Any:
        sim = self.sim
        ws = sim.workspace.snapshot()
        if (method, path) == ("GET", "/_sim/health"):
            return {"ok": True, "seed": ws.seed, "scale": ws.scale, "now": ws.now, "version": ws.version,
                    "replayed": ws.replayed,
                    "counts": {"contacts": len(ws.contacts), "companies": len(ws.companies),
                               "conversations": len(ws.conversations), "tickets": len(ws.tickets)}}
        if (method, path) == ("GET", "/_sim/requests"):
            return {"requests": sim.requests()}
        if (method, path) == ("DELETE", "/_sim/requests"):
            sim.request_log.clear()
            return {"ok": True}
        if (method, path) == ("POST", "/_sim/reset"):
            restore = body.get("workspace", True)
            if not isinstance(restore, bool):
                raise ValueError("workspace must be true or false")
            sim.reset(workspace=restore)
            return {"ok": True, "version": sim.workspace.version, "now": sim.workspace.now}
        if (method, path) == ("GET", "/_sim/faults"):
            return sim.faults.to_dict()
        if (method, path) == ("POST", "/_sim/faults"):
            return sim.set_faults(body).to_dict()
        if (method, path) == ("POST", "/_sim/rate_limit"):
            sim.set_rate_limit(body.get("per_minute"))
            return {"ok": True, "per_minute": sim.rate_limiter.per_minute, "per_window": sim.rate_limiter.limit}
        if (method, path) == ("POST", "/_sim/scroll_expiry"):
            sim.set_scroll_expiry(float(body["seconds"]))
            return {"ok": True}
        if (method, path) == ("POST", "/_sim/advance"):
            return sim.advance(int(body["seconds"]), fraction=float(body.get("fraction", 0.01)),
                               seed=body.get("seed"))
        if (method, path) == ("GET", "/_sim/ground_truth"):
            return ws.ground_truth
        return None
