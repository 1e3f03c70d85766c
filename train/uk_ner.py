"""Train the Ukrainian NER models shipped in ``src/storyline/models/uk_ner``.

Reads NER-UK 2.0 (``train.iob``) from the shared corpora folder, holds out a
dev part of it (10%, in contiguous chunks, so dev sentences come from documents
the model never saw), trains a spaCy tok2vec + NER pipeline on the rest with the
features of :mod:`storyline.nlp.ner.uk`, keeps the epoch that scores best on dev,
writes it to ``--out`` and, with ``--test``, reports its score on ``test.iob``.
The test split is never used for any choice. Everything is seeded; single thread.
``--ensemble`` joins trained models into the voting pipeline that ships.

    nice -n 10 .venv/bin/python train/uk_ner.py --out /tmp/dev      # a dev run
    nice -n 10 .venv/bin/python train/uk_ner.py --navec --full 9 --out /tmp/navec  # a member
    .venv/bin/python train/uk_ner.py --ensemble /tmp/base /tmp/navec /tmp/all13 --test

See ``train/README.md``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.evaluation.corpus import shared_dir  # noqa: E402
from storyline.evaluation.ner_uk import TYPE_MAP, evaluate, read_ner_uk  # noqa: E402
from storyline.nlp.ner import uk  # noqa: E402

NAVEC = "navec_news_v1_1B_250K_300d_100q.tar"
# NER-UK's other types, learned with --all-types (PERS→PER as in TYPE_MAP; the rest as is).
OTHER_TYPES = ("ART", "DATE", "DOC", "JOB", "MISC", "MON", "PCT", "PERIOD", "QUANT", "TIME")
ALL_TYPES = {**TYPE_MAP, **{name: name for name in OTHER_TYPES}}
DEFAULT_CORPUS = shared_dir() / "corpora" / "ner-uk" / "v2.0" / "iob"

FEATURE_SETS = {
    # NORM is the pymorphy3 lemma, TAG the compact morphological tag (see uk.make_doc).
    "morph": (
        ["NORM", "LOWER", "PREFIX", "SUFFIX", "SHAPE", "TAG"],
        [5000, 5000, 1000, 2500, 500, 1000],
    ),
    # spaCy's defaults on surface forms only, for comparison (NORM is then the lowercase form).
    "plain": (["NORM", "PREFIX", "SUFFIX", "SHAPE"], [5000, 1000, 2500, 500]),
}


def place_lemmas() -> list[str]:
    """Lemmas of one-word country and city names in Ukrainian, from CLDR (babel), at train time."""
    from babel import Locale

    locale = Locale("uk")
    names = set(locale.territories.values())
    names |= {zone["city"] for zone in locale.time_zones.values() if zone.get("city")}
    single = {name for name in names if " " not in name and "," not in name}
    return sorted({uk.morph_features(name)[0] for name in single})


def model_config(
    features: str,
    width: int,
    depth: int,
    hidden: int = 64,
    window: int = 1,
    extra: bool = False,
    chars: int = 0,
    char_dim: int = 16,
    pieces: int = 3,
    navec: str = "",
) -> dict:
    attrs, rows = FEATURE_SETS[features]
    embed = {
        "@architectures": "spacy.MultiHashEmbed.v2",
        "width": width,
        "attrs": attrs,
        "rows": rows,
        "include_static_vectors": False,
    }
    if (
        chars
    ):  # hashed attributes + character (UTF-8 byte) embeddings, see uk.register_architectures
        embed = {
            "@architectures": "storyline.HashCharEmbed.v1",
            "width": width,
            "attrs": attrs,
            "rows": rows,
            "nM": char_dim,
            "nC": chars,
        }
    if navec:  # hashed attributes + navec static vectors, see uk.register_architectures
        embed = {
            "@architectures": "storyline.NavecHashEmbed.v1",
            "width": width,
            "attrs": attrs,
            "rows": rows,
            "navec": navec,
        }
    return {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": extra,
        "hidden_width": hidden,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": embed,
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": width,
                "depth": depth,
                "window_size": window,
                "maxout_pieces": pieces,
            },
        },
    }


def split_dev(texts: list, fraction_chunks: int = 20) -> tuple[list, list]:
    """Train/dev: the file cut into 20 contiguous chunks; chunks 9 and 19 are dev (10%)."""
    size = -(-len(texts) // fraction_chunks)
    train, dev = [], []
    for index, item in enumerate(texts):
        (dev if (index // size) % 10 == 9 else train).append(item)
    return train, dev


def make_plain_doc(nlp, text: str):
    """A doc with our tokenizer but spaCy's own NORM (lowercase) and no TAG."""
    from spacy.tokens import Doc

    spans = uk.tokenize(text)
    words = [text[s:e] for s, e in spans]
    spaces = [i + 1 < len(spans) and spans[i + 1][0] > e for i, (_s, e) in enumerate(spans)]
    return Doc(nlp.vocab, words=words, spaces=spaces)


