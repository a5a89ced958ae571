"""Names the admin shows inside sentences of the reader's language: the tree's root is called by
the network's name, not "Root", and each country's review workflow and task by the country's
name alone, not "México review" / "México editors review" (see provisioning)."""

from django.conf import settings
from django.db import migrations


def rename(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Country = apps.get_model("countries", "Country")
    name = settings.WAGTAIL_SITE_NAME
    Page.objects.filter(depth=1, title="Root").update(title=name, draft_title=name)
    for country in Country.objects.all():
        Workflow.objects.filter(name=f"{country.name} review").update(name=country.name)
        Task.objects.filter(name=f"{country.name} editors review").update(name=country.name)


class Migration(migrations.Migration):
    dependencies = [
        ("countries", "0004_posters"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
