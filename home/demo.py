from .models import HomePage, SiteSettings, StandardPage

HOME_INTRO = (
    "<p>A place to find peer-support groups and courses, and to talk with people who "
    "have lived experience of mental distress. You join under a pseudonym: other "
    "members never see your name or email. Go at your own pace; reading without "
    "posting is fine.</p>"
)

CRISIS_LINES = [
    {
        "name": "Samaritans",
        "phone": "116 123",
        "text_number": "",
        "hours": "Any time, day or night",
        "description": "Someone to talk to, free from any phone",
    },
    {
        "name": "Shout",
        "phone": "",
        "text_number": "85258 (text SHOUT)",
        "hours": "Any time, day or night",
        "description": "Text support if you'd rather not talk",
    },
    {
        "name": "NHS 111",
        "phone": "111",
        "text_number": "",
        "hours": "Any time; choose the mental health option",
        "description": "Urgent mental health help from the NHS",
    },
]

INFO_PAGES = [
    (
        "About peer support",
        "about",
        "Peer workers are trained staff who have their own experience of mental "
        "distress. They facilitate groups, read posts, and make sure no one is left "
        "unanswered.",
    ),
    (
        "Privacy and anonymity",
        "privacy",
        "Other members see only your pseudonym. Your email address is private. Staff "
        "may use it if they are worried about your safety or someone else's.",
    ),
]


def _heading(text: str) -> tuple:
    return ("heading", {"text": text, "level": "h2"})


def _paragraph(html: str) -> tuple:
    return ("paragraph", html)


# Pages every member is pointed to when they join; editors change them under Pages.
POLICY_PAGES = {
    "terms": {
        "title": "Terms of use",
        "intro": "What we ask of everyone who uses this service, and what you can "
        "expect from us.",
        "body": [
            _heading("Who the service is for"),
            _paragraph(
                "<p>Adults (18 and over) living with mental distress, people who "
                "support them, and mental-health professionals on our courses. It is "
                "not an emergency service: if you are in danger, call 999 or go to "
                "A&amp;E.</p>"
            ),
            _heading("Your account"),
            _paragraph(
                "<ul><li>Choose a pseudonym that does not identify you.</li>"
                "<li>Keep your password to yourself; one account per person.</li>"
                "<li>You can change your pseudonym or delete your account at any "
                "time from <em>Your account</em>.</li></ul>"
            ),
            _heading("Taking part"),
            _paragraph(
                "<ul><li>Follow each group's and course's ground rules.</li>"
                "<li>Be kind; disagree with ideas, never with people.</li>"
                "<li>What members share stays in the space: do not copy it "
                "elsewhere.</li>"
                "<li>No advertising, no medical advice presented as fact.</li></ul>"
            ),
            _heading("What peer workers may do"),
            _paragraph(
                "<p>Peer workers facilitate and moderate. They may hide a post, "
                "suspend or remove a member from a space when the ground rules are "
                "broken, and they always tell you why, privately.</p>"
            ),
            _heading("Changes to these terms"),
            _paragraph(
                "<p>If the terms change in a way that matters, we tell members "
                "before the change applies.</p>"
            ),
        ],
    },
    "privacy": {
        "title": "Privacy notice",
        "intro": "Other members see only your pseudonym. Your email address is "
        "private. Staff may use it if they are worried about your safety or "
        "someone else's.",
        "body": [
            _heading("What other members see"),
            _paragraph(
                "<ul><li>Your pseudonym and what you choose to post.</li>"
                "<li>A <em>Professional</em> badge, if you joined a space as a "
                "professional.</li>"
                "<li>Never your email address, your name or where you are.</li>"
                "<li>Who else is in a group or course is visible only to its "
                "facilitators.</li></ul>"
            ),
            _heading("What staff see"),
            _paragraph(
                "<ul><li>Facilitators of a space see its members' pseudonyms, roles "
                "and join dates, and the answers given when asking to join.</li>"
                "<li>Staff who run the service can see your email address, to sign "
                "you in, reset your password and send the messages you asked "
                "for.</li>"
                "<li>Every decision about a member (approving, suspending, removing) "
                "is recorded with who made it, when and why.</li></ul>"
            ),
            _heading("What safeguarding may do"),
            _paragraph(
                "<p>If something you write suggests that you or someone else is at "
                "serious risk, a safeguarding lead reads it. They may contact you "
                "by email, and in an emergency they may share what they need to with "
                "emergency services or your care team. We tell you when we have done "
                "so, unless that would put someone at risk.</p>"
            ),
            _heading("How long we keep things"),
            _paragraph(
                "<ul><li>Your account and posts: until you delete your account. "
                "Posts then stay under a removed-member label, without your "
                "pseudonym.</li>"
                "<li>Records of decisions and safeguarding concerns: six years, as "
                "the law requires for care records.</li>"
                "<li>Server logs: 30 days, with email and IP addresses removed.</li>"
                "</ul>"
            ),
            _heading("Your rights"),
            _paragraph(
                "<p>You can download or delete your data from <em>Your account</em>, "
                "or ask us through the contact page.</p>"
            ),
        ],
    },
    "contact": {
        "title": "Contact us",
        "intro": "We read messages on weekdays, 9am to 5pm. We are not an emergency "
        "service: for help right now, see the crisis lines on every page.",
        "body": [
            _heading("Write to us"),
            _paragraph(
                '<p>Email <a href="mailto:hello@peer-support.example.org">'
                "hello@peer-support.example.org</a>. We answer within two working "
                "days.</p>"
            ),
            _heading("A worry about a post or a member"),
            _paragraph(
                "<p>Use <em>Report</em> beside the post, or tell a facilitator of "
                "the group. A peer worker will look at it the same day.</p>"
            ),
            _heading("Complaints"),
            _paragraph(
                "<p>If we have not got something right, tell us: email us with "
                "<em>Complaint</em> in the subject, and a manager who was not "
                "involved will reply within ten working days.</p>"
            ),
        ],
    },
}

