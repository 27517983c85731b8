"""Where each service's factories live: the one table both launchers read."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from pacesetter_shared.config import DEFAULT_PORTS, SERVICE_PREFIXES


@dataclass(frozen=True)
class ServiceEntry:
    name: str  # settings name
    package: str
    # Processes that keep state in memory from one turn to the next and so run as one, never scaled: "figures" is
    # the process ``<name>-figures``, built by the worker module's ``build_figures_keeper``.
    keepers: tuple[str, ...] = field(default=())

    def module(self, name: str):
        return importlib.import_module(f"{self.package}.{name}")

    def migrate(self, settings) -> None:
        self.module("app").migrate(settings)

    def create_app(self, settings):
        return self.module("app").create_app(settings)

    def build_worker(self, settings):
        return self.module("worker").build_worker(settings)

    def build_keeper(self, keeper: str, settings):
        return getattr(self.module("worker"), f"build_{keeper}_keeper")(settings)


SERVICES = [
    ServiceEntry("gateway", "gateway"),
    ServiceEntry("pledge", "pledge_service"),
    ServiceEntry("evaluation", "evaluation_service", keepers=("figures",)),
    ServiceEntry("grading", "grading_service"),
    ServiceEntry("notification", "notification_service"),
]


def configured_ports(environ) -> dict[str, int]:
    """Each service's port on this host: ``GATEWAY_PORT``, ``PLEDGE_PORT``… or the usual 8000–8004."""
    return {name: int(environ.get(f"{SERVICE_PREFIXES[name]}_PORT", port)) for name, port in DEFAULT_PORTS.items()}
