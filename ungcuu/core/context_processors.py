from ungcuu.core.bodies import body_names, province_name


def platform(request):
    """Names of the province and bodies for every template (configurable, DOMAIN.md §k)."""
    return {"PROVINCE_NAME": province_name(), "BODY_NAMES": body_names()}
