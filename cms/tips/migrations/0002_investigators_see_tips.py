"""Countries provisioned before tips existed: let their investigators read tips."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("tips")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Country = apps.get_model("countries", "Country")
    view_tip = Permission.objects.get(content_type__app_label="tips", codename="view_tip")
    for country in Country.objects.select_related("investigators_group"):
        country.investigators_group.permissions.add(view_tip)


class Migration(migrations.Migration):
    dependencies = [
        ("tips", "0001_initial"),
        ("countries", "0002_public_format"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