def to_examples(nlp, texts, features: str):
    from spacy.training import Example

    examples, dropped = [], 0
    for item in texts:
        doc = uk.make_doc(nlp, item.text) if features == "morph" else make_plain_doc(nlp, item.text)
        assert doc.text == item.text, item.doc_id
        ents = []
        for start, end, label in item.spans:
            if doc.char_span(start, end) is None:
                dropped += 1
                continue
            ents.append((start, end, label))
        examples.append(Example.from_dict(doc, {"entities": ents}))
    return examples, dropped


def tagger_for(nlp, features: str, rules: bool = False):
    """The model's own spans (epoch selection), or with ``uk.postprocess`` (what ships)."""

    def tag(text: str):
        if features == "morph":
            return uk.tag_doc(nlp, text, rules=rules)
        spans = uk.tokenize(text)
        if not spans:
            return []
        doc = nlp.get_pipe("ner")(make_plain_doc(nlp, text))
        found = [(spans[e.start][0], spans[e.end - 1][1], e.label_) for e in doc.ents]
        return uk.postprocess(text, found) if rules else found

    return tag


def report(name: str, scores) -> dict:
    table = {label: s.as_dict() for label, s in scores.items()}
    line = "  ".join(f"{k} {v['f1']:.4f}" for k, v in table.items())
    print(f"{name}: {line}", flush=True)
    return table


