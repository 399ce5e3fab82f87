"""Partial indexes for the live view at 1 M incidents (issue 18, fifth session; docs/performance.md).

The open incidents (4 % of the table) and the open serious ones, for the dashboard and the list's "open"
filter; the clocks still running and the late operator reports, for the overdue and reported-late tiles.
Plain CREATE INDEX in the migration's transaction: each holds a few percent of its table, built by one
scan of it (about 15 s for all four at 1 M incidents and 4 M clocks; writes to the two tables wait). A deployment
that cannot pause intake for that long builds them first with CREATE INDEX CONCURRENTLY under the same
names and conditions, then runs this migration with --fake.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0014_confidential_partial_index'),
        ('organizations', '0003_staff_lines'),
        ('systems', '0003_outside_qd05'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(condition=models.Q(('met_at__isnull', True)), fields=['due_at', 'incident'], name='deadline_running'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(condition=models.Q(('code', 'OPERATOR_REPORT'), models.Q(('met_at__gt', models.F('due_at')), ('met_at__isnull', True), _connector='OR')), fields=['incident'], name='deadline_operator_report_late'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(condition=models.Q(('status__in', ['closed', 'merged', 'rejected']), _negated=True), fields=['reported_at', 'id', 'status', 'severity', 'confidential', 'system'], name='incident_open'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(condition=models.Q(('severity', 'SERIOUS'), models.Q(('status__in', ['closed', 'merged', 'rejected']), _negated=True)), fields=['reported_at', 'id'], name='incident_open_serious'),
        ),
    ]
