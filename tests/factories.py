import factory
import wagtail_factories
from django.contrib.auth.models import Group

from home.models import HomePage
from peer_support.accounts.models import User
from peer_support.accounts.roles import (
    EDITOR,
    PEER_WORKER,
    PROFESSIONAL,
    ROTA_COORDINATOR,
    SAFEGUARDING_LEAD,
)

PASSWORD = "a-long-test-password-1"


def roles_hook(default_roles: list[str]):
    """Put the member in these role groups; `roles=[...]` at call time overrides."""

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        user.save()
        for role in default_roles if extracted is None else extracted:
            user.groups.add(Group.objects.get_or_create(name=role)[0])

    return roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    pseudonym = factory.Sequence(lambda n: f"Member {n:04d}")
    terms_version = "test"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    roles = roles_hook([])


class ProfessionalFactory(UserFactory):
    roles = roles_hook([PROFESSIONAL])


class PeerWorkerFactory(UserFactory):
    is_staff = True
    roles = roles_hook([PEER_WORKER])


class SafeguardingLeadFactory(UserFactory):
    is_staff = True
    roles = roles_hook([SAFEGUARDING_LEAD, PEER_WORKER])


class RotaCoordinatorFactory(UserFactory):
    is_staff = True
    roles = roles_hook([ROTA_COORDINATOR, PEER_WORKER])


class EditorFactory(UserFactory):
    is_staff = True
    roles = roles_hook([EDITOR])


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Welcome"
