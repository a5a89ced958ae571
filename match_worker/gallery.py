"""Galleries: the encodings of every photo of every active case, searched by nearest distance.

One interface, :class:`Gallery`, with two engines behind it (ARCHITECTURE.md, "face search"):

- :class:`ExactGallery` — exact search, the default. Every query is compared with every
  encoding, so it never misses the true nearest photo; a large gallery is scanned on one-byte
  copies first and the answer proved exact in float64.
- :class:`FaissHNSWGallery` — an HNSW graph (``faiss-cpu``) for networks whose galleries outgrow
  exact search or must answer many queries a second: under a millisecond a query, at the price
  of sometimes missing a true neighbour. Its recall falls as the gallery grows, so exact search
  stays the default while it is fast enough.

Latency and recall (``python -m match_worker.bench``) and the measurements behind each choice
below: docs/performance.md.

A gallery item id is an opaque string chosen by the caller, for example
``"case:<uuid>:photo:<n>"`` or ``"companion:<uuid>:photo:<n>"``; :mod:`match_worker.ranking` groups
hits by the child or companion they show. Distances are Euclidean, between encodings from
:class:`match_worker.engine.FaceEngine`, and results come nearest first.

A gallery lives in memory and must never be the record of which photos exist: the CMS keeps the
encodings and rebuilds a gallery from them; removing a found child's photos here is what makes
them unsearchable at once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import Any

import numpy as np

from match_worker.engine import ENCODING_SIZE

__all__ = ["ExactGallery", "FaissHNSWGallery", "Gallery", "Hit"]

#: One search result: (gallery item id, Euclidean distance).
Hit = tuple[str, float]


def _as_encodings(encodings: Any, count: int | None = None) -> np.ndarray:
    """Encodings as a C-contiguous float32 ``(n, 128)`` array, refusing NaN, inf and bad shapes."""
    array = np.ascontiguousarray(encodings, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2 or array.shape[1] != ENCODING_SIZE:
        raise ValueError(f"encodings must have {ENCODING_SIZE} numbers each, got {array.shape}")
    if count is not None and array.shape[0] != count:
        raise ValueError(f"{count} ids but {array.shape[0]} encodings")
    if not np.isfinite(array).all():
        raise ValueError("encodings contain NaN or infinite values")
    return array


def _checked_ids(ids: Sequence[str]) -> list[str]:
    ids = list(ids)
    if len(set(ids)) != len(ids):
        raise ValueError("the same id appears twice in one add()")
    for item_id in ids:
        if not isinstance(item_id, str) or not item_id:
            raise ValueError(f"gallery ids are non-empty strings, got {item_id!r}")
    return ids


def _exact_distances(vectors: np.ndarray, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Euclidean distances from ``query`` to ``vectors[rows]``, computed in float64: the distances
    every gallery reports, whatever chose the rows."""
    difference = vectors[rows].astype(np.float64)
    difference -= query
    return np.sqrt(np.einsum("ij,ij->i", difference, difference))


class Gallery(ABC):
    """Encodings keyed by id, searched by Euclidean distance.

    ``add`` with an id already present replaces its encoding (a re-encoded photo); ``remove``
    ignores ids it does not hold, so removing twice is harmless. Bad input raises ValueError and
    changes nothing. A gallery is not safe for changes from several threads at once: one worker
    process owns one gallery.
    """

    @abstractmethod
    def add(self, ids: Sequence[str], encodings: Any) -> None:
        """Add (or replace) one encoding per id; ``encodings`` is ``(len(ids), 128)``."""

    @abstractmethod
    def remove(self, ids: Iterable[str]) -> int:
        """Remove these ids; returns how many were present."""

    @abstractmethod
    def search(self, encoding: Any, k: int) -> list[Hit]:
        """The ``k`` nearest items to one encoding, nearest first."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def __contains__(self, item_id: object) -> bool: ...

    def search_many(self, encodings: Any, k: int) -> list[list[Hit]]:
        """:meth:`search` for each row of ``encodings``."""
        return [self.search(row, k) for row in _as_encodings(encodings)]


_blas_controller: Any = None


def _one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread (a no-op without threadpoolctl).

    A matrix-vector product over the galleries that still use it (under ``screen_from``, a few
    MB) takes a core a couple of milliseconds; a second BLAS thread saves little and, whenever
    the other core is busy, makes every product wait for it (the slowest queries three times
    slower: docs/performance.md). The limit is OpenBLAS's, for the whole process, and lasts only
    the product.
    """
    global _blas_controller
    if _blas_controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl is a dependency
            _blas_controller = False
        else:
            _blas_controller = ThreadpoolController().select(user_api="blas")
    return _blas_controller.limit(limits=1) if _blas_controller else nullcontext()


