"""Comparing sources: where they disagree about an event, and who reports what."""
