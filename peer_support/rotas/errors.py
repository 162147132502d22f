"""The rota's refusals: a `ServiceError` carrying the problems that decided it."""

from peer_support.errors import ServiceError

from .rules import REFUSE, Problem


class RotaError(ServiceError):
    """A change the rota refuses, with the problems that decided it. `message` joins
    their messages for the person; `problems` keeps them apart for views and forms."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("refused", REFUSE, problems)]
        self.problems = list(problems)
        super().__init__(" ".join(p.message for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]


class NeedsConfirmation(RotaError):
    """Only warnings: the coordinator may confirm and go ahead."""
