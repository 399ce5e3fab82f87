"""Register a province on the national instance (or change its address or secret), or list them.

    manage.py federation_peer add HN --name "Hà Nam" --url https://ungcuu.hanam.gov.vn [--secret S]
    manage.py federation_peer list

Without --secret a new one is generated and printed once: give it to the province, which sets it as
UNGCUU_FEDERATION_SECRET. --secret-env NAME reads it from an environment variable instead (no secret on a
command line that `ps` shows).
"""

from __future__ import annotations

import os
import secrets

from django.core.management.base import BaseCommand, CommandError

from ungcuu.federation import peers
from ungcuu.federation.models import Peer


class Command(BaseCommand):
    help = "Register or list the provinces of a national instance."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        add.add_argument("code")
        add.add_argument("--name", required=True)
        add.add_argument("--url", required=True)
        add.add_argument("--secret", default="")
        add.add_argument("--secret-env", default="")
        sub.add_parser("list")

    def handle(self, *args, **options) -> None:
        if not peers.is_national():
            raise CommandError(
                "Provinces are registered on the national instance (UNGCUU_INSTANCE=national)."
            )
        if options["action"] == "list":
            for peer in Peer.objects.all():
                self.stdout.write(
                    f"{peer.code}\t{peer.name}\t{peer.base_url}\t{'active' if peer.is_active else 'off'}"
                )
            return
        secret = options["secret"] or (
            os.environ.get(options["secret_env"], "") if options["secret_env"] else ""
        )
        generated = not secret
        secret = secret or secrets.token_urlsafe(32)
        if len(secret) < 24:
            raise CommandError("The secret must be at least 24 characters long.")
        peer, created = Peer.objects.update_or_create(
            code=options["code"],
            defaults={
                "name": options["name"],
                "base_url": options["url"],
                "secret": secret,
                "is_active": True,
            },
        )
        self.stdout.write(f"{'registered' if created else 'updated'} {peer.code}")
        if generated:
            self.stdout.write(f"secret (give it to the province as UNGCUU_FEDERATION_SECRET): {secret}")
