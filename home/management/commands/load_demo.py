"""Load the demo content `make run` shows. Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app's loader, in dependency order. A loader is idempotent and returns lines to
# print for the person running the site.
DEMO_LOADERS = [
    "home.demo.load",
    "peer_support.accounts.demo.load",
    "peer_support.groups.demo.load",
    "peer_support.courses.demo.load",
    "peer_support.rotas.demo.load",
    "peer_support.spaces.demo.load",
    "peer_support.discussion.demo.load",
    "peer_support.chat.demo.load",
    "home.demo.home_sections_load",
    "safeguarding.demo.load",
]


class Command(BaseCommand):
    help = "Create or refresh the demo site content and demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            for dotted in DEMO_LOADERS:
                for line in import_string(dotted)() or []:
                    self.stdout.write(line)
