"""Countries provisioned before alerts existed: let their editors see and manage subscribers."""

from django.db import migrations

from cms.countries.grants import grant_to_editors

CODENAMES = ["view_subscriber", "add_subscriber", "change_subscriber", "delete_subscriber"]


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0002_organisations"),
        ("countries", "0002_public_format"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(grant_to_editors("distribution", CODENAMES), migrations.RunPython.noop)
    ]
