"""storyline: turn a pile of raw news pages into a clear account of a developing story.

The pipeline, in the order a page travels through it:

``sources`` (read inputs into :class:`RawDocument`) →
``extract`` (decode, strip boilerplate, read metadata into :class:`Article`) →
``nlp`` (annotate one article) → ``store`` (persist) → CLI / web.
"""

from storyline.document import Article, GivenMetadata, RawDocument

__all__ = ["Article", "GivenMetadata", "RawDocument"]
__version__ = "0.1.0"
