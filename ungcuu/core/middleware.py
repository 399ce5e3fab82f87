"""Vietnamese is the default UI language whatever the browser asks for; English is chosen explicitly."""


class VietnameseFirstMiddleware:
    """Drop the browser's Accept-Language so LocaleMiddleware falls back to the user's chosen language
    (the language cookie set by the switch) or to LANGUAGE_CODE (Vietnamese)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
