import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ['"', 'anxiety "york', '"""', "'", "a AND", "OR", "(", ")", "-", "\\", "a:b", "*"],
)
def test_search_answers_any_query_without_a_server_error(client, home_page, query):
    response = client.get("/search/", {"query": query})

    assert response.status_code == 200
    assert "Search" in response.content.decode()
