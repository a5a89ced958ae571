"""Countries provisioned before face matching existed: let their investigators review leads."""

from django.db import migrations

from cms.countries.grants import grant_to_investigators


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("countries", "0002_public_format"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(
            grant_to_investigators("matching", ["view_lead", "change_lead"]),
            migrations.RunPython.noop,
        )
    ]
