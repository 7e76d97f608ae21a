#!/usr/bin/env python3
"""The kit of tests/vectors/rfc8725.py (the RFC 8725 checklist generator): the public keys that
must never become HMAC secrets, key entries, expectations and the case/row builders. Standard
library only; tokens are minted by generate.py's helpers (Python's hmac, fixed secrets and times).
"""

import base64
import json
import os
import sys

from generate import (  # noqa: F401 (re-exported to rfc8725.py)
    ATTACKER, P, RFC7515_A5_TOKEN, S256, S256B, S384, S512, T, b64u, decoded, mac, seg, set_sig, sig_of,
    tok,
)

EXP = T + 600

# ---------------------------------------------------------------------------------------------
# Public keys that must never become HMAC secrets (RFC 8725 §3.1/§3.5; CVE-2015-9235 and kin).

# RFC 7515 Appendix A.3 / RFC 7517 Appendix A.1: the P-256 public key of the ES256 example.
EC_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
EC_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
EC_JWK = '{"kty":"EC","crv":"P-256","x":"%s","y":"%s"}' % (EC_X, EC_Y)

# Wycheproof rsa_signature_2048_sha256_test.json, testGroups[0].publicKeyPem (C2SP/wycheproof at
# dac1dd47, Apache License 2.0): a real RSA-2048 public key.
RSA_SPKI_PEM = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAorRRoH0KpfluRVZxUTVQ
UUqKW0YuvvcXCU+h/ugiJOY3+XRtP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQ
l7WrOTGJ25JRLtincRoSU/rNIPecFegkfz0+QuRuSMmOJUov6XZTE6A+/48X4aAp
OXofomqNzib0kO2BKZYV2YFMItphBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7O
a0wDFFtdNJXU7VQR64eNrwX9evw+Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg
2Pn4Xnl1AF2bwixOWsD3waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K5
1QIDAQAB
-----END PUBLIC KEY-----
"""

# A self-signed P-256 certificate made once for this suite with OpenSSL 3.0
# (`openssl req -x509 -newkey ec ...`); its private key was discarded.
CERT_PEM = """-----BEGIN CERTIFICATE-----
MIIBhDCCASqgAwIBAgIBATAKBggqhkjOPQQDAjAhMR8wHQYDVQQDDBZqd3Qtd2Fz
bSByZmM4NzI1IHN1aXRlMB4XDTI2MTIwMTIzMjgyMVoXDTM2MTEyODIzMjgyMVow
ITEfMB0GA1UEAwwWand0LXdhc20gcmZjODcyNSBzdWl0ZTBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABGNrAnJPL0bQ7T+vslM/Cu7U8VYSxMdx1VFegfMppcGfY9sm
28izzHUHAMtsE6yU7wn5VnQ0Fno/p1Xn/BkWXx+jUzBRMB0GA1UdDgQWBBSoQeLN
hsxAgMdBxUbU532biGo0YDAfBgNVHSMEGDAWgBSoQeLNhsxAgMdBxUbU532biGo0
YDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQD7we9p3fCpz+iy
6lxIEQSGZ+8uAHkGIKhHUiXW3qzhBAIgIRIQQpMLmcVf2icZ/MSRuRTqEtAgUfYI
raHn8oxXaAI=
-----END CERTIFICATE-----
"""


def b64u_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def pem(label: str, body: bytes) -> str:
    text = base64.b64encode(body).decode("ascii")
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def ec_spki_pem() -> str:
    """The RFC 7515 A.3 key as an X.509 SubjectPublicKeyInfo PEM, checked to lie on P-256."""
    x, y = b64u_decode(EC_X), b64u_decode(EC_Y)
    p = 2**256 - 2**224 + 2**192 + 2**96 - 1
    b = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
    xi, yi = int.from_bytes(x, "big"), int.from_bytes(y, "big")
    assert (yi * yi - (xi**3 - 3 * xi + b)) % p == 0, "RFC 7515 A.3 key is not on P-256"
    ec_public_key = bytes.fromhex("06072a8648ce3d0201")  # OID 1.2.840.10045.2.1
    prime256v1 = bytes.fromhex("06082a8648ce3d030107")  # OID 1.2.840.10045.3.1.7
    spki = der(0x30, der(0x30, ec_public_key + prime256v1) + der(0x03, b"\x00\x04" + x + y))
    return pem("PUBLIC KEY", spki)


def rsa_pkcs1_pem() -> str:
    """The Wycheproof RSA key's inner RSAPublicKey (PKCS#1), the framing CVE-2023-48223 missed."""
    body = base64.b64decode("".join(RSA_SPKI_PEM.strip().splitlines()[1:-1]))

    def read(buf, i):
        tag, n = buf[i], buf[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(buf[i:i + k], "big")
            i += k
        return tag, buf[i:i + n], i + n

    tag, spki, _ = read(body, 0)
    assert tag == 0x30
    tag, _alg, i = read(spki, 0)
    assert tag == 0x30
    tag, bits, _ = read(spki, i)
    assert tag == 0x03 and bits[0] == 0
    assert bits[1] == 0x30
    return pem("RSA PUBLIC KEY", bits[1:])


def ssh_ed25519() -> str:
    """The RFC 8032 §7.1 TEST 1 Ed25519 public key in OpenSSH's authorized_keys form
    (the key formats PyJWT missed, CVE-2022-29217)."""
    pub = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    field = lambda b: len(b).to_bytes(4, "big") + b  # noqa: E731
    return "ssh-ed25519 " + base64.b64encode(field(b"ssh-ed25519") + field(pub)).decode() + " rfc8032-test-1\n"


EC_PEM = ec_spki_pem()
SSH_ED25519 = ssh_ed25519()
RSA_PKCS1_PEM = rsa_pkcs1_pem()

# ---------------------------------------------------------------------------------------------
# Keys, options, expectations


def k(alg="HS256", secret=S256, kid=None, issuer=None, hex=False):
    e = {"alg": alg}
    if kid is not None:
        e["kid"] = kid
    if issuer is not None:
        e["issuer"] = issuer
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    e["secret"] = {"hex": raw.hex()} if hex or isinstance(secret, bytes) else {"utf8": secret}
    return e


def ok(token):
    h, p = decoded(token)
    return {"header": h, "payload": p}


def refused(code):
    return {"stage": "construct", "code": code}


def fails(code, claim=None, reason=None):
    e = {"stage": "verify", "code": code}
    if claim is not None:
        e["claim"], e["reason"] = claim, reason
    return e


ALG = fails("ERR_JOSE_ALG_NOT_ALLOWED")
SIG = fails("ERR_JWS_SIGNATURE_VERIFICATION_FAILED")
NO_KEY = fails("ERR_JWKS_NO_MATCHING_KEY")
NOT_SUPPORTED = fails("ERR_JOSE_NOT_SUPPORTED")
JWS_INVALID = fails("ERR_JWS_INVALID")
JWT_INVALID = fails("ERR_JWT_INVALID")
OPTIONS = refused("ERR_INVALID_OPTIONS")
KEY = refused("ERR_KEY_INVALID")


def claim(name, reason="check_failed"):
    return fails("ERR_JWT_CLAIM_VALIDATION_FAILED", name, reason)


def case(name, proves, token, expect, keys=None, options=None, now=T, only=None):
    c = {
        "name": name,
        "proves": proves,
        "keys": [k()] if keys is None else keys,
        "options": {"algorithms": ["HS256"]} if options is None else options,
        "token": token,
        "now": now,
        "expect": expect,
    }
    if only is not None:
        c["only"], c["why"] = "js", only
    return c


def row(n, section, threat, requirement, stance, cases):
    return {"row": n, "section": section, "threat": threat, "requirement": requirement, "stance": stance,
            "cases": cases}


def kt(header, payload=None, secret=S256, alg=None):
    return tok(header=header, payload=payload, secret=secret, alg=alg)


HS = ["HS256", "HS384", "HS512"]
GOOD = tok()


def write_or_check(text: str, out: str, argv) -> int:
    """Writes `text` to `out`, or with --check exits 1 when the file on disk differs."""
    name = os.path.basename(out)
    if "--check" in argv:
        try:
            with open(out, encoding="utf-8") as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        if not same:
            print(f"out of date (run python3 tests/vectors/rfc8725.py): {name}", file=sys.stderr)
        return 0 if same else 1
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    doc = json.loads(text)
    print(f"{name}: {len(doc['rows'])} rows, {sum(len(r['cases']) for r in doc['rows'])} cases")
    return 0
