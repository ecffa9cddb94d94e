"""The orders-admin command line."""
