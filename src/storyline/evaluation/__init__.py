"""Quality measured on labeled data: corpus readers, scorers, and the `storyline eval` commands.

Corpora are read from ``../shared/corpora`` and ``../shared/corpus/dev`` (never
copied into the repository); results are printed and, with ``--out``, saved
as JSON under ``eval/results/``.
"""
