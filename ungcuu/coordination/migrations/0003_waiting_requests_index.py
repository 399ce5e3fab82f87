"""The requests waiting for an answer, by deadline: the dashboard's first eight read this index instead of
sorting every waiting request (issue 18, fifth session; docs/performance.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coordination', '0002_answer_attachments'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='coordinationrequest',
            index=models.Index(condition=models.Q(('status__in', ['acknowledged', 'sent'])), fields=['deadline'], name='request_waiting'),
        ),
    ]
