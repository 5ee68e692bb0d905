"""Historical tables lose ``history_relation``'s and ``history_edit``'s indexes, which no read uses
(issue 25): why each goes is in events' migration 0015 and in core.history. Reversible.
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
