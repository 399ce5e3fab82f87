from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed


class AuditConfig(AppConfig):
    name = "ungcuu.audit"
    label = "audit"

    def ready(self):
        # Sign-ins happen inside django.contrib.auth (web, admin and API token alike): its signals are the
        # framework's one hook for them, so this is the only place the audit trail listens to signals.
        from ungcuu.audit import receivers  # models load only once the registry is ready

        user_logged_in.connect(receivers.signed_in, dispatch_uid="audit-signed-in")
        user_login_failed.connect(receivers.sign_in_failed, dispatch_uid="audit-sign-in-failed")
