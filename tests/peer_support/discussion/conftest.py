import pytest

from .builders import space_make


@pytest.fixture
def space(home_page):
    """An open group with one facilitator, where posts are moderated after posting."""
    return space_make(home_page)
