"""Orderflow's runtime kit: settings, logging, database, messaging, outbox, inbox, timers.

Nothing here knows a business rule; services build on it.
"""
