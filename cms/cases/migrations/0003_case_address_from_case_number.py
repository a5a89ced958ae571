"""Every case's address becomes its case number: an editor could set it to the child's name.

Pages whose address is already taken by a sibling keep theirs and are listed, for an
administrator to resolve; the next save of such a case reports the clash on its case number.
"""

from django.db import migrations
from django.utils.text import slugify

STEPLEN = 4  # Wagtail's page tree (treebeard materialised path)


def address_from_case_number(apps, schema_editor):
    CasePage = apps.get_model("cases", "CasePage")
    Page = apps.get_model("wagtailcore", "Page")
    clashes = []
    for case in CasePage.objects.exclude(case_number=""):
        slug = slugify(case.case_number)
        if case.slug == slug:
            continue
        parent_path = case.path[:-STEPLEN]
        siblings = Page.objects.filter(path__startswith=parent_path, depth=case.depth)
        if siblings.filter(slug=slug).exclude(pk=case.pk).exists():
            clashes.append(case.case_number)
            continue
        parent = Page.objects.get(path=parent_path)
        Page.objects.filter(pk=case.pk).update(slug=slug, url_path=f"{parent.url_path}{slug}/")
    if clashes:
        print(f"\n  Cases sharing a case number keep their address: {', '.join(clashes)}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_public_format"),
    ]

    operations = [migrations.RunPython(address_from_case_number, migrations.RunPython.noop)]
