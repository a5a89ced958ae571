"""python manage.py load_demo — the fictional demo network, loaded once."""

from django.core.management.base import BaseCommand

from cms.demo import fixtures
from cms.demo.loader import is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the fictional demo network (countries, cases, users) unless it is already there."

    def handle(self, *args, **options):
        if is_loaded():
            self.stdout.write("Demo data is already loaded; keeping it.")
        else:
            load_demo(report=self.stdout.write)
            self.stdout.write(self.style.SUCCESS("Demo data loaded (all of it fictional)."))
        self.stdout.write(f"Demo logins (password for all: {fixtures.DEMO_PASSWORD}):")
        for user in fixtures.DEMO_USERS:
            where = user.country_code or "whole network"
            self.stdout.write(f"  {user.username:<20} {user.role:<14} {where}")