class ExactGallery(Gallery):
    """Exact nearest-neighbour search over a preallocated float32 array.

    Vectors sit in one contiguous block with their squared norms precomputed. A small gallery is
    searched with one matrix-vector product (``|x|² - 2x·q``) and a cheap selection: the minimum
    of each block of 1,024 distances bounds where the ``k`` best can be, and only those few blocks
    are sorted.

    From ``screen_from`` encodings on (65,536 by default), that product is memory-bound: a
    million encodings are 512 MB to read per query. So a large
    gallery also keeps a one-byte copy of every number (a quarter of the bytes; a FAISS flat
    ``IndexScalarQuantizer``, built at the first large search and kept in step by every change)
    and screens on it: the nearest thousand or so by the distance between byte copies are
    re-measured exactly, and the answer is accepted only when it is provably the exact one.
    Each copy lies within a measured distance ``e`` of its encoding (small beside dlib's
    distances between people), and the query's own copy within
    ``e_q`` of it, so a photo not among the screened candidates is at least ``d̂ - e - e_q``
    away, where ``d̂`` is the largest screened distance; when that exceeds the exact ``k``-th
    distance found, nothing outside can enter the top ``k``. Otherwise the screen is widened,
    and past a quarter of the gallery the product above is used instead. Results are therefore
    identical either way. The copy costs 128 bytes an encoding: 128 MB beside the 512 MB of
    float32 at a million (how often the first screen proves the answer, and the latency:
    docs/performance.md).

    Either way the final distances are recomputed directly in float64, so no rounding shows in
    a reported distance, and ties are broken by row: the product's float32 scores only choose
    candidates, and every row within their rounding of the ``k``-th best is a candidate.
    """

    _BLOCK = 1024
    #: Candidates a screen starts with: at least ``2k + 32``, 400, and a thousandth of the
    #: gallery. Found about as cheaply as a few dozen (the scan dominates), and enough to prove
    #: almost every answer without a second scan (docs/performance.md).
    _SCREEN_LEAST = 400
    _SCREEN_SHARE = 1 / 1000

    def __init__(self, capacity: int = 1024, *, screen_from: int | None = 65_536) -> None:
        capacity = max(int(capacity), 1)
        self._vectors = np.empty((capacity, ENCODING_SIZE), dtype=np.float32)
        self._norms = np.empty(capacity, dtype=np.float32)
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        #: Galleries this large are screened on one-byte copies (None: never).
        self.screen_from = screen_from
        self._screen: _ByteScreen | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._row_of

    def _reserve(self, size: int) -> None:
        capacity = self._vectors.shape[0]
        if size <= capacity:
            return
        while capacity < size:
            capacity *= 2
        vectors = np.empty((capacity, ENCODING_SIZE), dtype=np.float32)
        norms = np.empty(capacity, dtype=np.float32)
        count = len(self._ids)
        vectors[:count] = self._vectors[:count]
        norms[:count] = self._norms[:count]
        self._vectors, self._norms = vectors, norms

    def add(self, ids: Sequence[str], encodings: Any) -> None:
        ids = _checked_ids(ids)
        array = _as_encodings(encodings, len(ids))
        fresh = [index for index, item_id in enumerate(ids) if item_id not in self._row_of]
        for index, item_id in enumerate(ids):
            row = self._row_of.get(item_id)
            if row is not None:
                self._vectors[row] = array[index]
                self._norms[row] = np.dot(array[index], array[index])
                if self._screen is not None:
                    self._screen.replace(row, array[index])
        if not fresh:
            return
        start = len(self._ids)
        self._reserve(start + len(fresh))
        block = array[fresh]
        self._vectors[start : start + len(fresh)] = block
        self._norms[start : start + len(fresh)] = np.einsum("ij,ij->i", block, block)
        if self._screen is not None:
            self._screen.append(block)
        for offset, index in enumerate(fresh):
            self._row_of[ids[index]] = start + offset
            self._ids.append(ids[index])

    def remove(self, ids: Iterable[str]) -> int:
        removed = 0
        for item_id in ids:
            row = self._row_of.pop(item_id, None)
            if row is None:
                continue
            last = len(self._ids) - 1
            if row != last:  # move the last item into the hole, keeping the block dense
                moved = self._ids[last]
                self._vectors[row] = self._vectors[last]
                self._norms[row] = self._norms[last]
                self._ids[row] = moved
                self._row_of[moved] = row
                if self._screen is not None:
                    self._screen.move(last, row)
            self._ids.pop()
            removed += 1
        if removed and self._screen is not None:
            self._screen.truncate(len(self._ids))
        return removed

    def search(self, encoding: Any, k: int) -> list[Hit]:
        query = _as_encodings(encoding, 1)[0]
        count = len(self._ids)
        k = min(int(k), count)
        if k <= 0:
            return []
        rows = self._screened(query, k) if self._screens(count) else None
        if rows is None:
            rows = self._k_smallest(self._scores(query, count), k, self._score_slack(query))
        exact = self._distances(rows, query)
        order = np.lexsort((rows, exact))[:k]  # ties broken by row, so results are deterministic
        return [(self._ids[rows[i]], float(exact[i])) for i in order]

    def _distances(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        return _exact_distances(self._vectors, rows, query)

    def _scores(self, query: np.ndarray, count: int) -> np.ndarray:
        """Squared distance minus |q|² to every row, which ranks identically."""
        with _one_blas_thread():
            scores = self._vectors[:count] @ query
        scores *= -2.0
        scores += self._norms[:count]
        return scores

    def _screens(self, count: int) -> bool:
        if self.screen_from is None or count < max(self.screen_from, 1):
            return False
        if self._screen is None:
            self._screen = _ByteScreen.build(self._vectors[:count])
        return self._screen is not None

    def _screened(self, query: np.ndarray, k: int) -> np.ndarray | None:
        """Rows that hold the exact ``k`` nearest (and no row farther than the ``k``-th), found
        through the byte screen, or None.

        None when the screen cannot prove its answer with fewer than a quarter of the gallery
        as candidates (encodings far from any dlib encoding); the full product is used then.
        """
        assert self._screen is not None
        count = len(self._ids)
        wanted = max(2 * k + 32, self._SCREEN_LEAST, int(count * self._SCREEN_SHARE))
        wanted = min(wanted, count)
        while True:
            screened, rows, query_error = self._screen.search(query, wanted)
            exact = self._distances(rows, query)
            kth = np.partition(exact, k - 1)[k - 1]
            if wanted == count:
                return rows[exact <= kth]
            # Every row outside the candidates is at least this far from the query.
            outside = float(screened[-1]) * (1 - 1e-9) - self._screen.error - query_error
            if outside > kth:
                return rows[exact <= kth]
            wanted *= 4
            if wanted > count // 4:
                return None

    def _score_slack(self, query: np.ndarray) -> float:
        """A bound on float32 rounding in a score: ``|x|²`` and ``x·q`` are sums of 128 products,
        each off by at most about 128 × 2⁻²⁴ of ``(|x| + |q|)²``; a tenfold margin on that."""
        count = len(self._ids)
        largest = float(np.sqrt(self._norms[:count].max())) + float(np.linalg.norm(query))
        return 1e-4 * largest * largest

    def _k_smallest(self, scores: np.ndarray, k: int, slack: float = 0.0) -> np.ndarray:
        """Rows of the ``k`` smallest scores (unordered), without partitioning all of them.

        Rows within ``slack`` of the ``k``-th smallest score come too, so that the exact
        distances, not float32 rounding or argpartition's whim, settle near-ties and ties.
        """
        count = scores.shape[0]
        blocks = count // self._BLOCK
        if k >= count:
            return np.arange(count)
        if blocks < 4 * k:
            kth = np.partition(scores, k - 1)[k - 1]
            return np.flatnonzero(scores <= kth + slack)
        # The k-th smallest block minimum is ≥ the k-th smallest score (k blocks each hold a
        # score at most that large), so every one of the k best lies in a block whose minimum
        # is at most it; those are about k blocks out of ~1,000 for a million encodings.
        minima = scores[: blocks * self._BLOCK].reshape(blocks, self._BLOCK).min(axis=1)
        bound = np.partition(minima, k - 1)[k - 1]
        chosen = np.flatnonzero(minima <= bound + slack)
        candidates = (chosen[:, None] * self._BLOCK + np.arange(self._BLOCK)).ravel()
        tail = np.arange(blocks * self._BLOCK, count)
        candidates = np.concatenate([candidates, tail]) if tail.size else candidates
        kept = scores[candidates]
        kth = np.partition(kept, k - 1)[k - 1]
        return candidates[kept <= kth + slack]

    def encodings(self) -> tuple[list[str], np.ndarray]:
        """A copy of every (id, encoding), e.g. to build another gallery from this one."""
        count = len(self._ids)
        return list(self._ids), self._vectors[:count].copy()


def _to_bytes(encodings: np.ndarray) -> np.ndarray:
    """Encodings mapped from ±0.75 (dlib's are within about ±0.5) onto the whole numbers 0-255,
    clipped, as float32: the values FAISS's ``QT_8bit_direct`` stores exactly."""
    scaled = encodings + _BYTE_RANGE
    scaled *= _BYTE_SCALE
    np.maximum(scaled, 0.0, out=scaled)
    np.minimum(scaled, 255.0, out=scaled)
    return np.rint(scaled, out=scaled)


def _from_bytes(values: np.ndarray) -> np.ndarray:
    """What :func:`_to_bytes` values stand for, in float64."""
    return values.astype(np.float64) / _BYTE_SCALE - _BYTE_RANGE


_BYTE_RANGE = 0.75
_BYTE_SCALE = 255.0 / (2 * _BYTE_RANGE)


class _ByteScreen:
    """One-byte copies of an :class:`ExactGallery`'s rows, row for row, in a FAISS flat index.

    FAISS's ``QT_8bit_direct`` scalar quantizer compares a query with every copy in integer
    arithmetic, one query on one thread, reading 128 bytes a row: a quarter of float32's and
    half of bfloat16's (tried first; docs/performance.md). ``error`` bounds how far any copy
    held lies from its encoding: measured on every copy written, and never lowered until the
    screen is rebuilt (a removed row's bound may linger; that only widens a screen). The query is
    rounded to bytes too, and its own error is measured at each search.
    """

    _CHUNK = 65_536  # rows decoded at once when measuring errors, to bound temporary memory

    def __init__(self, faiss: Any) -> None:
        self._faiss = faiss
        self._index = faiss.IndexScalarQuantizer(
            ENCODING_SIZE, faiss.ScalarQuantizer.QT_8bit_direct, faiss.METRIC_L2
        )
        self.error = 0.0

    @classmethod
    def build(cls, vectors: np.ndarray) -> _ByteScreen | None:
        try:
            import faiss
        except ImportError:  # pragma: no cover - faiss-cpu is a dependency
            return None
        screen = cls(faiss)
        screen.append(vectors)
        return screen

    def _codes(self) -> np.ndarray:
        """The index's codes as a writable ``(ntotal, 128)`` uint8 view (valid until resized)."""
        codes = self._index.codes
        flat = self._faiss.rev_swig_ptr(codes.data(), codes.size())
        return flat.reshape(self._index.ntotal, ENCODING_SIZE)

    def _measure(self, vectors: np.ndarray, codes: np.ndarray) -> None:
        for start in range(0, vectors.shape[0], self._CHUNK):
            copies = _from_bytes(codes[start : start + self._CHUNK])
            original = vectors[start : start + self._CHUNK].astype(np.float64)
            error = float(np.linalg.norm(original - copies, axis=1).max())
            # Rounded up past float64's own rounding; a clipped outlier only widens screens.
            self.error = max(self.error, error * (1 + 1e-9) + 1e-12)

    def append(self, vectors: np.ndarray) -> None:
        start = self._index.ntotal
        for first in range(0, vectors.shape[0], self._CHUNK):
            self._index.add(_to_bytes(vectors[first : first + self._CHUNK]))
        self._measure(vectors, self._codes()[start:])

    def replace(self, row: int, vector: np.ndarray) -> None:
        code = self._index.sa_encode(_to_bytes(vector.reshape(1, -1)))
        self._codes()[row] = code[0]
        self._measure(vector.reshape(1, -1), code)

    def move(self, source: int, target: int) -> None:
        codes = self._codes()
        codes[target] = codes[source]

    def truncate(self, size: int) -> None:
        self._index.codes.resize(size * self._index.code_size)
        self._index.ntotal = size

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, float]:
        """The ``k`` nearest rows by the distance between byte copies, nearest first, as
        (distances in encoding units, rows, how far the query's own copy lies from it).

        One query is scanned by one thread anyway, but FAISS still opens an OpenMP team for it,
        whose closing barrier waits for the other core; when that core is busy, the wait is a
        scheduler tick or more (docs/performance.md). So the team
        is one thread, for this calling thread only (OpenMP's thread count is per thread).
        """
        copy = _to_bytes(query.reshape(1, -1))
        query_error = float(np.linalg.norm(query.astype(np.float64) - _from_bytes(copy[0])))
        faiss = self._faiss
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            squared, rows = self._index.search(copy, k)
        finally:
            faiss.omp_set_num_threads(threads)
        # Sums of squared byte differences: whole numbers, exact in float32 (under 2²⁴).
        distances = np.sqrt(np.maximum(squared[0].astype(np.float64), 0.0)) / _BYTE_SCALE
        return distances, rows[0], query_error * (1 + 1e-9) + 1e-12


