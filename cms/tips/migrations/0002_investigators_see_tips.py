"""Countries provisioned before tips existed: let their investigators read tips."""

from django.db import migrations

from cms.countries.grants import grant_to_investigators


class Migration(migrations.Migration):
    dependencies = [
        ("tips", "0001_initial"),
        ("countries", "0002_public_format"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(grant_to_investigators("tips", ["view_tip"]), migrations.RunPython.noop)
    ]
