"""Signal handlers: the compiled lexicon is rebuilt whenever an entry changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import LexiconEntry
from .screening import lexicon_changed


@receiver(post_save, sender=LexiconEntry, dispatch_uid="safeguarding_lexicon_saved")
@receiver(post_delete, sender=LexiconEntry, dispatch_uid="safeguarding_lexicon_gone")
def lexicon_entry_changed(**kwargs):
    lexicon_changed()
