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


def home_page_ensure() -> HomePage:
    """The migrations create the home page; the demo gives it words."""
    home = HomePage.objects.get()
    if not home.intro:
        home.intro = HOME_INTRO
        home.save_revision().publish()
    return home


def load() -> list[str]:
    home = home_page_ensure()
    for title, slug, intro in INFO_PAGES:
        if not StandardPage.objects.filter(slug=slug).exists():
            home.add_child(
                instance=StandardPage(
                    title=title, slug=slug, intro=intro, show_in_menus=True
                )
            )
    settings = SiteSettings.load()
    if not settings.crisis_lines:
        settings.crisis_lines = [("line", line) for line in CRISIS_LINES]
        settings.support_hours_note = "Peer workers read posts every day, 9am to 9pm."
        settings.save()
    return []
