"""The stable error codes of the paper count: events, protocols, results, scans, publication
(spec/formats.md §15)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PaperCode"]


class PaperCode(StrEnum):
    """Codes raised by saylau.services.paper."""

    DUPLICATE_EVENT = "duplicate_event"  # an event of that code already exists in the database
    NOT_A_DEMO_DATABASE = "not_a_demo_database"  # demo: the database holds events (or accounts) not the demo's
    TERRITORY_EXISTS = "territory_exists"  # the event already has a territory
    EMPTY = "empty"  # a turnout file without rows
    PHASE = "phase"  # protocols or turnout not accepted in the event's current phase
    CORRECTION_NEEDS_REASON = "correction_needs_reason"  # a correction (other figures, same precinct) without a reason
    INCOMPLETE = "incomplete"  # results cannot advance: precincts without an accepted protocol
    CHANNEL_PENDING = "channel_pending"  # results cannot advance: a linked e2e channel has no result yet
    EMBARGO = "embargo"  # live results asked for publicly before the last polls close; details: event, until
    NO_SCAN = "no_scan"  # no scan of that precinct (version); details: event, precinct, version
    NO_ENTRY = "no_entry"  # the operator has keyed no entry for that precinct
    NO_ACCEPTED_PROTOCOL = "no_accepted_protocol"  # a scan attached to a precinct without an accepted protocol
    NOTHING_TO_PUBLISH = "nothing_to_publish"  # an event before counting: no results to publish; details: event, phase
    RELEASE_NOT_REPRODUCIBLE = "release_not_reproducible"  # the last release cannot be rebuilt to its recorded hash
    RELEASE_RACE = "release_race"  # another release was published meanwhile: publish again
    TARGET_NOT_A_FOLDER = "target_not_a_folder"  # the release target is not a folder
    TARGET_NOT_EMPTY = "target_not_empty"  # the release target holds more than an earlier release
    # reasons of a refusal (``forbidden``, details.reason) by the commission's pages
    OUTSIDE_UNITS = "outside_units"  # a precinct or unit outside the member's units
    ALREADY_KEYED = "already_keyed"  # the member already keyed this round's entry of the precinct
    NOT_A_MEMBER_FOR_THIS_PRECINCT = "not_a_member_for_this_precinct"  # the member may not key this precinct's protocol
    CENTRAL_ONLY = "central_only"  # only the central commission may change the phase
    NOT_A_MEMBER = "not_a_member"  # an account that is no commission member uploads a batch of protocols
    ACCOUNTS_LOG_IS_FOR_OBSERVERS_ADMINS_CENTRAL = "accounts_log_is_for_observers_admins_central"  # other roles asked
