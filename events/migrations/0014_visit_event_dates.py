"""A visit's copy of its event's dates (events.visit_dates): filled here, then kept by triggers."""

from django.db import migrations, models

from events.visit_dates import FILL, drop_triggers, install_triggers


def fill_and_keep(apps, schema_editor):
    schema_editor.execute(FILL)
    install_triggers(schema_editor.connection)


def stop_keeping(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0013_history_valid_until'),
        ('people', '0009_history_valid_until'),
        ('places', '0005_history_valid_until'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='visit',
            options={'ordering': ['event_date_earliest', 'event_date_latest', 'slug']},
        ),
        migrations.RemoveIndex(
            model_name='visit',
            name='visit_visitor_idx',
        ),
        migrations.AddField(
            model_name='visit',
            name='event_date_earliest',
            field=models.DateField(editable=False, help_text='Copied from its event.', null=True, verbose_name="event's earliest day"),
        ),
        migrations.AddField(
            model_name='visit',
            name='event_date_latest',
            field=models.DateField(editable=False, help_text='Copied from its event.', null=True, verbose_name="event's latest day"),
        ),
        migrations.RunPython(fill_and_keep, stop_keeping, elidable=False),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['visitor', 'event_date_earliest', 'event_date_latest', 'slug', 'id'], name='visit_visitor_date_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['host_country', 'event_date_earliest', 'event_date_latest', 'slug', 'id'], name='visit_host_date_idx'),
        ),
    ]
