"""Use cases wiring the pure core to the store, the clock and the acting person."""

from saylau.services.context import Clock, Context, utc_now
from saylau.services.demo import DEMO_DATASET, DemoRun, Progress, demo_file, run_demo
from saylau.services.events import (
    EventRules,
    PhaseChange,
    advance,
    create_event,
    event_rules,
    import_territory,
    list_events,
    load_event,
)
from saylau.services.factor import LOCAL_CLI, Factor, LocalCli, MemberTotp
from saylau.services.protocols import EntryOutcome, EntryReport, enter_file, enter_protocol, enter_protocols
from saylau.services.results import ExportFormat, PrecinctState, build_view, export, precinct_states, results

__all__ = [
    "DEMO_DATASET",
    "LOCAL_CLI",
    "Clock",
    "Context",
    "DemoRun",
    "EntryOutcome",
    "EntryReport",
    "EventRules",
    "ExportFormat",
    "Factor",
    "LocalCli",
    "MemberTotp",
    "PhaseChange",
    "PrecinctState",
    "Progress",
    "advance",
    "build_view",
    "create_event",
    "demo_file",
    "enter_file",
    "enter_protocol",
    "enter_protocols",
    "event_rules",
    "export",
    "import_territory",
    "list_events",
    "load_event",
    "precinct_states",
    "results",
    "run_demo",
    "utc_now",
]
