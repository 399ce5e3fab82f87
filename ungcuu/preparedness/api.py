"""API routes of this app: (prefix, viewset, basename) tuples that ungcuu/api/urls.py registers."""

ROUTES: list = []
