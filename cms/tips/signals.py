"""Signals of the tips app: `tip_received(tip)` once a tip and its photos are stored."""

from django.dispatch import Signal

tip_received = Signal()
