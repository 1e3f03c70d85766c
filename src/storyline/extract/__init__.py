"""RawDocument → Article: decode, strip boilerplate, read metadata. Pure: no I/O.

The entry point is :func:`storyline.extract.article.extract_article`.
"""
