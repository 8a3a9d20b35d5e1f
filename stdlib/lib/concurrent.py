"""The concurrent package: its only module here is concurrent.futures."""
