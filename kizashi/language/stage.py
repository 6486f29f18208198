"""The ``language`` stage: SudachiPy tokens everywhere, GiNZA's parse where it pays."""
from __future__ import annotations

from ..config import Options
from ..model import Document, Sentence
from ..pipeline import stage
from .ginza import load_nlp, to_tokens
from .selection import select_sentences
from .sentences import split_sentences

# NER's labels are unreliable on this news (the ontology decides, and unknown
# names are proposed from SudachiPy's proper-noun tags), so it is not run by default.
_SKIP_BY_DEFAULT = ("ner",)


@stage("language", requires=("clean",), assigns=("sentences", "tokens"))
def analyse(doc: Document, options: Options) -> Document:
    """Split sentences, tokenise all, and parse the sentences that can hold a flow."""
    from ..extract.events import load_event_lexicon
    from ..extract.lexicon import load_lexicon

    nlp = load_nlp(options.spacy_model)
    sentences = split_sentences(doc.text, doc.paragraphs)
    texts = [doc.text[s.start:s.end] for s in sentences]
    sdocs = [nlp.make_doc(t) for t in texts]
    if options.parse_all:
        wanted = [True] * len(texts)
    else:
        wanted = select_sentences([(t, [tok.lemma_ for tok in d]) for t, d in zip(texts, sdocs)],
                                  load_lexicon(options.data_dir), load_event_lexicon(options.data_dir).triggers)
    chosen = [d for d, w in zip(sdocs, wanted) if w]
    disable = [] if options.parse_all else [p for p in _SKIP_BY_DEFAULT if p in nlp.pipe_names]
    parsed = iter(nlp.pipe(chosen, batch_size=options.batch_size, disable=disable))
    tokens = []
    out_sents = []
    for k, (sent, sdoc, w) in enumerate(zip(sentences, sdocs, wanted)):
        if w:
            sdoc = next(parsed)
        out_sents.append(Sentence(sent.start, sent.end, analysed=w))
        tokens.extend(to_tokens(sdoc, offset=sent.start, first_index=len(tokens), sent_index=k, parsed=w))
    doc.sentences = out_sents
    doc.tokens = tokens
    return doc
