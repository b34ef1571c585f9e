"""Public keys of certificates, explicit EC domain parameters mapped to the named curve they equal.

Many CSCAs and DSCs (BSI TR-03110 style) carry EC keys with *explicit* domain parameters
(p, a, b, G, n, h) instead of a curve OID; `cryptography` refuses those. ICAO Doc 9303 Part 12
§4.4 allows them, so we compare them with the parameters of the curves Doc 9303 names (NIST
P-224..P-521, brainpoolP224r1..P512r1) and load the key on the curve they equal; anything else
is refused with `AlgorithmError`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from chip.errors import AlgorithmError

# The key types a CSCA, DSC or master-list signer may have (Doc 9303 Part 12 §4.4).
VerifyingKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def _int(hex_digits: str) -> int:
    return int(hex_digits, 16)


@dataclass(frozen=True, slots=True)
class _Curve:
    """A named prime curve and its domain parameters (SEC 2, RFC 5639)."""

    name: str
    curve: ec.EllipticCurve
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int


# Generated from `openssl ecparam -name <curve> -param_enc explicit`.
CURVES: tuple[_Curve, ...] = (
    _Curve(
        "secp224r1",
        ec.SECP224R1(),
        p=_int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001"),
        a=_int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE"),
        b=_int("B4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4"),
        gx=_int("B70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21"),
        gy=_int("BD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34"),
        n=_int("FFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D"),
    ),
    _Curve(
        "prime256v1",
        ec.SECP256R1(),
        p=_int("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF"),
        a=_int("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC"),
        b=_int("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B"),
        gx=_int("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
        gy=_int("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"),
        n=_int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
    ),
    _Curve(
        "secp384r1",
        ec.SECP384R1(),
        p=_int(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF"
            "0000000000000000FFFFFFFF"
        ),
        a=_int(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF"
            "0000000000000000FFFFFFFC"
        ),
        b=_int(
            "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D"
            "8A2ED19D2A85C8EDD3EC2AEF"
        ),
        gx=_int(
            "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25D"
            "BF55296C3A545E3872760AB7"
        ),
        gy=_int(
            "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE"
            "1D7E819D7A431D7C90EA0E5F"
        ),
        n=_int(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB2"
            "48B0A77AECEC196ACCC52973"
        ),
    ),
    _Curve(
        "secp521r1",
        ec.SECP521R1(),
        p=_int(
            "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
        ),
        a=_int(
            "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC"
        ),
        b=_int(
            "51953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF109E1561939"
            "51EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00"
        ),
        gx=_int(
            "C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D3DBAA14B5E"
            "77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD66"
        ),
        gy=_int(
            "11839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E662C97EE7"
            "2995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD16650"
        ),
        n=_int(
            "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868"
            "783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409"
        ),
    ),
    _Curve(
        "brainpoolP224r1",
        ec.BrainpoolP224R1(),
        p=_int("D7C134AA264366862A18302575D1D787B09F075797DA89F57EC8C0FF"),
        a=_int("68A5E62CA9CE6C1C299803A6C1530B514E182AD8B0042A59CAD29F43"),
        b=_int("2580F63CCFE44138870713B1A92369E33E2135D266DBB372386C400B"),
        gx=_int("D9029AD2C7E5CF4340823B2A87DC68C9E4CE3174C1E6EFDEE12C07D"),
        gy=_int("58AA56F772C0726F24C6B89E4ECDAC24354B9E99CAA3F6D3761402CD"),
        n=_int("D7C134AA264366862A18302575D0FB98D116BC4B6DDEBCA3A5A7939F"),
    ),
    _Curve(
        "brainpoolP256r1",
        ec.BrainpoolP256R1(),
        p=_int("A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377"),
        a=_int("7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9"),
        b=_int("26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6"),
        gx=_int("8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262"),
        gy=_int("547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997"),
        n=_int("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7"),
    ),
    _Curve(
        "brainpoolP320r1",
        ec.BrainpoolP320R1(),
        p=_int("D35E472036BC4FB7E13C785ED201E065F98FCFA6F6F40DEF4F92B9EC7893EC28FCD412B1F1B32E27"),
        a=_int("3EE30B568FBAB0F883CCEBD46D3F3BB8A2A73513F5EB79DA66190EB085FFA9F492F375A97D860EB4"),
        b=_int("520883949DFDBC42D3AD198640688A6FE13F41349554B49ACC31DCCD884539816F5EB4AC8FB1F1A6"),
        gx=_int("43BD7E9AFB53D8B85289BCC48EE5BFE6F20137D10A087EB6E7871E2A10A599C710AF8D0D39E20611"),
        gy=_int("14FDD05545EC1CC8AB4093247F77275E0743FFED117182EAA9C77877AAAC6AC7D35245D1692E8EE1"),
        n=_int("D35E472036BC4FB7E13C785ED201E065F98FCFA5B68F12A32D482EC7EE8658E98691555B44C59311"),
    ),
    _Curve(
        "brainpoolP384r1",
        ec.BrainpoolP384R1(),
        p=_int(
            "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123ACD3A729"
            "901D1A71874700133107EC53"
        ),
        a=_int(
            "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F8AA5814A"
            "503AD4EB04A8C7DD22CE2826"
        ),
        b=_int(
            "4A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D57CB439029"
            "5DBC9943AB78696FA504C11"
        ),
        gx=_int(
            "1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8E826E034"
            "36D646AAEF87B2E247D4AF1E"
        ),
        gy=_int(
            "8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF99129280E464621"
            "7791811142820341263C5315"
        ),
        n=_int(
            "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7CF3AB6AF"
            "6B7FC3103B883202E9046565"
        ),
    ),
    _Curve(
        "brainpoolP512r1",
        ec.BrainpoolP512R1(),
        p=_int(
            "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA703308717D4D9B00"
            "9BC66842AECDA12AE6A380E62881FF2F2D82C68528AA6056583A48F3"
        ),
        a=_int(
            "7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC2DED5D5A"
            "A8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA"
        ),
        b=_int(
            "3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9"
            "E7C1AC4D77FC94CADC083E67984050B75EBAE5DD2809BD638016F723"
        ),
        gx=_int(
            "81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098EFF3B1F78"
            "E2D0D48D50D1687B93B97D5F7C6D5047406A5E688B352209BCB9F822"
        ),
        gy=_int(
            "7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111B2DCDE49"
            "4A5F485E5BCA4BD88A2763AED1CA2B2FA8F0540678CD1E0F3AD80892"
        ),
        n=_int(
            "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330870553E5C41"
            "4CA92619418661197FAC10471DB1D381085DDADDB58796829CA90069"
        ),
    ),
)


def _octets(value: int, size: int) -> bytes:
    return value.to_bytes(size, "big")


def _matches_base(point: bytes, curve: _Curve) -> bool:
    """Compare an encoded base point (uncompressed or compressed, SEC 1 §2.3.3) with G."""
    size = (curve.p.bit_length() + 7) // 8
    if len(point) == 1 + 2 * size and point[0] == 0x04:
        return point[1:] == _octets(curve.gx, size) + _octets(curve.gy, size)
    if len(point) == 1 + size and point[0] in (0x02, 0x03):
        return point[1:] == _octets(curve.gx, size) and (point[0] & 1) == (curve.gy & 1)
    return False


def named_curve_of(specified: asn1_keys.SpecifiedECDomain) -> _Curve:
    """Return the named curve whose p, a, b, G and n equal these explicit parameters."""
    field = specified["field_id"]
    if field["field_type"].native != "prime_field":
        raise AlgorithmError("explicit EC parameters over a binary field are not supported")
    p = field["parameters"].native
    a = int.from_bytes(specified["curve"]["a"].native, "big")
    b = int.from_bytes(specified["curve"]["b"].native, "big")
    n = specified["order"].native
    base = specified["base"].native
    for curve in CURVES:
        if (curve.p, curve.a, curve.b, curve.n) == (p, a, b, n) and _matches_base(base, curve):
            return curve
    raise AlgorithmError(
        f"explicit EC parameters ({p.bit_length()}-bit prime field) equal no curve of Doc 9303"
    )


def load_spki(spki_der: bytes) -> VerifyingKey:
    """Load a SubjectPublicKeyInfo, mapping explicit EC parameters to their named curve."""
    try:
        key = serialization.load_der_public_key(spki_der)
    except (ValueError, UnsupportedAlgorithm) as refused:
        try:
            spki = asn1_keys.PublicKeyInfo.load(spki_der)
            algorithm = spki["algorithm"]
            if algorithm["algorithm"].native != "ec":
                raise AlgorithmError(f"public key cannot be loaded: {refused}") from refused
            params = algorithm["parameters"]
            if params.name != "specified":
                raise AlgorithmError(f"EC key parameters cannot be loaded: {refused}")
            curve = named_curve_of(params.chosen)
            point = spki["public_key"].native
            return ec.EllipticCurvePublicKey.from_encoded_point(curve.curve, point)
        except (ValueError, TypeError, KeyError) as malformed:
            raise AlgorithmError(f"malformed public key: {malformed}") from malformed
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise AlgorithmError(f"{type(key).__name__} keys are not used by Doc 9303 PKIs")
    return key


@functools.lru_cache(maxsize=4096)
def public_key_of(certificate: x509.Certificate) -> VerifyingKey:
    """Return a certificate's public key, loading explicit EC parameters as their named curve."""
    try:
        key: CertificatePublicKeyTypes = certificate.public_key()
    except (ValueError, UnsupportedAlgorithm):
        der = certificate.public_bytes(serialization.Encoding.DER)
        tbs = asn1_x509.Certificate.load(der)["tbs_certificate"]
        return load_spki(tbs["subject_public_key_info"].dump())
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise AlgorithmError(f"{type(key).__name__} keys are not used by Doc 9303 PKIs")
    return key


def explicit_parameters(curve: ec.EllipticCurve) -> asn1_keys.SpecifiedECDomain:
    """Return a named curve's explicit domain parameters (to build test certificates)."""
    for known in CURVES:
        if known.curve.name == curve.name:
            size = (known.p.bit_length() + 7) // 8
            return asn1_keys.SpecifiedECDomain(
                {
                    "version": "ecdpVer1",
                    "field_id": {"field_type": "prime_field", "parameters": known.p},
                    "curve": {"a": _octets(known.a, size), "b": _octets(known.b, size)},
                    "base": b"\x04" + _octets(known.gx, size) + _octets(known.gy, size),
                    "order": known.n,
                    "cofactor": 1,
                }
            )
    raise AlgorithmError(f"{curve.name} is not a curve of Doc 9303")
