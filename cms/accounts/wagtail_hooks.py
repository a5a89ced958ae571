"""Locked sign-ins in the admin: network admins see who is locked out and unlock them.

django-axes keeps one row of failed sign-ins per account, address and browser; at
AXES_FAILURE_LIMIT failures that pair is refused until AXES_COOLOFF_TIME has passed. Staff
accounts are the network's (a country's editors do not manage users), so only network admins
see this screen: it names accounts of every country and the addresses they signed in from.
"""

from __future__ import annotations

from axes.utils import reset
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import DeleteView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from cms.accounts.models import LockedSignIn


class NetworkAdminsOnly(ModelPermissionPolicy):
    """Network admins may list and unlock; nobody adds or edits a failure by hand."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action in ("view", "delete")


def _unlock_url(attempt) -> str:
    return reverse("locked_sign_ins:delete", args=[attempt.pk])


class AccountColumn(ButtonsColumnMixin, TitleColumn):
    """The account's name, leading to its unlock page, with an Unlock button."""

    def get_buttons(self, instance, parent_context):
        return [ListingButton(_("Unlock"), url=_unlock_url(instance), icon_name="lock-open")]


class LockedSignInIndexView(IndexView):
    def get_base_queryset(self):
        # Failures older than the cool-off no longer count: only live locks are listed.
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        return (
            super()
            .get_base_queryset()
            .filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
        )


class UnlockView(DeleteView):
    page_title = gettext_lazy("Unlock sign-in")
    template_name = "accounts/unlock.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["labels"] = {"unlock": _("Unlock"), "cancel": _("Cancel")}
        return context

    def get_usage_url(self):
        return None  # nothing refers to a failed sign-in

    @property
    def confirmation_message(self):
        return _("Let %(username)s sign in again from %(address)s?") % {
            "username": self.object.username,
            "address": self.object.ip_address,
        }

    def get_success_message(self):
        return _("%(username)s can sign in again.") % {"username": self.object.username}

    def delete_action(self):
        # Every browser's row for this account and address, as axes's own reset does.
        reset(ip=self.object.ip_address, username=self.object.username)


class LockedSignInViewSet(ModelViewSet):
    model = LockedSignIn
    icon = "lock"
    menu_label = gettext_lazy("Locked sign-ins")
    add_to_settings_menu = True
    permission_policy = NetworkAdminsOnly(LockedSignIn)
    index_view_class = LockedSignInIndexView
    delete_view_class = UnlockView
    form_fields = ["username"]  # never shown: nobody may add or change a row
    list_display = [
        AccountColumn("username", label=gettext_lazy("Account"), get_url=_unlock_url),
        Column("ip_address", label=gettext_lazy("IP address")),
        Column("failures_since_start", label=gettext_lazy("Failed sign-ins")),
        DateColumn("attempt_time", label=gettext_lazy("Last attempt")),
    ]


@hooks.register("register_admin_viewset")
def register_locked_sign_ins():
    return LockedSignInViewSet("locked_sign_ins")
