"""The work gunicorn's arbiter does once before forking (`peer_site.warmup`)."""

from django.template import engines

from peer_site.warmup import project_templates, warm_up


def test_warm_up_compiles_every_project_template_without_touching_the_database():
    # No django_db mark: any query here would fail the test, and a connection made
    # before the fork would be shared by every worker.
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    warm_up()

    names = project_templates()
    assert "base.html" in names and "rotas/admin/coverage.html" in names
    assert set(names) <= set(loader.get_template_cache)
