"""What every page needs to know of federation: whether this is the national instance (its menus)."""

from ungcuu.federation import peers


def instance(request):
    # The national instance keeps only what the provinces send up: its menus show that, and not the
    # province's own registers, whose tables stay empty there.
    return {"NATIONAL_INSTANCE": peers.is_national()}
