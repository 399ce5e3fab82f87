import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
application = get_wsgi_application()

# Documents' PDF engine (WeasyPrint) and the charts' library (matplotlib) take seconds to import: load them
# once, in the background, at start-up, so the first PDF or chart does not pay for them.
from ungcuu.core.nd30.pdf import warm  # noqa: E402
from ungcuu.reports.render import charts  # noqa: E402

warm()
charts.warm()
