"""python manage.py send_alerts [--loop SECONDS] — finish what the alerts queue left: fan-outs a
stopped worker cut short, deliveries claimed by a worker that died, and failed ones whose time
to be tried again has come (cms.distribution.events). ``serve`` runs it every few seconds."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from cms.distribution import events


class Command(BaseCommand):
    help = "Send the alerts that are due (once, or every --loop seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, help="seconds between rounds")

    def handle(self, *args, loop: float, **options):
        while True:
            for event in events.unfinished():
                if event.fanned_out_at is None:
                    events.fan_out(event)
            sent = events.send()
            if sent:
                self.stdout.write(f"alerts: {sent} sent")
            if not loop:
                return
            time.sleep(loop)
