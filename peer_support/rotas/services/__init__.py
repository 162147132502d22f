"""Rota rules that write. Views, admin, tasks and tests call these; none hold a rule
itself. Every change to a shift writes a `ShiftEvent` (who, when, what, why).

One module per concern: `assignments` (shifts, claims, assignments), `swaps` (swap,
cover, drop), `availability`, `patterns`, `staffing` (session gaps), `reminders`
(locking, calendar links, reminders, gap notices). The read-only rules they check live
in `peer_support.rotas.rules`, shared with the selectors.
"""

from ..errors import NeedsConfirmation, RotaError
from ..rules import (
    REFUSE,
    WARN,
    Problem,
    availability_covers,
    rota_rules,
    shift_is_locked,
    worker_is_eligible,
    worker_shift_problems,
)
from .assignments import (
    AssignResult,
    shift_assign,
    shift_cancel,
    shift_claim,
    shift_create,
    shift_unassign,
    shift_update,
)
from .availability import (
    availability_exception_add,
    availability_exception_remove,
    availability_set,
    availability_window_add,
    availability_window_remove,
)
from .common import event_record
from .patterns import pattern_generate
from .reminders import (
    assignment_remind,
    calendar_token_renew,
    calendar_token_revoke,
    due_reminders,
    gaps_notify,
    shifts_lock_past,
)
from .staffing import session_gap_offer, session_gaps_offer
from .swaps import (
    swap_accept,
    swap_approve,
    swap_decline,
    swap_offer,
    swap_withdraw,
)

__all__ = [
    "REFUSE",
    "WARN",
    "AssignResult",
    "NeedsConfirmation",
    "Problem",
    "RotaError",
    "assignment_remind",
    "availability_covers",
    "availability_exception_add",
    "availability_exception_remove",
    "availability_set",
    "availability_window_add",
    "availability_window_remove",
    "calendar_token_renew",
    "calendar_token_revoke",
    "due_reminders",
    "event_record",
    "gaps_notify",
    "pattern_generate",
    "rota_rules",
    "session_gap_offer",
    "session_gaps_offer",
    "shift_assign",
    "shift_cancel",
    "shift_claim",
    "shift_create",
    "shift_is_locked",
    "shift_unassign",
    "shift_update",
    "shifts_lock_past",
    "swap_accept",
    "swap_approve",
    "swap_decline",
    "swap_offer",
    "swap_withdraw",
    "worker_is_eligible",
    "worker_shift_problems",
]
