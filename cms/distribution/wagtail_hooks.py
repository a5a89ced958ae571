"""Alerts in the admin, country by country (cms.countries.scope): the people who signed up
(read, or removed on request), and the organisations the country's editors register, each with
its delivery log."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from cms.countries.scope import CountryScopedViewSet
from cms.distribution.admin_forms import OrganisationForm
from cms.distribution.models import Delivery, Subscriber, SubscriberKind

LOG_SIZE = 50


class ViewOrDeletePolicy(ModelPermissionPolicy):
    """People manage their own sign-up; staff may read it or remove it, not write it."""

    def user_has_permission(self, user, action):
        if action not in ("view", "delete"):
            return False
        return super().user_has_permission(user, action)


class IsolatedColumn(Column):
    """Text someone typed, its direction isolated from the page (see cms.tips.wagtail_hooks)."""

    def get_value(self, instance):
        return format_html("<bdi>{}</bdi>", super().get_value(instance) or "")


class DeliveryLogView(InspectView):
    """The organisation (or person) and the last messages sent to it, newest first."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliveries"] = (
            Delivery.objects.filter(subscriber=self.object)
            .select_related("event")
            .order_by("-pk")[:LOG_SIZE]
        )
        context["labels"] = {
            "log": _("Delivery log"),
            "event": _("Event"),
            "channel": _("Channel"),
            "status": _("Status"),
            "attempts": _("Attempts"),
            "answer": _("Answer"),
            "sent": _("Sent"),
            "error": _("Last error"),
            "none": _("Nothing sent yet."),
        }
        return context


class SubscriberViewSet(CountryScopedViewSet):
    """People or organisations (``kind``), each with its delivery log."""

    model = Subscriber
    kind = SubscriberKind.PERSON
    inspect_view_enabled = True
    inspect_view_class = DeliveryLogView
    inspect_template_name = "distribution/subscriber_inspect.html"

    def get_index_view_kwargs(self, **kwargs):
        # The listings (Wagtail's index views read ``queryset``, not a viewset's method).
        kinds = Subscriber.objects.filter(kind=self.kind).select_related("country")
        return super().get_index_view_kwargs(queryset=kinds, **kwargs)


class PeopleViewSet(SubscriberViewSet):
    icon = "user"
    menu_label = _("Subscribers")
    list_display = [
        IsolatedColumn("email", label=_("email")),
        "area",
        "language",
        "confirmed_at",
        "created_at",
    ]
    list_filter = ["confirmed_at"]
    form_fields = ["email"]
    permission_policy = ViewOrDeletePolicy(Subscriber)


class OrganisationViewSet(SubscriberViewSet):
    kind = SubscriberKind.ORGANISATION
    icon = "group"
    menu_label = _("Organisations")
    list_display = [
        IsolatedColumn("name", label=_("name")),
        "area",
        "webhook_url",
        "disabled_at",
    ]
    form_class = OrganisationForm

    def get_form_class(self, for_update=False):
        return OrganisationForm


class AlertsGroup(ViewSetGroup):
    menu_label = _("Alerts")
    menu_icon = "mail"
    menu_order = 270
    items = (
        PeopleViewSet("alert-subscribers"),
        OrganisationViewSet("alert-organisations"),
    )


@hooks.register("register_admin_viewset")
def register_alerts():
    return AlertsGroup()


@hooks.register("after_publish_page")
def alert_update_requested(request, page):
    """The case published with "Send an update to alert subscribers" ticked."""
    from cms.cases.models import CasePage
    from cms.countries.models import Country
    from cms.distribution.models import AlertUpdate

    case = page.specific_deferred
    if not isinstance(case, CasePage) or request.POST.get("alert_update") != "on":
        return
    country = Country.objects.for_page(case)
    if country is not None:
        AlertUpdate.objects.create(site=country.site_code, case_key=str(case.translation_key))
