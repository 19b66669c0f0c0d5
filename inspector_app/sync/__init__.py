"""Sync with the insurer platform: the outbox and the protocol client. Qt-free."""
