from django.conf import settings


def platform(request):
    """Names of the province and bodies for every template (configurable, DOMAIN.md §k)."""
    return {"PROVINCE_NAME": settings.PROVINCE_NAME, "BODY_NAMES": settings.BODY_NAMES}
