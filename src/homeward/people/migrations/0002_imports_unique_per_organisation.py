# Imports are scoped to their organisation: (source, record_id) and (source, household_ref)
# are unique per organisation, so that a second body importing a shared register gets its own
# records instead of having its rows skipped as "already imported". A household of one is known
# by "record:" and its record id, which needs more than 64 characters.

import django.db.models.deletion
from django.db import migrations, models


def fill_person_organisation(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Household = apps.get_model("people", "Household")
    Person.objects.filter(organisation__isnull=True).update(
        organisation_id=models.Subquery(
            Household.objects.filter(pk=models.OuterRef("household_id")).values("organisation_id")[
                :1
            ]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_signed_in_session"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="access.organisation",
            ),
        ),
        migrations.RunPython(fill_person_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="access.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="source_ref",
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.RemoveConstraint(
            model_name="household",
            name="household_source_ref_unique",
        ),
        migrations.RemoveConstraint(
            model_name="person",
            name="person_source_record_unique",
        ),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_ref", ""), _negated=True),
                fields=("organisation", "source", "source_ref"),
                name="household_source_ref_unique_per_organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("organisation", "source", "record_id"),
                name="person_source_record_unique_per_organisation",
            ),
        ),
    ]
