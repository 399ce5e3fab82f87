import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
application = get_asgi_application()

# Documents' PDF engine (WeasyPrint) takes seconds to import: load it once, in the background, at start-up,
# so the first PDF download does not pay for it (ungcuu.core.nd30.pdf).
from ungcuu.core.nd30.pdf import warm  # noqa: E402

warm()
