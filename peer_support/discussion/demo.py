"""Demo discussion for `make run`: conversations with replies in the demo groups and
the seed-000 course, a post held for a peer worker and a flagged post, so every screen
has something in it. Written through `post_submit` like any post; safe to run again."""

from datetime import timedelta

from django.utils import timezone

from peer_support.accounts.models import User
from peer_support.courses.models import CoursePage
from peer_support.groups.models import GroupPage
from peer_support.spaces.models import Membership, MembershipStatus
from peer_support.spaces.selectors import current_rules_revision_id

from . import services
from .models import Post, PostStatus, Thread

POSTERS = [
    ("discussion1@demo.invalid", "Amber Finch"),
    ("discussion2@demo.invalid", "Silver Birch"),
    ("discussion3@demo.invalid", "Gentle Tide"),
    ("discussion4@demo.invalid", "North Star"),
]

GROUP_THREADS = [
    (
        "What helps on a bad evening?",
        "Evenings are the hardest for me. What do you do when the voices get loud "
        "after dark?",
        [
            "Headphones and a podcast I know by heart. Familiar voices drown out "
            "the other ones.",
            "I write down what they say, then what I'd say back. It takes the sting "
            "out a bit.",
            "Walking, even just round the block. Thank you for asking this.",
        ],
    ),
    (
        "Small wins this week",
        "Share one thing that went all right this week, however small.",
        [
            "I answered the door to the postman.",
            "Made a proper dinner for the first time in a fortnight.",
        ],
    ),
]

COURSE_REPLIES = [
    "I used Moodgym after a GP suggested it. The first modules helped; I stopped "
    "when it felt like homework.",
    "As a practitioner I've recommended it, but rarely followed up. Reading this "
    "makes me think I should.",
    "Forums helped me most when someone with lived experience was moderating.",
]


def _poster(email, pseudonym) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password="demo-pass-2026",
            pseudonym=pseudonym,
            terms_version="demo",
        )
    return user


def _member_of(space, user, *, joined_days=60) -> None:
    membership, _created = Membership.objects.get_or_create(
        space=space,
        member=user,
        defaults={
            "status": MembershipStatus.ACTIVE,
            "joined_at": timezone.now() - timedelta(days=joined_days),
        },
    )
    if membership.status == MembershipStatus.ACTIVE and current_rules_revision_id(
        space=space
    ) not in (None, membership.rules_revision_id):
        from peer_support.spaces.services import membership_rules_accept

        membership_rules_accept(membership_id=membership.pk, member=user)


def _published(post: Post, moderator) -> Post:
    """Demo posts start life like any other (held while the author is new, or when
    nobody is on duty); the facilitator reads and approves them."""
    if post.status == PostStatus.HELD:
        services.post_moderate(
            post_id=post.pk,
            moderator=moderator,
            decision="approve",
            notify_author=False,
        )
    return post


def _facilitator(space) -> User | None:
    found = space.facilitators.select_related("worker").first()
    return found.worker if found else None


def _group(space, posters) -> list[str]:
    moderator = _facilitator(space)
    if moderator is None:
        return []
    for user in posters:
        _member_of(space, user)
    for title, opening, replies in GROUP_THREADS:
        if Thread.objects.filter(space=space, title=title).exists():
            continue
        first = _published(
            services.post_submit(
                author=posters[0], space_id=space.pk, title=title, text=opening
            ),
            moderator,
        )
        previous = None
        for n, text in enumerate(replies):
            author = posters[(n + 1) % len(posters)]
            parent = previous.pk if previous and n == 1 else None
            previous = _published(
                services.post_submit(
                    author=author,
                    thread_id=first.thread_ref_id,
                    parent_id=parent,
                    text=text,
                ),
                moderator,
            )
    return [f"  {space.title}: {len(GROUP_THREADS)} conversations"]


