"""Near-duplicate detection: MinHash over character shingles, LSH for candidates.

Re-scrapes and content-farm rewrites differ by a few characters, so an exact
hash misses them; MinHash estimates the Jaccard similarity of the texts'
character shingles, and an LSH index finds candidates without comparing
every pair. Signatures are stored, so the index is rebuilt without rehashing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from ..config import Options

SCHEME = "affine32"  # pinned: signatures of different schemes cannot be compared
SEED = 1
# LSH bands tuned against false negatives: with the default balance a pair at the threshold
# is a candidate only 40% of the time. Candidates are verified by their estimated Jaccard,
# so the extra false positives cost a comparison each, not a wrong link.
LSH_WEIGHTS = (0.05, 0.95)  # (false positive, false negative)
_DTYPE = np.dtype("<u4")


def shingles(text: str, size: int) -> set[str]:
    """Character shingles of the text with whitespace removed (line breaks differ between scrapes)."""
    compact = "".join(text.split())
    if len(compact) <= size:
        return {compact} if compact else set()
    return {compact[i:i + size] for i in range(len(compact) - size + 1)}


def signature_params(options: Options) -> str:
    """What a signature depends on; stored with it so stale signatures are recomputed."""
    return f"{SCHEME}:{SEED}:{options.minhash_permutations}:{options.shingle_size}"


@lru_cache(maxsize=8)
def lsh_bands(threshold: float, permutations: int) -> tuple[int, int]:
    """(bands, rows) for the threshold: datasketch finds them by numerical integration, which
    took longer than hashing a document, so it is done once per setting."""
    tuned = MinHashLSH(threshold=threshold, num_perm=permutations, weights=LSH_WEIGHTS)
    return tuned.b, tuned.r


@dataclass(frozen=True)
class Match:
    document_id: str
    similarity: float


class NearDuplicateIndex:
    """An in-memory LSH index over the stored documents' signatures."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.params = signature_params(options)
        self._template = MinHash(num_perm=options.minhash_permutations, seed=SEED, scheme=SCHEME)
        self._lsh = MinHashLSH(num_perm=options.minhash_permutations,
                               params=lsh_bands(options.near_duplicate_threshold, options.minhash_permutations))
        self._lineage_lsh = MinHashLSH(num_perm=options.minhash_permutations,
                                       params=lsh_bands(options.lineage_threshold, options.minhash_permutations))
        self._rows: dict[str, int] = {}  # id → row of the hash-value matrix
        self._matrix: np.ndarray | None = None  # one row per signature, of the signatures' own dtype

    def signature(self, text: str) -> MinHash:
        minhash = self._template.copy()
        minhash.update_batch([s.encode("utf-8") for s in shingles(text, self.options.shingle_size)])
        return minhash

    def encode(self, minhash: MinHash) -> bytes:
        return np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes()

    def decode(self, data: bytes) -> MinHash:
        return MinHash(seed=SEED, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=_DTYPE),
                       permutations=self._template.permutations)

    def add(self, document_id: str, minhash: MinHash) -> None:
        if document_id in self._rows:
            return
        values = minhash.hashvalues
        if self._matrix is None:
            self._matrix = np.empty((64, len(values)), dtype=values.dtype)
        elif len(self._rows) == len(self._matrix):  # grow by doubling: one copy per doubling, not per add
            grown = np.empty((2 * len(self._matrix), self._matrix.shape[1]), dtype=self._matrix.dtype)
            grown[:len(self._matrix)] = self._matrix
            self._matrix = grown
        self._matrix[len(self._rows)] = values
        self._rows[document_id] = len(self._rows)
        self._lsh.insert(document_id, minhash)
        self._lineage_lsh.insert(document_id, minhash)

    def best_match(self, minhash: MinHash) -> Match | None:
        """The most similar indexed document at or above the threshold, if any."""
        candidates = list(self._lsh.query(minhash))
        matches = [Match(c, j) for c, j in zip(candidates, self._jaccard(minhash, candidates))]
        matches = [m for m in matches if m.similarity >= self.options.near_duplicate_threshold]
        # Highest similarity wins; ties go to the smaller id so the answer does not depend on set order.
        return min(matches, key=lambda m: (-m.similarity, m.document_id), default=None)

    def similar(self, minhash: MinHash) -> list[str]:
        """Indexed documents one source with this one (``Options.lineage_threshold``), by id."""
        candidates = list(self._lineage_lsh.query(minhash))
        return sorted(c for c, j in zip(candidates, self._jaccard(minhash, candidates))
                      if j >= self.options.lineage_threshold)

    def _jaccard(self, minhash: MinHash, candidates: list[str]) -> list[float]:
        """``MinHash.jaccard`` against many at once (the share of equal hash values), as one array
        comparison: templates and rewrites make candidate lists long."""
        if not candidates:
            return []
        stacked = self._matrix[[self._rows[c] for c in candidates]]  # one gather, not an array per candidate
        equal = np.count_nonzero(stacked == minhash.hashvalues, axis=1)
        return [float(n) / len(minhash.hashvalues) for n in equal]

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._rows

    def __len__(self) -> int:
        return len(self._rows)