HOME_STEPS = [
    {
        "title": "Find a group or course",
        "text": "Look by topic, day or town. Reading about a group costs nothing and "
        "nobody sees that you looked.",
    },
    {
        "title": "Join under a pseudonym",
        "text": "Choose a name that isn't yours. Your email stays private; agree to "
        "the ground rules and you're in.",
    },
    {
        "title": "Go at your own pace",
        "text": "Read, post or just listen. Trained peer workers with their own "
        "experience look after every space.",
    },
]


def home_page_ensure() -> HomePage:
    """The migrations create the home page; the demo gives it words."""
    home = HomePage.objects.get()
    if not home.intro:
        home.intro = HOME_INTRO
        home.save_revision().publish()
    return home


def policy_pages_ensure(home: HomePage) -> dict[str, StandardPage]:
    """Terms, privacy and contact pages with real words; an older one-line page with
    the same slug is filled in rather than duplicated."""
    pages = {}
    for slug, content in POLICY_PAGES.items():
        page = StandardPage.objects.filter(slug=slug).first()
        if page is None:
            page = home.add_child(
                instance=StandardPage(
                    title=content["title"],
                    slug=slug,
                    intro=content["intro"],
                    body=content["body"],
                )
            )
            page.save_revision().publish()
        elif not page.body:
            page.title = content["title"]
            page.intro = content["intro"]
            page.body = content["body"]
            page.save_revision().publish()
        pages[slug] = page
    return pages


def load() -> list[str]:
    home = home_page_ensure()
    for title, slug, intro in INFO_PAGES:
        if slug in POLICY_PAGES:
            continue
        if not StandardPage.objects.filter(slug=slug).exists():
            home.add_child(
                instance=StandardPage(
                    title=title, slug=slug, intro=intro, show_in_menus=True
                )
            )
    pages = policy_pages_ensure(home)
    settings = SiteSettings.load()
    if not settings.crisis_lines:
        settings.crisis_lines = [("line", line) for line in CRISIS_LINES]
        settings.support_hours_note = "Peer workers read posts every day, 9am to 9pm."
    settings.terms_page = settings.terms_page or pages["terms"]
    settings.privacy_page = settings.privacy_page or pages["privacy"]
    settings.contact_page = settings.contact_page or pages["contact"]
    settings.save()
    return []


def home_sections_load() -> list[str]:
    """The home page's sections, once the finder and the course list exist."""
    from peer_support.courses.models import CourseIndexPage
    from peer_support.groups.models import GroupIndexPage

    home = HomePage.objects.get()
    if any(block.block_type == "routes" for block in home.body):
        return []
    finder = GroupIndexPage.objects.child_of(home).first()
    courses = CourseIndexPage.objects.child_of(home).first()
    routes = []
    if finder is not None:
        routes.append(
            {
                "title": "Find a group",
                "page": finder,
                "text": "Online and in person, by topic, day and town",
                "icon": "group",
            }
        )
    if courses is not None:
        routes.append(
            {
                "title": "Courses",
                "page": courses,
                "text": "A week of learning together, with live sessions",
                "icon": "course",
            }
        )
    sections = []
    if routes:
        sections.append(("routes", {"heading": "", "routes": routes}))
    sections += [
        ("upcoming_groups", {"heading": "Groups meeting soon", "count": 3}),
        ("upcoming_courses", {"heading": "Courses coming up", "count": 3}),
        ("steps", {"heading": "How it works", "steps": HOME_STEPS}),
        (
            "peer_workers",
            {
                "heading": "When peer workers are around",
                "text": "Peer workers read posts every day, 9am to 9pm.",
            },
        ),
    ]
    home.body = sections + [(block.block_type, block.value) for block in home.body]
    home.save_revision().publish()
    return []