def load() -> list[str]:
    posters = [_poster(email, name) for email, name in POSTERS]
    groups = list(GroupPage.objects.live().order_by("path")[:2])
    lines = ["", "Discussion demo (posters use demo-pass-2026):"]
    for group in groups:
        lines += _group(group, posters)
    if groups:
        first = groups[0]
        thread = Thread.objects.filter(space=first, title=GROUP_THREADS[0][0]).first()
        if thread and not Post.objects.filter(thread_ref=thread, is_public=False):
            held = services.post_submit(
                author=posters[2],
                thread_id=thread.pk,
                text="If anyone wants to talk outside here my number is 07700 900123.",
            )
            lines.append(
                f"  {first.title}: a post held for a peer worker "
                f"({held.get_hold_reason_display()})"
            )
        flagged = (
            Post.objects.filter(thread_ref__space=first, status=PostStatus.PUBLISHED)
            .exclude(user=posters[3])
            .order_by("-pk")
            .first()
        )
        if flagged and not flagged.post_flags.exists():
            services.post_flag(
                post_id=flagged.pk,
                reporter=posters[3],
                reason="ground_rule",
                note="This sounds like advice about medication.",
            )
            lines.append(f"  {first.title}: a flagged post in the review queue")
    course = CoursePage.objects.filter(
        slug="internet-in-mental-health-practice"
    ).first()
    if course is not None:
        services.course_threads_sync(course=course)
        moderator = _facilitator(course)
        for user in posters:
            _member_of(course, user)
        threads = list(
            Thread.objects.filter(space=course, topic__isnull=False).order_by(
                "topic__sort_order", "pk"
            )[:2]
        )
        for thread in threads:
            if moderator is None or Post.objects.filter(thread_ref=thread).exists():
                continue
            for n, text in enumerate(COURSE_REPLIES):
                _published(
                    services.post_submit(
                        author=posters[n % len(posters)], thread_id=thread.pk, text=text
                    ),
                    moderator,
                )
        lines.append(f"  {course.title}: one thread per topic, replies in week 1")
    lines += _muted_word()
    lines += _mention(posters)
    return lines


def _mention(posters) -> list[str]:
    """The demo service user hears of replies and mentions in one conversation, and
    a poster mentions them there: the highlighted @name, and the emailed link."""
    from peer_support.spaces.permissions import READ_DISCUSSION, user_may

    from .notifications import thread_follow_set

    member = User.objects.filter(email="member@demo.invalid").first()
    thread = (
        Thread.objects.filter(title=GROUP_THREADS[1][0])
        .select_related("space")
        .order_by("pk")
        .first()
    )
    if member is None or thread is None:
        return []
    if not user_may(member, READ_DISCUSSION, thread.space):
        return []
    name = member.pseudonym
    said = Post.objects.filter(thread_ref=thread).values_list("mentions", flat=True)
    if not any(name.lower() in mentions for mentions in said):
        thread_follow_set(thread_id=thread.pk, member=member, level="mentions")
        _published(
            services.post_submit(
                author=posters[1],
                thread_id=thread.pk,
                text=f"@{name} welcome! What's one small win for you this week?",
            ),
            _facilitator(thread.space),
        )
    return [
        f"  {thread.space.title}: {name} (member@demo.invalid) is mentioned in "
        f'"{thread.title}" and chose emails for replies and mentions there'
    ]


DEMO_MUTED_WORD = "podcast"


def _muted_word() -> list[str]:
    """The demo service user mutes a word, so the folded-away post is there to see."""
    from .member_controls import muted_word_add
    from .models import MutedWord

    member = User.objects.filter(email="member@demo.invalid").first()
    if member is None:
        return []
    if not MutedWord.objects.filter(member=member, word=DEMO_MUTED_WORD).exists():
        muted_word_add(member=member, word=DEMO_MUTED_WORD)
    return [f"  member@demo.invalid mutes the word {DEMO_MUTED_WORD!r}"]
