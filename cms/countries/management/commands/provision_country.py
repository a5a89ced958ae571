"""python manage.py provision_country --code MX --name "México" --languages es,en"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from cms.countries.addresses import public_url
from cms.countries.provisioning import CountrySpec, provision_country


class Command(BaseCommand):
    help = (
        "Create a member country in one step: its site, locales, page tree in every language, "
        "image collection, and editors and investigators groups limited to that country."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="ISO 3166-1 alpha-2 code, e.g. MX")
        parser.add_argument("--name", required=True, help='Name in its own language, e.g. "México"')
        parser.add_argument(
            "--languages", required=True, help="Comma-separated codes, default first, e.g. es,en"
        )
        parser.add_argument("--timezone", default="UTC", help="e.g. America/Mexico_City")

    def handle(self, *args, **options):
        try:
            spec = CountrySpec.parse(
                options["code"], options["name"], options["languages"], options["timezone"]
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"--{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
            raise CommandError(problems) from exc
        country = provision_country(spec)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {country} with languages {', '.join(spec.languages)} at "
                f"{public_url(country.site.root_page)} — groups: {country.editors_group.name}, "
                f"{country.investigators_group.name}"
            )
        )
        if not country.hotline_number:
            settings_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
                "countries:edit", args=[country.pk]
            )
            self.stdout.write(
                self.style.WARNING(
                    f"One step left: the site is not published until its national hotline is "
                    f"set. In the admin, open Country settings, choose {country}, fill in "
                    f"National hotline and save: {settings_url}"
                )
            )
