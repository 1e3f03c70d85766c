"""Named-entity recognition, one tagger per language (see ``registry.py``)."""
