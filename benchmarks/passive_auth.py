"""Passive Authentication per document on one core, with a 300-CSCA trust store of mixed keys.

Run: taskset -c 1 .venv/bin/python benchmarks/passive_auth.py [--cscas 300] [--documents 300]
The store holds one CSCA per state: RSA PKCS#1 v1.5 and RSA-PSS (2048 bits), ECDSA P-256,
brainpoolP256r1 and brainpoolP384r1; each CSCA has a CRL. Each document has its own DSC (of its
CSCA's family) and an EF.SOD over DG1 and a 15 kB DG2. Every document is verified with the
indexed store and, interleaved, with the obvious alternative: find the DSC's issuer by trying
every CSCA of the store by signature verification (a linear scan). CPU time per document.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import time
from datetime import date

from cryptography import x509

from chip.build_pki import (
    build_sod,
    ec_key,
    make_crl,
    make_csca,
    make_dg1,
    make_dg2,
    make_dsc,
    rsa_key,
)
from chip.files import ChipFiles
from chip.passive_auth import verify_chip
from chip.trust import TrustStore

TODAY = date(2026, 5, 1)
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10"
FAMILIES = ["pkcs1", "pss", "p256", "bp256", "bp384"]


class LinearStore(TrustStore):
    """The store without its index: every CSCA is a candidate issuer, tried by signature."""

    def issuers_of(self, item: x509.Certificate | x509.CertificateRevocationList):
        return self.authorities


def key_of(family: str, slot: int):
    if family in ("pkcs1", "pss"):
        return rsa_key(slot)
    return ec_key(
        {"p256": "secp256r1", "bp256": "brainpoolP256r1", "bp384": "brainpoolP384r1"}[family], slot
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cscas", type=int, default=300)
    ap.add_argument("--documents", type=int, default=300)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rnd = random.Random(21)
    started = time.perf_counter()
    states = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase][: args.cscas]
    cscas, crls = [], []
    for number, state in enumerate(states):
        family = FAMILIES[number % len(FAMILIES)]
        scheme = family if family in ("pkcs1", "pss") else "ecdsa"
        csca = make_csca(state, key_of(family, 2 * number), scheme)  # type: ignore[arg-type]
        cscas.append((csca, family, scheme))
        crls.append(make_crl(csca, [rnd.randrange(1 << 20) for _ in range(20)], family=scheme))  # type: ignore[arg-type]
    store = TrustStore.build([c.certificate for c, _, _ in cscas], crls)
    linear = LinearStore.build([c.certificate for c, _, _ in cscas], crls)
    documents = []
    for number in range(args.documents):
        csca, family, scheme = rnd.choice(cscas)
        index = cscas.index((csca, family, scheme))
        dsc = make_dsc(csca, key_of(family, 2 * index + 1), scheme, serial=10_000 + number)  # type: ignore[arg-type]
        groups = {1: make_dg1(MRZ), 2: make_dg2(15_000, seed=number)}
        sod = build_sod(groups, dsc.key, dsc.certificate, signature=scheme)  # type: ignore[arg-type]
        documents.append((family, ChipFiles(sod=sod, groups=groups)))
    print(
        f"built {len(cscas)} CSCAs, {len(documents)} documents"
        f" in {time.perf_counter() - started:.0f} s"
    )
    timings: dict[str, list[float]] = {"indexed": [], "linear": []}
    by_family: dict[str, list[float]] = {f: [] for f in FAMILIES}
    for family, files in documents:
        for name, chosen in (("indexed", store), ("linear", linear)):
            cpu = time.thread_time()
            result = verify_chip(files, chosen, TODAY)
            spent = time.thread_time() - cpu
            assert result.status == "verified", result.checks
            timings[name].append(spent)
            if name == "indexed":
                by_family[family].append(spent)
    print(f"{'store':10s} {'median ms':>10s} {'p99 ms':>8s} {'mean ms':>8s}")
    for name, spent in timings.items():
        ordered = sorted(spent)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(
            f"{name:10s} {statistics.median(spent) * 1000:>10.2f} {p99 * 1000:>8.2f}"
            f" {statistics.mean(spent) * 1000:>8.2f}"
        )
    for family, spent in by_family.items():
        if spent:
            print(f"  indexed, {family:6s} median {statistics.median(spent) * 1000:.2f} ms")
    ratio = statistics.median(timings["linear"]) / statistics.median(timings["indexed"])
    print(f"ratio linear / indexed (median CPU): {ratio:.1f}x")


if __name__ == "__main__":
    main()
