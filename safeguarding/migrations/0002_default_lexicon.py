from django.db import migrations


def load_default_lexicon(apps, schema_editor):
    from safeguarding.lexicon_data import EXCEPTIONS, RISK_PHRASES

    LexiconEntry = apps.get_model("safeguarding", "LexiconEntry")
    known = {p.lower() for p in LexiconEntry.objects.values_list("phrase", flat=True)}
    rows = [
        LexiconEntry(phrase=phrase, severity=severity, category=category)
        for phrase, severity, category in RISK_PHRASES
        if phrase.lower() not in known
    ] + [
        LexiconEntry(phrase=phrase, severity=0, category="", is_exception=True)
        for phrase in EXCEPTIONS
        if phrase.lower() not in known
    ]
    LexiconEntry.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]

    operations = [
        migrations.RunPython(load_default_lexicon, migrations.RunPython.noop),
    ]
