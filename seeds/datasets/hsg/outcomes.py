"""hsg-pocom: whether an appointment was served, read from where the record sits and its note.

pocom files list the terms served under ``<chiefs>`` / ``<principals>`` and the
nominations that were not under ``<other-nominees>`` / ``<other-appointees>``
(declined, withdrawn, never confirmed, never reached the post, died first).
The note says why, in a small set of set phrases ("Declined appointment.",
"Not commissioned; nomination withdrawn before the Senate acted upon it.",
"Took oath of office, but did not proceed to post."); the first phrase that
matches, in the order below, names the outcome. Issue 21.
"""

from __future__ import annotations

import re

from people.models import RoleOutcome

# "Designated, not commissioned, on …" (representatives to UNESCO, OECD…) is a way of being
# appointed, without a presidential commission, not a reason a term was not served.
# Order matters: "Took oath of office, but died … before proceeding to post" is a death, not a
# failure to proceed; "Not commissioned; nomination withdrawn" is a withdrawal.
PHRASES: tuple[tuple[RoleOutcome, re.Pattern[str]], ...] = (
    (RoleOutcome.DIED, re.compile(r"\bdied\b|\bdeath\b|assassinated", re.I)),
    (RoleOutcome.DECLINED, re.compile(r"\bdeclined\b", re.I)),
    (RoleOutcome.WITHDRAWN, re.compile(r"\bwithdrawn\b|\bwithdrew\b", re.I)),
    (
        RoleOutcome.NOT_CONFIRMED,
        re.compile(
            r"rejected|not confirmed|not acted (?:up)?on|tabled|returned (?:to the President|by the "
            r"Senate|without confirmation|after)|reconsidered|not submitted|superseded",
            re.I,
        ),
    ),
    (
        RoleOutcome.NOT_AT_POST,
        re.compile(
            r"did not (?:proceed|present|serve|take)|(?<!designated, )not commissioned|cancel+ed|revoked|"
            r"terminated|"
            r"before \w+ proceeded to post|not (?:formally |officially )?received|not to have served|"
            r"no record has been found|returned to the United States",
            re.I,
        ),
    ),
)
# The lists of terms not served, beside <chiefs> and <principals>.
NOT_SERVED_LISTS = frozenset({"other-nominees", "other-appointees"})
LISTED_BUT_SERVED = (
    "The source lists this record among other nominees; it gives a start (credentials presented), "
    "so the term is counted as served."
)


def reason(note: str) -> RoleOutcome | None:
    """Return the outcome the note's set phrase names, or None when it names none."""
    return next((outcome for outcome, pattern in PHRASES if pattern.search(note)), None)


def outcome(*, listed_in: str, note: str, started: str, ended: str) -> tuple[RoleOutcome, str]:
    """Return the record's outcome and what to add to its note (empty when nothing).

    A record in a not-served list is a nomination not served, for the reason its
    note gives (NOT_SERVED when none); one that nonetheless records credentials
    presented and gives no reason is counted as served, and the note says so. A
    record among the served terms with no date at all whose note says it was not
    served (four principals: "declined appointment", "nomination withdrawn") is
    not served either.
    """
    found = reason(note)
    if listed_in in NOT_SERVED_LISTS:
        if started and found is None:
            return RoleOutcome.SERVED, LISTED_BUT_SERVED
        return found or RoleOutcome.NOT_SERVED, ""
    if not started and not ended and found is not None:
        return found, ""
    return RoleOutcome.SERVED, ""
