from peer_support.errors import TRANSPORT_ERRORS, NotAllowed, ServiceError


def test_a_refusal_carries_its_message_for_the_person():
    error = NotAllowed("Only facilitators of this space manage its members.")
    assert isinstance(error, ServiceError)
    assert error.message == "Only facilitators of this space manage its members."


def test_a_refusal_is_never_a_transport_error_that_tasks_retry():
    assert not isinstance(NotAllowed("no"), TRANSPORT_ERRORS)
    assert not isinstance(PermissionError("no"), TRANSPORT_ERRORS)
    assert isinstance(ConnectionRefusedError(), TRANSPORT_ERRORS)
