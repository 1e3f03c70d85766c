"""Stages that see many articles at once: entity linking, stories, timelines."""
