"""Historical tables lose ``history_relation``'s and ``history_edit``'s indexes, which no read uses
(issue 25): why each goes is in events' migration 0015 and in core.history. Reversible.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0005_history_valid_until'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalcountry',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalcountry',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='places.country'),
        ),
        migrations.AlterField(
            model_name='historicalregion',
            name='history_edit',
            field=models.UUIDField(blank=True, editable=False, help_text='Id of the write (admin save, mutation, import run) that made this row.', null=True, verbose_name='edit'),
        ),
        migrations.AlterField(
            model_name='historicalregion',
            name='history_relation',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='revisions', to='places.region'),
        ),
    ]
