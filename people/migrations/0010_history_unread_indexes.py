"""Historical tables lose the indexes no read uses (issue 25): each was a btree insert per row written.

- ``history_relation`` always equals the row's ``id``, and every read of a record's rows goes by
  ``id`` (core.history.IndexedHistoricalRecords).
- ``history_edit``: every read that compares it finds its rows by another index first (a
  record's id; a merge's undo, people.identity, by the merged person or their roles) or only
  excludes an edit among them (core.history.EditTagged).
- events: a historical event's ``id`` is served by ``hevent_id_date_idx``; a historical
  citation's ``source`` is read by nothing (as-of reads show the source as it is now).

Reversible: going back adds the indexes again.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0009_history_valid_until'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalidentifier',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalidentifier',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='people.identifier'),
        ),
        migrations.AlterField(
            model_name='historicalorganization',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalorganization',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='people.organization'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalperson',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='people.person'),
        ),
        migrations.AlterField(
            model_name='historicalpersoncandidate',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalpersoncandidate',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='people.personcandidate'),
        ),
        migrations.AlterField(
            model_name='historicalpersonmerge',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalpersonmerge',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='people.personmerge'),
        ),
        migrations.AlterField(
            model_name='historicalrole',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalrole',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='people.role'),
        ),
    ]
