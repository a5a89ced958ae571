"""For data migrations: give every existing country's investigators (or editors) a new app's
permissions.

Countries provisioned later get them from `provisioning.INVESTIGATOR_MODEL_PERMISSIONS` (and
`EDITOR_MODEL_PERMISSIONS`); this brings the countries that already exist to the same place.
"""

from django.contrib.auth.management import create_permissions


def grant_to_investigators(app_label: str, codenames: list[str]):
    return grant_to(app_label, codenames, "investigators_group")


def grant_to_editors(app_label: str, codenames: list[str]):
    return grant_to(app_label, codenames, "editors_group")


def grant_to(app_label: str, codenames: list[str], group: str):
    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Permission = apps.get_model("auth", "Permission")
        Country = apps.get_model("countries", "Country")
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        for country in Country.objects.select_related(group):
            getattr(country, group).permissions.add(*permissions)

    return grant
