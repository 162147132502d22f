from .models import User
from .roles import (
    EDITOR,
    PEER_WORKER,
    PROFESSIONAL,
    ROTA_COORDINATOR,
    SAFEGUARDING_LEAD,
    role_groups_sync,
)

DEMO_PASSWORD = "demo-pass-2026"

# (email, pseudonym, roles, is_staff, description)
DEMO_MEMBERS = [
    ("member@demo.invalid", "Quiet Heron", [], False, "service user"),
    (
        "professional@demo.invalid",
        "Blue Kestrel",
        [PROFESSIONAL],
        False,
        "professional",
    ),
    ("peer@demo.invalid", "Maple Owl", [PEER_WORKER], True, "peer worker"),
    (
        "safeguarding@demo.invalid",
        "Steady Oak",
        [SAFEGUARDING_LEAD, PEER_WORKER],
        True,
        "safeguarding lead",
    ),
    ("editor@demo.invalid", "Paper Finch", [EDITOR], True, "editor"),
    (
        "coordinator@demo.invalid",
        "Calm River",
        [ROTA_COORDINATOR, PEER_WORKER],
        True,
        "rota coordinator",
    ),
]

# More peer workers, so rotas and facilitators have people to work with.
EXTRA_PEER_WORKERS = ["Willow Wren", "Amber Fox", "Cedar Lark", "Harbour Seal"]


def demo_member_ensure(email, pseudonym, roles, is_staff, groups):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "pseudonym": pseudonym,
            "is_staff": is_staff,
            "terms_version": "demo",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(*(groups[role] for role in roles))
    return user


def load() -> list[str]:
    groups = role_groups_sync()
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for email, pseudonym, roles, is_staff, description in DEMO_MEMBERS:
        demo_member_ensure(email, pseudonym, roles, is_staff, groups)
        lines.append(f"  {description:<18} {email:<28} shown as {pseudonym}")
    for index, pseudonym in enumerate(EXTRA_PEER_WORKERS, start=1):
        demo_member_ensure(
            f"peer{index}@demo.invalid", pseudonym, [PEER_WORKER], True, groups
        )
    admin, created = User.objects.get_or_create(
        email="admin@demo.invalid",
        defaults={
            "pseudonym": "Site Admin",
            "is_staff": True,
            "is_superuser": True,
            "terms_version": "demo",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    lines.append(f"  {'administrator':<18} {'admin@demo.invalid':<28} (superuser)")
    lines.append("Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/")
    return lines
