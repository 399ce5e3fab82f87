"""What the admin may do with rows that change only through the audited services: look, nothing else."""


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin (model admins and inlines alike); the view page stays."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