def build_ensemble(members: list[Path], out: Path, corpus: Path, test: bool) -> None:
    """One pipeline holding the NER components of ``members`` (``ner``, ``ner2``, …).

    ``uk.tag_doc`` then keeps the spans a majority of them found. The members must share
    the gazetteer (``uk_places``); each is loaded as trained, nothing is retrained.
    """
    import spacy

    uk.register_architectures()
    loaded = [spacy.load(path) for path in members]
    places = {tuple(m.meta.get("uk_places", ())) for m in loaded}
    assert len(places) == 1, "members differ in their gazetteer"
    nlp = spacy.blank("uk")
    nlp.meta["uk_places"] = list(places.pop())
    for index, member in enumerate(loaded):
        nlp.add_pipe("ner", name="ner" if index == 0 else f"ner{index + 1}", source=member)
    if out.exists():
        for child in out.iterdir():
            if child.name != "MODEL.md":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    nlp.to_disk(out)
    nlp = uk.load_model(out)
    texts = list(read_ner_uk(corpus / "train.iob"))
    _train, dev_texts = split_dev(texts)
    result: dict = {
        "ensemble": [
            json.loads((m / "scores.json").read_text()) if (m / "scores.json").exists() else {}
            for m in members
        ],
        "vote": f"{len(members) // 2 + 1} of {len(members)}",
        "dev": report("dev (seen)", evaluate(dev_texts, tagger_for(nlp, "morph"))),
        "dev_rules": report(
            "dev (seen) + rules", evaluate(dev_texts, tagger_for(nlp, "morph", rules=True))
        ),
    }
    for member in result["ensemble"]:
        member.pop("history", None)
    if test:
        test_texts = list(read_ner_uk(corpus / "test.iob"))
        result["test"] = report("test", evaluate(test_texts, tagger_for(nlp, "morph")))
        result["test_rules"] = report(
            "test + rules", evaluate(test_texts, tagger_for(nlp, "morph", rules=True))
        )
    (out / "scores.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"wrote {out}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=uk.MODEL_DIR)
    parser.add_argument("--features", choices=sorted(FEATURE_SETS), default="morph")
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=64, help="NER state layer width")
    parser.add_argument("--window", type=int, default=1, help="CNN window (tokens each side)")
    parser.add_argument("--extra-state", action="store_true", help="NER state sees more tokens")
    parser.add_argument(
        "--chars",
        type=int,
        default=0,
        help="UTF-8 bytes per word to embed (0: no character embedding)",
    )
    parser.add_argument("--char-dim", type=int, default=16, help="dimensions per embedded byte")
    parser.add_argument("--pieces", type=int, default=3, help="maxout pieces of the CNN layers")
    parser.add_argument(
        "--navec",
        nargs="?",
        const=NAVEC,
        default="",
        help=f"add navec static vectors (file in natasha/data/emb; default {NAVEC})",
    )
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--patience", type=int, default=6)
    parser.add_argument("--dropout", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-gazetteer", action="store_true", help="no country/city flag")
    parser.add_argument(
        "--all-types",
        action="store_true",
        help="train on all 13 NER-UK types (DATE, JOB, ART, …), output PER/ORG/LOC only",
    )
    parser.add_argument(
        "--full",
        type=int,
        metavar="EPOCHS",
        help="train on all of train.iob (dev included) for EPOCHS epochs, no selection: "
        "the final step, with the epoch count a dev run chose",
    )
    parser.add_argument("--test", action="store_true", help="score the chosen model on test")
    parser.add_argument(
        "--ensemble",
        type=Path,
        nargs="+",
        metavar="MODEL",
        help="no training: join these trained models into one voting pipeline at --out",
    )
    args = parser.parse_args()
    if args.ensemble:
        build_ensemble(args.ensemble, args.out, args.corpus, args.test)
        return

    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch
    from thinc.api import Adam

    uk.register_architectures()
    random.seed(args.seed)
    fix_random_seed(args.seed)
    started = time.time()

    texts = list(read_ner_uk(args.corpus / "train.iob"))
    train_texts, dev_texts = split_dev(texts)
    if args.all_types:  # learn the other ten types too; the tagger keeps PER/ORG/LOC only
        texts = list(read_ner_uk(args.corpus / "train.iob", ALL_TYPES))
        train_texts = split_dev(texts)[0]
    if args.full:
        train_texts, args.epochs, args.patience = texts, args.full, args.full
    print(f"{len(train_texts)} train blocks, {len(dev_texts)} dev blocks", flush=True)

    nlp = spacy.blank("uk")
    if args.features == "morph" and not args.no_gazetteer:
        nlp.meta["uk_places"] = place_lemmas()
    nlp.add_pipe(
        "ner",
        config={
            "model": model_config(
                args.features,
                args.width,
                args.depth,
                args.hidden,
                args.window,
                args.extra_state,
                args.chars,
                args.char_dim,
                args.pieces,
                args.navec,
            )
        },
    )
    train_examples, dropped = to_examples(nlp, train_texts, args.features)
    print(f"examples ready ({dropped} spans off token boundaries dropped)", flush=True)

    optimizer = Adam(
        learn_rate=0.001, L2=1e-6, grad_clip=1.0, use_averages=True, L2_is_weight_decay=True
    )
    nlp.initialize(lambda: train_examples, sgd=optimizer)
    tag = tagger_for(nlp, args.features)

    best_f1, best_epoch, history = -1.0, 0, []
    with tempfile.TemporaryDirectory() as tmp:
        best_path = Path(tmp) / "best"
        for epoch in range(1, args.epochs + 1):
            random.shuffle(train_examples)
            losses: dict[str, float] = {}
            for batch in minibatch(train_examples, size=compounding(4.0, 32.0, 1.001)):
                nlp.update(batch, drop=args.dropout, sgd=optimizer, losses=losses)
            with nlp.use_params(optimizer.averages):
                scores = evaluate(dev_texts, tag)
                f1 = scores["micro"].f1
                history.append(
                    {
                        "epoch": epoch,
                        "loss": round(float(losses["ner"]), 1),
                        "dev_f1": round(float(f1), 4),
                    }
                )
                report(f"epoch {epoch:2d} loss {losses['ner']:.0f} dev", scores)
                if f1 > best_f1 or args.full:
                    best_f1, best_epoch = f1, epoch
                    nlp.to_disk(best_path)
            if epoch - best_epoch >= args.patience:
                break
        nlp = spacy.load(best_path)
        if args.out.exists():
            for child in args.out.iterdir():
                if child.name != "MODEL.md":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        nlp.to_disk(args.out)

    result = {
        "features": args.features,
        "width": args.width,
        "depth": args.depth,
        "hidden": args.hidden,
        "window": args.window,
        "extra_state": args.extra_state,
        "chars": args.chars,
        "char_dim": args.char_dim,
        "pieces": args.pieces,
        "navec": args.navec,
        "dropout": args.dropout,
        "seed": args.seed,
        "gazetteer": bool(nlp.meta.get("uk_places")),
        "all_types": args.all_types,
        "best_epoch": best_epoch,
        "trained_on": "all of train.iob (dev scores are on seen data)"
        if args.full
        else "train minus dev",
        "history": history,
        "dev": report("best dev", evaluate(dev_texts, tagger_for(nlp, args.features))),
        "dev_rules": report(
            "best dev + rules", evaluate(dev_texts, tagger_for(nlp, args.features, rules=True))
        ),
        "train_seconds": round(time.time() - started),
    }
    if args.test:
        test_texts = list(read_ner_uk(args.corpus / "test.iob"))
        result["test"] = report("test", evaluate(test_texts, tagger_for(nlp, args.features)))
        result["test_rules"] = report(
            "test + rules", evaluate(test_texts, tagger_for(nlp, args.features, rules=True))
        )
    (args.out / "scores.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"wrote {args.out} in {result['train_seconds']} s", flush=True)


if __name__ == "__main__":
    main()