class FaissHNSWGallery(Gallery):
    """Approximate search with a FAISS HNSW graph behind the same interface.

    The graph is walked on one byte per number (``IndexHNSWSQ`` with ``QT_8bit_direct``): each
    encoding is mapped from ±0.75, which covers dlib encodings (about ±0.5), onto the integers
    0-255, and FAISS then compares a query with a photo in integer arithmetic on the bytes
    themselves. That is a quarter of the memory traffic of float32, and faster to search and to
    build than 8-bit codes decoded to floats (``QT_8bit``; figures: docs/performance.md). The
    scale is fixed, not trained on the first photos added: a gallery grows a case at a time,
    and a scale trained on a handful of photos would flatten everyone else. Numbers beyond the
    range are clipped for the graph only.

    The candidates the graph finds, ``refine_factor`` times as many as asked for, are then
    re-ranked on the float32 encodings kept beside it, so distances and order are exact among
    them whatever the bytes lost.

    HNSW graphs cannot delete nodes, so a removed item becomes a tombstone that every search
    filters out (a FAISS ``IDSelector``), and once tombstones pass ``rebuild_fraction`` of the
    graph it is rebuilt from the live vectors. Replacing an id's encoding is a removal plus an add.

    ``m`` (links per node) and ``ef_construction`` set graph quality and build time;
    ``ef_search`` (candidates examined per query) trades latency for recall: more links cost build
    time and memory but buy more recall per millisecond, and the graph, not the re-ranking,
    limits recall. The defaults (m=96, efSearch 80) and the alternatives measured and not
    adopted: docs/performance.md.
    """

    def __init__(
        self,
        *,
        m: int = 96,
        ef_construction: int = 128,
        ef_search: int = 80,  # recall over speed: a missed neighbour may be a missed child
        refine_factor: int = 4,
        rebuild_fraction: float = 0.25,
    ) -> None:
        import faiss  # optional at scale; the exact gallery needs no FAISS

        self._faiss = faiss
        self.m = m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.refine_factor = refine_factor
        self.rebuild_fraction = rebuild_fraction
        self._graph = self._new_graph()
        self._vectors = np.empty((0, ENCODING_SIZE), dtype=np.float32)  # row = graph position
        self._ids: list[str | None] = []  # FAISS position -> id; None once removed
        self._position_of: dict[str, int] = {}
        self._tombstones: set[int] = set()
        self._selector: Any = None  # rebuilt lazily after removals
        self._parameters: Any = None  # (efSearch, SearchParametersHNSW), reused by searches

    def _new_graph(self) -> Any:
        graph = self._faiss.IndexHNSWSQ(
            ENCODING_SIZE, self._faiss.ScalarQuantizer.QT_8bit_direct, self.m
        )
        graph.hnsw.efConstruction = self.ef_construction
        return graph

    def __len__(self) -> int:
        return len(self._position_of)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._position_of

    def add(self, ids: Sequence[str], encodings: Any) -> None:
        ids = _checked_ids(ids)
        array = _as_encodings(encodings, len(ids))
        self._bury([item_id for item_id in ids if item_id in self._position_of])
        self._append(ids, array)
        self._maybe_rebuild()

    def _append(self, ids: list[str], array: np.ndarray) -> None:
        start = self._graph.ntotal
        self._reserve(start + len(ids))
        self._graph.add(_to_bytes(array))
        self._vectors[start : start + len(ids)] = array
        for offset, item_id in enumerate(ids):
            self._position_of[item_id] = start + offset
            self._ids.append(item_id)

    def _reserve(self, size: int) -> None:
        capacity = self._vectors.shape[0]
        if size <= capacity:
            return
        grown = np.empty((max(size, 2 * capacity, 1024), ENCODING_SIZE), dtype=np.float32)
        grown[:capacity] = self._vectors
        self._vectors = grown

    def remove(self, ids: Iterable[str]) -> int:
        removed = self._bury(ids)
        self._maybe_rebuild()
        return removed

    def _bury(self, ids: Iterable[str]) -> int:
        removed = 0
        for item_id in ids:
            position = self._position_of.pop(item_id, None)
            if position is None:
                continue
            self._ids[position] = None
            self._tombstones.add(position)
            removed += 1
        if removed:
            self._selector = self._parameters = None
        return removed

    def _maybe_rebuild(self) -> None:
        total = self._graph.ntotal
        if self._tombstones and len(self._tombstones) > self.rebuild_fraction * total:
            self.rebuild()

    def rebuild(self) -> None:
        """Rebuild the graph from the live vectors, dropping every tombstone."""
        live = np.array(sorted(self._position_of.values()), dtype=np.int64)
        ids = [self._ids[position] for position in live]
        vectors = self._vectors[live]
        self._graph = self._new_graph()
        self._vectors = np.empty((0, ENCODING_SIZE), dtype=np.float32)
        self._ids, self._position_of, self._tombstones = [], {}, set()
        self._selector = self._parameters = None
        if live.size:
            self._append(ids, vectors)

    def _search_parameters(self, k: int) -> Any:
        ef_search = max(self.ef_search, k * self.refine_factor)
        if self._parameters is not None and self._parameters[0] == ef_search:
            return self._parameters[1]
        parameters = self._faiss.SearchParametersHNSW()
        parameters.efSearch = ef_search
        if self._tombstones:
            if self._selector is None:
                buried = np.fromiter(self._tombstones, dtype=np.int64, count=len(self._tombstones))
                batch = self._faiss.IDSelectorBatch(buried)
                # Keep the inner selector alive as long as the outer one (SWIG does not).
                self._selector = (self._faiss.IDSelectorNot(batch), batch)
            parameters.sel = self._selector[0]
        self._parameters = (ef_search, parameters)
        return parameters

    def search(self, encoding: Any, k: int) -> list[Hit]:
        return self._search(_as_encodings(encoding, 1), k)[0]

    def search_many(self, encodings: Any, k: int) -> list[list[Hit]]:
        return self._search(_as_encodings(encodings), k)

    def _search(self, queries: np.ndarray, k: int) -> list[list[Hit]]:
        k = min(int(k), len(self._position_of))
        if k <= 0:
            return [[] for _ in range(queries.shape[0])]
        wanted = min(k * self.refine_factor, self._graph.ntotal)
        _, found = self._graph.search(_to_bytes(queries), wanted, params=self._search_parameters(k))
        results = []
        for query, positions in zip(queries, found, strict=True):
            positions = positions[positions >= 0]
            exact = _exact_distances(self._vectors, positions, query)
            order = np.lexsort((positions, exact))[:k]
            results.append([(self._ids[positions[i]], float(exact[i])) for i in order])
        return results
