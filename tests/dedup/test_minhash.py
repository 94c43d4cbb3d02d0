"""Shingles, signatures and the LSH candidate search, on invented sentences."""

from __future__ import annotations

import zlib

import numpy as np

from storyline.dedup.minhash import (
    BandedLSH,
    CandidateIndex,
    content_set,
    from_blob,
    hashed_text,
    jaccard,
    signature,
    signatures,
    to_blob,
    tokens,
)

HARBOUR = (
    "The harbour authority in Port Velmar closed the northern quay on Monday after a crane "
    "collapsed onto two fishing boats. Nobody was hurt, the authority said, but repairs will "
    "take at least three weeks and the ferry to the islands will sail from the southern pier. "
    "Fishermen's leaders asked the city council for compensation for the lost catch."
)
HARBOUR_EDITED = HARBOUR.replace("Monday", "Tuesday").replace("three weeks", "four weeks")
HARBOUR_REWORDED = (
    "A crane fell onto two fishing boats in Port Velmar on Monday, and the harbour authority "
    "shut the northern quay. The authority reported no injuries; repairs on the quay will need "
    "three weeks or more, so island ferries will leave from the southern pier. Leaders of the "
    "fishermen want the city council to compensate them for the lost catch."
)
UNRELATED = (
    "The orchestra of Lindholm announced a winter season of seven concerts, opening with a "
    "programme of early organ music in the cathedral and closing with a choir festival."
)


def _sigs(text: str):
    return signatures(hashed_text(text))


def test_shingles_ignore_case_and_punctuation():
    assert np.array_equal(
        hashed_text("The Quay, closed!").shingles, hashed_text("the quay closed").shingles
    )
    assert len(hashed_text("one two three four five").shingles) == 2
    assert len(hashed_text("one two three four one two three four").shingles) == 4


def test_content_set_drops_stop_words():
    assert content_set(tokens("The crane fell onto the boats")) == {"crane", "fell", "boats"}
    assert len(hashed_text("The crane fell onto the boats").content) == 3


def test_exact_jaccard_of_hashed_sets():
    a, b = hashed_text(HARBOUR).shingles, hashed_text(HARBOUR_EDITED).shingles
    assert jaccard(a, a) == 1.0
    assert 0.6 < jaccard(a, b) < 1.0
    assert jaccard(a, hashed_text(UNRELATED).shingles) == 0.0
    assert jaccard(a, hashed_text("").shingles) == 0.0


def test_signatures_survive_the_store_round_trip():
    sigs = _sigs(HARBOUR)
    assert sigs.shingles is not None
    restored = from_blob(to_blob(sigs.shingles))
    assert restored is not None
    assert restored.jaccard(sigs.shingles) == 1.0


def test_empty_text_has_no_signature():
    assert _sigs("").shingles is None
    assert to_blob(None) is None and from_blob(None) is None


def test_the_near_index_finds_an_edited_copy_but_not_a_rewording():
    index = CandidateIndex()
    index.add("original", _sigs(HARBOUR))
    index.add("other", _sigs(UNRELATED))
    assert index.near_candidates(_sigs(HARBOUR_EDITED), limit=5) == ["original"]
    assert index.near_candidates(_sigs(HARBOUR_REWORDED), limit=5) == []


def test_candidates_are_capped_closest_first():
    index = CandidateIndex()
    index.add("b-far", _sigs(HARBOUR_EDITED.replace("fishing boats", "small yachts")))
    index.add("a-copy", _sigs(HARBOUR))
    index.add("c-edited", _sigs(HARBOUR_EDITED))
    assert index.near_candidates(_sigs(HARBOUR), limit=2) == ["a-copy", "c-edited"]
    assert index.near_candidates(_sigs(HARBOUR), limit=1) == ["a-copy"]


def test_the_content_index_finds_a_rewording():
    index = CandidateIndex()
    index.add("original", _sigs(HARBOUR))
    index.add("other", _sigs(UNRELATED))
    assert index.rewrite_candidates(_sigs(HARBOUR_REWORDED), limit=5) == ["original"]
    assert index.rewrite_candidates(_sigs(HARBOUR_REWORDED), limit=0) == []


def test_signatures_equal_datasketch_minhash():
    # Stored signatures must stay what datasketch's own MinHash computes (same scheme).
    from datasketch import MinHash

    from storyline.dedup.minhash import NUM_PERM, SCHEME, SEED

    for hashes in (hashed_text(HARBOUR).shingles, hashed_text(HARBOUR).content):
        reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
        reference.update_batch(hashes.tolist())
        ours = signature(hashes)
        assert ours is not None
        assert np.array_equal(ours.hashvalues, reference.hashvalues)


def test_band_keys_and_candidates_match_datasketch():
    from datasketch import MinHashLSH

    from storyline.dedup.minhash import NUM_PERM

    ours = BandedLSH(num_perm=NUM_PERM, threshold=0.5)
    theirs = MinHashLSH(num_perm=NUM_PERM, threshold=0.5)
    texts = {"original": HARBOUR, "edited": HARBOUR_EDITED, "other": UNRELATED}
    for key, text in texts.items():
        sig = _sigs(text).shingles
        assert sig is not None
        ours.add(key, sig)
        theirs.insert(key, sig)
        assert ours.band_keys(sig) == [
            theirs._H(sig.hashvalues[start:end]) for start, end in theirs.hashranges
        ]
    for text in (HARBOUR, HARBOUR_REWORDED, UNRELATED):
        query = _sigs(text).shingles
        assert query is not None
        assert ours.candidates(query) == set(theirs.query(query))
    harbour = _sigs(HARBOUR).shingles
    assert harbour is not None
    assert ours.candidates(harbour) == {"original", "edited"}


def test_fast_word_path_agrees_with_the_regex_on_non_ascii_text():
    for text in (HARBOUR, "Ærø's ferry, Café Noir and the naïve mayor: 2,5 km — x é ok_1"):
        assert hashed_text(text).content.tolist() == sorted(
            {zlib.crc32(word.encode()) for word in content_set(tokens(text))}
        )
    # "é" is one character, so not a content word, though it is two bytes in UTF-8.
    assert len(hashed_text("é café").content) == 1
