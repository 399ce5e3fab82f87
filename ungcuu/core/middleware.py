"""Request-wide rules: Vietnamese first whatever the browser asks, and no caching of signed-in pages."""

from django.utils.cache import add_never_cache_headers


class VietnameseFirstMiddleware:
    """Drop the browser's Accept-Language so LocaleMiddleware falls back to the user's chosen language
    (the language cookie set by the switch) or to LANGUAGE_CODE (Vietnamese)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """What a signed-in person sees is never kept by the browser or a proxy cache (`Cache-Control:
    no-store`): on a shared office computer, Back after sign-out must not show an incident again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: DRF authenticates API tokens inside the view and sets request.user then.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
