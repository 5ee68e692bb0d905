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
        ('events', '0014_visit_event_dates'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalcitation',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalcitation',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.citation'),
        ),
        migrations.AlterField(
            model_name='historicalcitation',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.source'),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.event'),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='id',
            field=models.BigIntegerField(auto_created=True, blank=True, verbose_name='ID'),
        ),
        migrations.AlterField(
            model_name='historicaleventcountry',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicaleventcountry',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.eventcountry'),
        ),
        migrations.AlterField(
            model_name='historicaleventregion',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicaleventregion',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.eventregion'),
        ),
        migrations.AlterField(
            model_name='historicalparticipation',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalparticipation',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.participation'),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.source'),
        ),
        migrations.AlterField(
            model_name='historicaltreaty',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicaltreaty',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.treaty'),
        ),
        migrations.AlterField(
            model_name='historicaltreatyparty',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicaltreatyparty',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.treatyparty'),
        ),
        migrations.AlterField(
            model_name='historicaltreatyprovision',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicaltreatyprovision',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.treatyprovision'),
        ),
        migrations.AlterField(
            model_name='historicalvisit',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalvisit',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.visit'),
        ),
        migrations.AlterField(
            model_name='historicalvisitdestination',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalvisitdestination',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='events.visitdestination'),
        ),
    ]
