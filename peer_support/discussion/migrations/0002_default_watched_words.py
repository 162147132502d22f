from django.db import migrations

CONTACT = (
    "To keep everyone anonymous, posts with contact details (a phone number, an "
    "email address, a social media name) wait for a peer worker before they appear."
)
SPAM = "Posts that look like advertising wait for a peer worker before they appear."

DEFAULTS = [
    # (text, match, action, explanation)
    (r"[\w.+-]+@[\w-]+\.[\w.-]+", "pattern", "hold", CONTACT),
    (r"(?<!\d)(?:\+?\d[\s().-]?){10,14}(?!\d)", "pattern", "hold", CONTACT),
    (r"(?<![\w@])@[A-Za-z0-9_.]{3,30}", "pattern", "hold", CONTACT),
    ("whatsapp", "word", "hold", CONTACT),
    ("snapchat", "word", "hold", CONTACT),
    ("telegram", "word", "hold", CONTACT),
    ("instagram", "word", "hold", CONTACT),
    ("discord", "word", "hold", CONTACT),
    ("dm me", "word", "hold", CONTACT),
    ("casino*", "word", "hold", SPAM),
    ("viagra", "word", "hold", SPAM),
    ("crypto*", "word", "hold", SPAM),
    ("bitcoin*", "word", "hold", SPAM),
    ("forex", "word", "hold", SPAM),
]


def add_defaults(apps, schema_editor):
    WatchedWord = apps.get_model("discussion", "WatchedWord")
    for text, match, action, explanation in DEFAULTS:
        WatchedWord.objects.get_or_create(
            text=text,
            match=match,
            defaults={"action": action, "explanation": explanation},
        )


class Migration(migrations.Migration):
    dependencies = [("discussion", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
