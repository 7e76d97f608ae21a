"""The pieces every vector generator of jwt-wasm shares: fixed secrets and times, base64url,
the HMAC that mints tokens, token surgery (segments, signatures, non-canonical base64), and the
case and expectation builders. Standard library only; imported by generate.py, its case modules
and rfc8725_kit.py."""

import base64
import hashlib
import hmac
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Fixed times: every "now" is T plus a multiple of 1/4 s, so `new Date(now * 1000)` in JS is exact.
T = 1_700_000_000

# Fixed secrets (UTF-8), each at least as long as its hash output (RFC 7518 §3.2).
S256 = "jwt-wasm vectors: the HS256 secret (32+ bytes)"
S256B = "jwt-wasm vectors: a second HS256 secret, 32+ B"
S384 = "jwt-wasm vectors: the HS384 secret, at least forty-eight bytes"
S512 = "jwt-wasm vectors: the HS512 secret, which must be at least sixty-four bytes long"
ATTACKER = "attacker-chosen secret of 32 or more bytes"

HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
DIGEST_LEN = {"HS256": 32, "HS384": 48, "HS512": 64}

for _s, _alg in [(S256, "HS256"), (S256B, "HS256"), (S384, "HS384"), (S512, "HS512"), (ATTACKER, "HS256")]:
    assert len(_s.encode()) >= DIGEST_LEN[_alg], (_s, _alg)

# Sources.
STEP1 = "jwt-wasm: DESIGN.md step 1 size caps and exactly three segments"
STEP2 = "jwt-wasm: DESIGN.md step 2 strict base64url"
STEP3 = "jwt-wasm: DESIGN.md step 3 header is a strict JSON object with a string alg"
STEP3_CRIT = "jwt-wasm: DESIGN.md step 3 crit, b64 and nested JWTs are refused"
STEP3_IGNORED = "jwt-wasm: DESIGN.md step 3 jku, x5u, jwk and x5c are ignored"
STEP4_ALG = "jwt-wasm: DESIGN.md step 4 header alg must be in algorithms (RFC 8725 §3.1)"
STEP4_KEY = "jwt-wasm: DESIGN.md step 4 key selection by exact kid, one algorithm per key"
STEP5 = "jwt-wasm: DESIGN.md step 5 constant-time HMAC, signature length = digest length"
STEP6 = "jwt-wasm: DESIGN.md step 6 payload is a strict JSON object"
STEP6_DUP = "jwt-wasm: DESIGN.md step 6 duplicate member names rejected (RFC 7519 §4)"
STEP6_TYPED = "jwt-wasm: DESIGN.md step 6 registered claims typed strictly (RFC 7519 §4.1)"
ORDER = "jwt-wasm: DESIGN.md fixed order of checks"
POLICY_ORDER = "jwt-wasm: Validation::validate order (identity before time)"
KEYLEN = "RFC 7518 §3.2 (key at least as long as the hash output)"


# ---------------------------------------------------------------------------------------------
# Encoding helpers


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def raw(part) -> bytes:
    """A header or payload: bytes as they are, str as UTF-8 JSON text, else compact JSON."""
    if isinstance(part, bytes):
        return part
    if isinstance(part, str):
        return part.encode("utf-8")
    return json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def secret_bytes(secret) -> bytes:
    return secret if isinstance(secret, bytes) else secret.encode("utf-8")


def mac(alg: str, secret, signing_input: str) -> bytes:
    return hmac.new(secret_bytes(secret), signing_input.encode("utf-8"), HASHES[alg]).digest()


def seg(part) -> str:
    return b64u(raw(part))


H = {"alg": "HS256", "typ": "JWT"}
P = {"sub": "user-1", "iat": T, "exp": T + 600}


def tok(header=None, payload=None, secret=S256, alg=None, hseg=None, pseg=None, sig=None) -> str:
    """A compact token. The MAC is computed over the exact segments (even malformed ones), so
    only the rule under test can reject it. `alg` defaults to the header's alg (or HS256)."""
    header = H if header is None else header
    payload = P if payload is None else payload
    h = seg(header) if hseg is None else hseg
    p = seg(payload) if pseg is None else pseg
    if sig is None:
        if alg is None:
            alg = header.get("alg") if isinstance(header, dict) else "HS256"
            alg = alg if alg in HASHES else "HS256"
        sig = b64u(mac(alg, secret, f"{h}.{p}"))
    return f"{h}.{p}.{sig}"


def parts(token: str):
    return token.split(".")


def decoded(token: str):
    h, p, _ = parts(token)
    return json.loads(b64u_decode(h)), json.loads(b64u_decode(p))


def set_sig(token: str, sig_bytes: bytes) -> str:
    h, p, _ = parts(token)
    return f"{h}.{p}.{b64u(sig_bytes)}"


def sig_of(token: str) -> bytes:
    return b64u_decode(parts(token)[2])


def non_canonical(segment: str) -> str:
    """The same bytes with non-zero unused trailing bits (a lenient decoder accepts it)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    assert len(segment) % 4 in (2, 3), segment
    v = alphabet.index(segment[-1])
    assert v & 1 == 0
    out = segment[:-1] + alphabet[v | 1]
    assert b64u_decode(out) == b64u_decode(segment)
    return out


# ---------------------------------------------------------------------------------------------
# Keys, options, expectations


def key(alg="HS256", secret=S256, kid=None, b64=False):
    k = {"alg": alg}
    if kid is not None:
        k["kid"] = kid
    if b64:
        k["secret"] = {"base64url": secret if isinstance(secret, str) else b64u(secret)}
    else:
        k["secret"] = {"utf8": secret}
    return k


K256 = key("HS256", S256)
K384 = key("HS384", S384)
K512 = key("HS512", S512)
OPTS = {"algorithms": ["HS256"]}


def opts(**kw):
    o = dict(OPTS)
    o.update(kw)
    return o


def ok(token: str, header=True):
    h, p = decoded(token)
    e = {"payload": p}
    if header:
        e["header"] = h
    return e


def err(code, claim=None, reason=None):
    e = {"code": code}
    if claim is not None:
        e["claim"] = claim
        e["reason"] = reason
    return e


JWS_INVALID = err("ERR_JWS_INVALID")
JWT_INVALID = err("ERR_JWT_INVALID")
TOO_LARGE = err("ERR_JWT_TOO_LARGE")
ALG_NOT_ALLOWED = err("ERR_JOSE_ALG_NOT_ALLOWED")
NOT_SUPPORTED = err("ERR_JOSE_NOT_SUPPORTED")
BAD_SIG = err("ERR_JWS_SIGNATURE_VERIFICATION_FAILED")
NO_KEY = err("ERR_JWKS_NO_MATCHING_KEY")
KEY_INVALID = err("ERR_KEY_INVALID")
# Refused when the Verifier is built (an empty allowlist never switches its check off).
INVALID_OPTIONS = err("ERR_INVALID_OPTIONS")


def expired(claim="exp"):
    return err("ERR_JWT_EXPIRED", claim, "check_failed")


def claim_err(claim, reason):
    return err("ERR_JWT_CLAIM_VALIDATION_FAILED", claim, reason)


def case(name, source, token, expect, keys=None, options=None, now=T):
    return {
        "name": name,
        "source": source,
        "token": token,
        "keys": [K256] if keys is None else keys,
        "options": OPTS if options is None else options,
        "now": now,
        "expect": expect,
    }


