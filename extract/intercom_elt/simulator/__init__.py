"""A local Intercom REST API 2.11 simulator with a seeded workspace generator.

Example:
    >>> from intercom_elt.simulator import SimulatorServer, generate_workspace
    >>> with SimulatorServer(generate_workspace(seed=1)) as sim:  # doctest: +SKIP
    ...     sim.url
    'http://127.0.0.1:54321/'
"""

from __future__ import annotations

from .faults import Faults
from .generator import DEFAULT_NOW, SCALES, generate_workspace
from .metrics import OfficeHours
from .server import DEMO_TOKEN, SimulatorServer
from .workspace import STREAMS, Workspace

__all__ = [
    # workspace generation
    "DEFAULT_NOW",
    "SCALES",
    "STREAMS",
    "OfficeHours",
    "Workspace",
    "generate_workspace",
    # serving
    "DEMO_TOKEN",
    "Faults",
    "SimulatorServer",
]
