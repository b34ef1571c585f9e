"""Bundles: what one node signs is what the other reads; a change, a gap or a replay is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bundles.acks import ack_sender, is_ack, read_ack, write_ack
from bundles.chain import accept
from bundles.codec import MAX_RECORDS, read_bundle, read_header, write_bundle
from bundles.errors import (
    BundleError,
    GapInChain,
    MalformedBundle,
    ReplayedBundle,
    TamperedBundle,
)
from bundles.keys import NodeKey, PublicKey
from bundles.model import Ledger, Record

MOMENT = datetime(2026, 12, 8, 6, 40, tzinfo=UTC)


@cache
def post_key() -> NodeKey:
    return NodeKey.generate()


def records(count: int = 2) -> list[Record]:
    return [
        Record(
            "crossing",
            f"00000000-0000-4000-8000-{n:012d}",
            MOMENT + timedelta(minutes=n),
            {"decision": "admitted", "name": "ÅSA <ÖBERG>", "n": n},
        )
        for n in range(count)
    ]


def bundle_bytes(sequence: int = 1, previous: str = "", items: list[Record] | None = None):
    return write_bundle(
        post_key(),
        sender="post:NBO",
        receiver="hq",
        sequence=sequence,
        previous=previous,
        created_at=MOMENT,
        records=records() if items is None else items,
    )


def test_what_is_signed_is_what_is_read() -> None:
    bundle = read_bundle(bundle_bytes(), post_key().public)
    assert (bundle.sender, bundle.receiver, bundle.sequence, bundle.previous) == (
        "post:NBO",
        "hq",
        1,
        "",
    )
    assert bundle.records == tuple(records())
    assert len(bundle.digest) == 64


def test_an_empty_bundle_is_a_bundle() -> None:
    assert read_bundle(bundle_bytes(items=[]), post_key().public).records == ()


def test_another_nodes_key_does_not_verify() -> None:
    with pytest.raises(TamperedBundle, match="signature: not signed by post:NBO's key"):
        read_bundle(bundle_bytes(), NodeKey.generate().public)


@pytest.mark.parametrize(
    ("change", "part"),
    [
        (lambda b: b.replace(b'"admitted"', b'"refused!"', 1), "signature"),
        (lambda b: b.replace(b'"sequence":1', b'"sequence":2', 1), "signature"),
        (lambda b: b.replace(b'"records":2', b'"records":1', 1), "records"),
    ],
)
def test_a_changed_bundle_is_refused_naming_the_part(change, part) -> None:
    with pytest.raises(TamperedBundle) as raised:
        read_bundle(change(bundle_bytes()), post_key().public)
    assert raised.value.part == part


def test_a_bundle_cut_short_is_refused() -> None:
    data = bundle_bytes()
    with pytest.raises(BundleError):
        read_bundle(data[: len(data) // 2], post_key().public)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_changed_byte_is_refused(data) -> None:
    original = bundle_bytes()
    position = data.draw(st.integers(0, len(original) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda v: v != original[position]))
    changed = original[:position] + bytes([value]) + original[position + 1 :]
    with pytest.raises(BundleError):
        read_bundle(changed, post_key().public)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_refused_as_a_bundle_error(data: bytes) -> None:
    with pytest.raises(BundleError):
        read_bundle(data, post_key().public)


def test_the_chain_takes_each_bundle_once_and_in_order() -> None:
    first = read_bundle(bundle_bytes(1), post_key().public)
    second = read_bundle(bundle_bytes(2, first.digest), post_key().public)
    third = read_bundle(bundle_bytes(3, second.digest), post_key().public)
    ledger = accept(Ledger(), first, "hq")
    with pytest.raises(GapInChain, match="expected bundle 2, got 3"):
        accept(ledger, third, "hq")
    ledger = accept(ledger, second, "hq")
    with pytest.raises(ReplayedBundle):
        accept(ledger, first, "hq")
    with pytest.raises(ReplayedBundle):
        accept(ledger, second, "hq")
    assert accept(ledger, third, "hq") == Ledger(3, third.digest)


def test_a_forked_chain_and_a_misdirected_bundle_are_refused() -> None:
    first = read_bundle(bundle_bytes(1), post_key().public)
    fork = read_bundle(bundle_bytes(2, "0" * 64), post_key().public)
    with pytest.raises(TamperedBundle, match="previous"):
        accept(accept(Ledger(), first, "hq"), fork, "hq")
    with pytest.raises(TamperedBundle, match="receiver: addressed to hq, not post:NMG"):
        accept(Ledger(), first, "post:NMG")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 6), max_size=30))
def test_whatever_the_delivery_order_the_receiver_ends_with_each_bundle_once(order) -> None:
    # Six bundles delivered in any order, any number of times: the receiver applies exactly the
    # ones that come next, each once, and the rest are refused without changing anything.
    made, previous = {}, ""
    for sequence in range(1, 7):
        bundle = read_bundle(bundle_bytes(sequence, previous), post_key().public)
        made[sequence], previous = bundle, bundle.digest
    ledger, applied = Ledger(), []
    for sequence in [*order, 1, 2, 3, 4, 5, 6]:  # then the link heals: everything is resent
        try:
            ledger = accept(ledger, made[sequence], "hq")
        except (GapInChain, ReplayedBundle):
            continue
        applied.append(sequence)
    assert applied == [1, 2, 3, 4, 5, 6]
    assert ledger == Ledger(6, made[6].digest)


def test_the_header_is_read_before_the_key_is_chosen() -> None:
    assert read_header(bundle_bytes())["sender"] == "post:NBO"
    with pytest.raises(MalformedBundle, match="line 1: format"):
        read_header(b'{"format":"other"}\n')


def test_bounds_are_kept_on_both_sides() -> None:
    with pytest.raises(ValueError, match="at most"):
        write_bundle(
            post_key(), sender="a", receiver="b", sequence=1, previous="",
            created_at=MOMENT, records=[records(1)[0]] * (MAX_RECORDS + 1),
        )  # fmt: skip
    header = bundle_bytes().split(b"\n", 1)[0].replace(b'"records":2', b'"records":99999999')
    with pytest.raises(MalformedBundle, match="more than"):
        read_header(header + b"\n")


def test_a_key_is_saved_for_its_owner_only_and_read_back(tmp_path: Path) -> None:
    key = NodeKey.generate()
    path = tmp_path / "node.key"
    key.save(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert NodeKey.load(path).public.fingerprint() == key.public.fingerprint()
    with pytest.raises(FileExistsError):
        key.save(path)
    public = PublicKey.from_pem(key.public.pem())
    assert public.fingerprint() == key.public.fingerprint()


def test_an_acknowledgement_is_signed_and_says_how_far() -> None:
    hq = NodeKey.generate()
    data = write_ack(hq, sender="hq", receiver="NBO", sequence=7, digest="ab" * 32,
                     created_at=MOMENT)  # fmt: skip
    assert is_ack(data) and not is_ack(bundle_bytes())
    assert ack_sender(data) == "hq"
    ack = read_ack(data, hq.public)
    assert (ack.sender, ack.receiver, ack.sequence, ack.digest) == ("hq", "NBO", 7, "ab" * 32)
    with pytest.raises(TamperedBundle, match="signature"):
        read_ack(data.replace(b'"sequence":7', b'"sequence":9'), hq.public)
    with pytest.raises(TamperedBundle, match="signature"):
        read_ack(data, post_key().public)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_refused_as_an_acknowledgement(data: bytes) -> None:
    with pytest.raises(BundleError):
        read_ack(data, post_key().public)


def test_a_signature_spelt_another_way_is_refused() -> None:
    """Base64's last character before '=' carries ignored bits; another spelling is a change."""
    original = bundle_bytes()
    found = re.search(rb'"signature":"([^"]+)"', original)
    assert found is not None
    signature = found.group(1).decode()
    assert signature.endswith("==")  # Ed25519: 64 bytes, 4 bits ignored in the last character
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(signature[-3])
    respelt = signature[:-3] + alphabet[last ^ 1] + "=="
    changed = original.replace(signature.encode(), respelt.encode())
    with pytest.raises(BundleError):
        read_bundle(changed, post_key().public)
