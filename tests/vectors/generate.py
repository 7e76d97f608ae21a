#!/usr/bin/env python3
"""Writes the shared test vectors of jwt-wasm: tests/vectors/{rfc,negative,keys,claims,policy}.json.

Standard library only (hmac, hashlib, base64, json). Deterministic: fixed secrets, fixed times, no
randomness, sorted keys, so anyone can regenerate and diff:

    python3 tests/vectors/generate.py          # rewrite the files
    python3 tests/vectors/generate.py --check  # exit 1 if a file on disk differs

The same files drive `cargo test --test vectors` (tests/vectors.rs) and the JS tests
(tests/js/core/vectors.test.mjs). Every case cites where its rule comes from in "source".
`protocol.json` is not written here: `cargo run --example protocol` (from src/protocol.rs) owns it.

The RFC examples are checked here by recomputing their HMACs, so a typo in a token or a key fails
the generator before it can reach a file.
"""

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


# ---------------------------------------------------------------------------------------------
# rfc.json

RFC7515_KEY = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
RFC7515_HEADER = b'{"typ":"JWT",\r\n "alg":"HS256"}'
RFC7515_PAYLOAD = b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'
RFC7515_TOKEN = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)
RFC7515_A5_TOKEN = (
    "eyJhbGciOiJub25lIn0"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
)
RFC7520_KID = "018c0ae5-4d9b-471b-bfd6-eef314bc7037"
RFC7520_KEY = "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"
RFC7520_PAYLOAD = (
    "It\u2019s a dangerous business, Frodo, going out your door. You step onto the road, and if you "
    "don't keep your feet, there\u2019s no knowing where you might be swept off to."
)
RFC7520_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9"
    ".SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0"
    "aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG"
    "1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4"
    ".s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0"
)


def check_rfc_examples():
    """Recomputes every RFC example from its parts: a wrong byte anywhere fails here."""
    h, p, s = parts(RFC7515_TOKEN)
    assert b64u_decode(h) == RFC7515_HEADER and b64u(RFC7515_HEADER) == h
    assert b64u_decode(p) == RFC7515_PAYLOAD and b64u(RFC7515_PAYLOAD) == p
    assert len(b64u_decode(RFC7515_KEY)) == 64
    assert b64u(mac("HS256", b64u_decode(RFC7515_KEY), f"{h}.{p}")) == s, "RFC 7515 A.1 HMAC"
    h5, p5, s5 = parts(RFC7515_A5_TOKEN)
    assert b64u_decode(h5) == b'{"alg":"none"}' and p5 == p and s5 == ""
    h, p, s = parts(RFC7520_TOKEN)
    assert json.loads(b64u_decode(h)) == {"alg": "HS256", "kid": RFC7520_KID}
    assert b64u_decode(p) == RFC7520_PAYLOAD.encode("utf-8")
    assert len(b64u_decode(RFC7520_KEY)) == 32
    assert b64u(mac("HS256", b64u_decode(RFC7520_KEY), f"{h}.{p}")) == s, "RFC 7520 §4.4 HMAC"


def rfc_cases():
    check_rfc_examples()
    k7515 = [key("HS256", RFC7515_KEY, b64=True)]
    k7520 = [key("HS256", RFC7520_KEY, kid=RFC7520_KID, b64=True)]
    now7515 = 1300819370
    h, p, s = parts(RFC7515_TOKEN)
    tampered_payload = RFC7515_PAYLOAD.replace(b'"joe"', b'"eve"')
    rh, rp, rs = parts(RFC7520_TOKEN)
    flipped = bytearray(b64u_decode(rs))
    flipped[0] ^= 1
    return [
        case("rfc7515_a1_hs256_example_verifies", "RFC 7515 Appendix A.1", RFC7515_TOKEN,
             ok(RFC7515_TOKEN), keys=k7515, now=now7515),
        case("rfc7519_s3_1_example_jwt_verifies_with_issuer_and_typ", "RFC 7519 §3.1", RFC7515_TOKEN,
             ok(RFC7515_TOKEN), keys=k7515, options=opts(issuer="joe", typ="JWT"), now=now7515),
        case("rfc7515_a1_example_is_expired_at_its_exp", "RFC 7519 §4.1.4", RFC7515_TOKEN, expired(),
             keys=k7515, now=1300819380),
        case("rfc7515_a1_example_with_tampered_payload_fails_signature", "RFC 7515 §5.2",
             f"{h}.{b64u(tampered_payload)}.{s}", BAD_SIG, keys=k7515, now=now7515),
        case("rfc7515_a1_example_refused_when_only_hs512_is_allowed", "RFC 8725 §3.1", RFC7515_TOKEN,
             ALG_NOT_ALLOWED, keys=[key("HS512", RFC7515_KEY, b64=True)],
             options={"algorithms": ["HS512"]}, now=now7515),
        case("rfc7515_a5_unsecured_alg_none_jws_is_refused", "RFC 7515 Appendix A.5", RFC7515_A5_TOKEN,
             ALG_NOT_ALLOWED, keys=k7515, now=now7515),
        case("rfc7520_s4_4_hmac_verifies_but_text_payload_is_not_a_jwt", "RFC 7520 §4.4", RFC7520_TOKEN,
             JWT_INVALID, keys=k7520),
        case("rfc7520_s4_4_tampered_signature_fails_before_the_payload_rule", "RFC 7520 §4.4",
             f"{rh}.{rp}.{b64u(bytes(flipped))}", BAD_SIG, keys=k7520),
        case("rfc7520_s4_4_unknown_kid_falls_back_to_the_kidless_key", "RFC 7520 §4.4", RFC7520_TOKEN,
             JWT_INVALID, keys=[key("HS256", RFC7520_KEY, b64=True)]),
        case("rfc7520_s4_4_kid_without_matching_key_is_refused", "RFC 7520 §4.4", RFC7520_TOKEN, NO_KEY,
             keys=[key("HS256", RFC7520_KEY, kid="another-kid", b64=True)]),
    ]


# ---------------------------------------------------------------------------------------------
# negative.json: structure, encoding, header, algorithm, signature and payload rules


def sized_token(total=None, header_len=None):
    """A valid HS256 token of exactly `total` bytes, or with a header segment of `header_len`."""
    for kid_pad in range(4):
        header = dict(H, kid="k" + "x" * kid_pad)
        for n in range(0, 20000):
            if header_len is not None:
                hh = dict(header, pad="h" * n)
                if len(seg(hh)) == header_len:
                    return tok(hh)
                if len(seg(hh)) > header_len:
                    break
            else:
                pp = dict(P, pad="p" * n)
                t = tok(header, pp)
                if len(t) == total:
                    return t
                if len(t) > total:
                    break
    raise AssertionError(f"no token of length {total} / header {header_len}")


def find_sig_with(char: str) -> str:
    for i in range(1000):
        t = tok(payload=dict(P, n=i))
        if char in parts(t)[2]:
            return t
    raise AssertionError(char)


def find_payload_with(char: str, length_mod4=None):
    for i in range(1000):
        # '?', '>' and '~' put ones in the high sextet bits, so '-' and '_' appear.
        pp = dict(P, n=i) if char is None else dict(P, n=i, q="?>~" * (1 + i % 3))
        s = seg(pp)
        if (char is None or char in s) and (length_mod4 is None or len(s) % 4 == length_mod4):
            return pp, s
    raise AssertionError(char)


def find_header_with(length_mod4):
    for i in range(100):
        hh = dict(H, kid="k" * i) if i else H
        s = seg(hh)
        if len(s) % 4 == length_mod4:
            return hh, s
    raise AssertionError(length_mod4)


def deep(n):
    """A payload whose `deep` member nests arrays so the document depth is n (top object = 1)."""
    return ('{"sub":"user-1","exp":%d,"deep":' % (T + 600)) + "[" * (n - 1) + "1" + "]" * (n - 1) + "}"


def payload_text(extra: str) -> str:
    """P as JSON text plus raw extra members (so invalid JSON can be spelled exactly)."""
    return '{"sub":"user-1","exp":%d%s}' % (T + 600, extra)


def negative_cases():
    out = []
    add = out.append
    good = tok()
    h, p, s = parts(good)

    # Step 1: size caps.
    t16385 = sized_token(total=16385)
    t16384 = sized_token(total=16384)
    add(case("token_over_default_max_token_bytes_is_too_large", STEP1, t16385, TOO_LARGE))
    add(case("token_of_exactly_default_max_token_bytes_is_accepted", STEP1, t16384, ok(t16384)))
    add(case("garbage_over_the_size_cap_is_too_large_before_parsing", STEP1, "a" * 16385, TOO_LARGE))
    t257, t256 = sized_token(total=257), sized_token(total=256)
    add(case("token_over_configured_max_token_bytes_is_too_large", STEP1, t257, TOO_LARGE,
             options=opts(maxTokenBytes=256)))
    add(case("token_of_exactly_configured_max_token_bytes_is_accepted", STEP1, t256, ok(t256),
             options=opts(maxTokenBytes=256)))
    th_over, th_max = sized_token(header_len=8194), sized_token(header_len=8192)
    add(case("header_segment_over_8192_bytes_is_too_large", STEP1, th_over, TOO_LARGE))
    add(case("header_segment_of_exactly_8192_bytes_is_accepted", STEP1, th_max, ok(th_max)))
    add(case("oversized_header_is_too_large_before_base64_checks", STEP1, ("!" * 8193) + f".{p}.{s}",
             TOO_LARGE))

    # Step 1: exactly three segments, header and payload non-empty.
    detached = tok(pseg="")
    for name, t in [
        ("empty_token_is_invalid", ""),
        ("one_segment_is_invalid", h),
        ("two_segments_are_invalid", f"{h}.{p}"),
        ("four_segments_are_invalid", f"{h}.{p}.{s}.{s}"),
        ("trailing_dot_making_four_segments_is_invalid", good + "."),
        ("five_segment_jwe_shape_is_invalid", f"{h}.{p}.{p}.{p}.{s}"),
        ("empty_header_segment_is_invalid", f".{p}.{s}"),
        ("empty_payload_segment_detached_content_is_invalid", detached),
        ("only_dots_is_invalid", ".."),
    ]:
        add(case(name, STEP1, t, JWS_INVALID))

    # Step 2: strict base64url (the MAC is computed over the exact, malformed text).
    _, h2 = find_header_with(2)
    pp2, p2 = find_payload_with(None, 2)
    add(case("padding_on_signature_is_invalid", STEP2, good + "=", JWS_INVALID))
    add(case("padding_on_payload_is_invalid", STEP2, tok(pseg=p2 + "=="), JWS_INVALID))
    add(case("padding_on_header_is_invalid", STEP2, tok(hseg=h2 + "=="), JWS_INVALID))
    add(case("space_inside_header_is_invalid", STEP2, tok(hseg=h[:10] + " " + h[10:]), JWS_INVALID))
    add(case("line_break_inside_payload_is_invalid", STEP2, tok(pseg=p[:20] + "\r\n" + p[20:]),
             JWS_INVALID))
    add(case("tab_inside_signature_is_invalid", STEP2, f"{h}.{p}.{s[:5]}\t{s[5:]}", JWS_INVALID))
    add(case("trailing_newline_is_invalid", STEP2, good + "\n", JWS_INVALID))
    add(case("leading_space_is_invalid", STEP2, " " + good, JWS_INVALID))
    add(case("trailing_space_is_invalid", STEP2, good + " ", JWS_INVALID))
    t_dash, t_under = find_sig_with("-"), find_sig_with("_")
    std_plus = t_dash.rsplit(".", 1)[0] + "." + parts(t_dash)[2].replace("-", "+")
    std_slash = t_under.rsplit(".", 1)[0] + "." + parts(t_under)[2].replace("_", "/")
    add(case("standard_alphabet_plus_in_signature_is_invalid", STEP2, std_plus, JWS_INVALID))
    add(case("standard_alphabet_slash_in_signature_is_invalid", STEP2, std_slash, JWS_INVALID))
    pp_u, p_u = find_payload_with("_")
    add(case("standard_alphabet_slash_in_payload_is_invalid", STEP2, tok(pseg=p_u.replace("_", "/")),
             JWS_INVALID))
    add(case("non_canonical_trailing_bits_in_signature_are_invalid", STEP2, f"{h}.{p}.{non_canonical(s)}",
             JWS_INVALID))
    add(case("non_canonical_trailing_bits_in_header_are_invalid", STEP2, tok(hseg=non_canonical(h2)),
             JWS_INVALID))
    add(case("non_canonical_trailing_bits_in_payload_are_invalid", STEP2, tok(pseg=non_canonical(p2)),
             JWS_INVALID))
    _, p0 = find_payload_with(None, 0)
    add(case("segment_of_impossible_length_is_invalid", STEP2, tok(pseg=p0 + "A"), JWS_INVALID))
    add(case("non_ascii_character_in_header_is_invalid", STEP2, tok(hseg=h[:-1] + "\u00e9"), JWS_INVALID))
    add(case("percent_encoded_character_is_invalid", STEP2, tok(pseg=p[:8] + "%3D" + p[8:]), JWS_INVALID))
    add(case("bad_signature_encoding_is_reported_before_alg_none", STEP2,
             f"{seg({'alg': 'none'})}.{p}.{non_canonical(s)}", JWS_INVALID))

    # Step 3: the header.
    header_invalid = [
        ("header_array_is_invalid", '["HS256"]'),
        ("header_string_is_invalid", '"HS256"'),
        ("header_not_json_is_invalid", "alg=HS256"),
        ("header_empty_object_without_alg_is_invalid", "{}"),
        ("header_without_alg_is_invalid", '{"typ":"JWT"}'),
        ("header_alg_number_is_invalid", '{"alg":256}'),
        ("header_alg_null_is_invalid", '{"alg":null}'),
        ("header_alg_array_is_invalid", '{"alg":["HS256"]}'),
        ("header_alg_object_is_invalid", '{"alg":{"name":"HS256"}}'),
        ("header_duplicate_alg_is_invalid", '{"alg":"none","alg":"HS256"}'),
        ("header_duplicate_alg_via_unicode_escape_is_invalid", '{"alg":"HS256","\\u0061lg":"none"}'),
        ("header_duplicate_kid_is_invalid", '{"alg":"HS256","kid":"a","kid":"b"}'),
        ("header_kid_number_is_invalid", '{"alg":"HS256","kid":1}'),
        ("header_typ_null_is_invalid", '{"alg":"HS256","typ":null}'),
        ("header_cty_number_is_invalid", '{"alg":"HS256","cty":1}'),
        ("header_trailing_comma_is_invalid", '{"alg":"HS256",}'),
        ("header_single_quotes_are_invalid", "{'alg':'HS256'}"),
        ("header_trailing_data_is_invalid", '{"alg":"HS256"}x'),
        ("header_two_objects_are_invalid", '{"alg":"HS256"}{"alg":"none"}'),
        ("header_with_byte_order_mark_is_invalid", '\ufeff{"alg":"HS256"}'),
        ("header_lone_surrogate_escape_is_invalid", '{"alg":"HS256","x":"\\ud800"}'),
        ("header_nesting_deeper_than_32_is_invalid", '{"alg":"HS256","x":' + "[" * 32 + "]" * 32 + "}"),
    ]
    for name, text in header_invalid:
        add(case(name, STEP3, tok(header=text), JWS_INVALID))
    add(case("header_invalid_utf8_is_invalid", STEP3, tok(header=b'{"alg":"HS256","x":"\xff"}'), JWS_INVALID))
    add(case("header_overlong_utf8_is_invalid", STEP3, tok(header=b'{"alg":"HS256","x":"\xc0\xaf"}'),
             JWS_INVALID))
    t = tok(header='{"alg":"HS\\u0032\\u0035\\u0036","typ":"JWT"}')
    add(case("escaped_alg_is_read_after_unescaping", "RFC 8259 §7", t, ok(t)))
    t = tok(header={"alg": "HS256", "typ": "JWT", "x": "[" * 31})
    add(case("brackets_inside_header_strings_are_not_nesting", STEP3, t, ok(t)))

    # Step 3: crit, b64, nested JWTs.
    not_supported = [
        ("crit_naming_a_claim_is_not_supported", {"alg": "HS256", "crit": ["exp"], "exp": T + 600}),
        ("crit_empty_array_is_not_supported", {"alg": "HS256", "crit": []}),
        ("crit_not_an_array_is_not_supported", {"alg": "HS256", "crit": "b64"}),
        ("crit_b64_false_unencoded_payload_is_not_supported", {"alg": "HS256", "b64": False, "crit": ["b64"]}),
        ("b64_false_without_crit_is_not_supported", {"alg": "HS256", "b64": False}),
        ("b64_string_true_is_not_supported", {"alg": "HS256", "b64": "true"}),
        ("b64_null_is_not_supported", {"alg": "HS256", "b64": None}),
        ("cty_jwt_nested_token_is_not_supported", {"alg": "HS256", "cty": "JWT"}),
        ("cty_lowercase_jwt_is_not_supported", {"alg": "HS256", "cty": "jwt"}),
        ("cty_application_jwt_is_not_supported", {"alg": "HS256", "cty": "application/jwt"}),
        ("crit_is_refused_before_the_alg_allowlist", {"alg": "none", "crit": ["x"]}),
    ]
    for name, header in not_supported:
        add(case(name, STEP3_CRIT if "before" not in name else ORDER, tok(header=header), NOT_SUPPORTED))
    t = tok(header={"alg": "HS256", "b64": True})
    add(case("b64_true_is_accepted", "RFC 7797 §3", t, ok(t)))
    t = tok(header={"alg": "HS256", "cty": "json"})
    add(case("cty_other_than_jwt_is_accepted", "RFC 7515 §4.1.10", t, ok(t)))

    # Step 3: URL and embedded-key headers are ignored, never fetched, never used.
    attacker_headers = {
        "alg": "HS256",
        "typ": "JWT",
        "jku": "https://attacker.example/jwks.json",
        "x5u": "https://attacker.example/cert.pem",
        "x5c": ["MIIBattacker"],
        "jwk": {"kty": "oct", "k": b64u(ATTACKER.encode())},
    }
    t = tok(header=attacker_headers)
    add(case("jku_x5u_x5c_jwk_headers_are_ignored", STEP3_IGNORED, t, ok(t)))
    add(case("embedded_jwk_is_never_used_as_the_key", STEP3_IGNORED, tok(header=attacker_headers,
                                                                       secret=ATTACKER), BAD_SIG))
    add(case("jku_with_unknown_kid_is_not_fetched", STEP3_IGNORED,
             tok(header=dict(attacker_headers, kid="attacker-key"), secret=ATTACKER), NO_KEY,
             keys=[key("HS256", S256, kid="k1")]))

    # Step 4: the algorithm allowlist (alg none in every spelling, other algorithms).
    for name, alg in [
        ("alg_none_lowercase_is_refused", "none"),
        ("alg_none_capitalised_is_refused", "None"),
        ("alg_none_uppercase_is_refused", "NONE"),
        ("alg_none_mixed_case_is_refused", "nOnE"),
    ]:
        add(case(name, STEP4_ALG, tok(header={"alg": alg, "typ": "JWT"}, sig=""), ALG_NOT_ALLOWED))
    add(case("alg_none_with_a_valid_hmac_attached_is_refused", STEP4_ALG,
             tok(header={"alg": "none"}, alg="HS256"), ALG_NOT_ALLOWED))
    add(case("alg_hs384_not_in_algorithms_is_refused", STEP4_ALG,
             tok(header={"alg": "HS384", "typ": "JWT"}, secret=S384), ALG_NOT_ALLOWED))
    add(case("alg_hs512_not_in_algorithms_is_refused", STEP4_ALG,
             tok(header={"alg": "HS512"}, secret=S512), ALG_NOT_ALLOWED,
             keys=[K256, K384], options={"algorithms": ["HS256", "HS384"]}))
    for name, alg in [
        ("alg_rs256_key_confusion_is_refused", "RS256"),
        ("alg_es256_is_refused", "ES256"),
        ("alg_ps256_is_refused", "PS256"),
        ("alg_eddsa_is_refused", "EdDSA"),
        ("alg_lowercase_hs256_is_refused", "hs256"),
        ("alg_hs256_with_trailing_space_is_refused", "HS256 "),
        ("alg_hs256_with_nul_is_refused", "HS256\u0000"),
        ("alg_empty_string_is_refused", ""),
        ("alg_dir_is_refused", "dir"),
    ]:
        add(case(name, STEP4_ALG, tok(header={"alg": alg, "typ": "JWT"}, alg="HS256"), ALG_NOT_ALLOWED))

    # Step 5: the MAC.
    sig = sig_of(good)
    add(case("signature_one_byte_short_fails", STEP5, set_sig(good, sig[:-1]), BAD_SIG))
    add(case("signature_one_byte_long_fails", STEP5, set_sig(good, sig + b"\x00"), BAD_SIG))
    add(case("signature_with_one_bit_flipped_fails", STEP5,
             set_sig(good, sig[:-1] + bytes([sig[-1] ^ 1])), BAD_SIG))
    add(case("empty_signature_fails", STEP5, f"{h}.{p}.", BAD_SIG))
    add(case("all_zero_signature_fails", STEP5, set_sig(good, bytes(32)), BAD_SIG))
    add(case("signature_with_another_key_fails", STEP5, tok(secret=S256B), BAD_SIG))
    add(case("signature_over_header_only_fails", STEP5, set_sig(good, mac("HS256", S256, h)), BAD_SIG))
    add(case("signature_over_decoded_json_fails", STEP5,
             set_sig(good, hmac.new(S256.encode(), raw(H) + b"." + raw(P), hashlib.sha256).digest()), BAD_SIG))
    tampered = f"{h}.{seg(dict(P, sub='admin'))}.{s}"
    add(case("tampered_payload_with_original_signature_fails", STEP5, tampered, BAD_SIG))
    add(case("hs256_length_signature_on_hs512_token_fails", STEP5,
             tok(header={"alg": "HS512"}, secret=S512, alg="HS256"), BAD_SIG,
             keys=[K512], options={"algorithms": ["HS512"]}))
    add(case("hs512_signature_truncated_to_hs256_length_fails", STEP5,
             set_sig(tok(), mac("HS512", S256, f"{h}.{p}")[:32]), BAD_SIG))
    add(case("forged_expired_token_reports_signature_not_expiry", ORDER,
             tok(payload=dict(P, iat=T - 7200, exp=T - 3600), secret=ATTACKER), BAD_SIG))
    add(case("forged_token_with_wrong_issuer_reports_signature", ORDER,
             tok(payload=dict(P, iss="https://attacker.example"), secret=ATTACKER), BAD_SIG,
             options=opts(issuer="https://issuer.example")))
    add(case("forged_token_with_bad_payload_reports_signature", ORDER, tok(payload="[1]", secret=ATTACKER),
             BAD_SIG))

    # Step 6: the payload is a strict JSON object (all of these carry a valid MAC).
    exp = T + 600
    payload_invalid = [
        ("payload_array_is_invalid", "[1,2]"),
        ("payload_string_is_invalid", '"user-1"'),
        ("payload_number_is_invalid", "1700000600"),
        ("payload_null_is_invalid", "null"),
        ("payload_true_is_invalid", "true"),
        ("payload_not_json_is_invalid", "sub=user-1"),
        ("payload_trailing_comma_is_invalid", payload_text(",")),
        ("payload_trailing_comma_in_array_is_invalid", payload_text(',"aud":["a",]')),
        ("payload_leading_zero_is_invalid", '{"sub":"user-1","exp":0%d}' % exp),
        ("payload_nan_is_invalid", payload_text(',"x":NaN')),
        ("payload_infinity_is_invalid", payload_text(',"x":Infinity')),
        ("payload_plus_sign_number_is_invalid", payload_text(',"x":+1')),
        ("payload_bare_fraction_is_invalid", payload_text(',"x":.5')),
        ("payload_single_quotes_are_invalid", "{'sub':'user-1','exp':%d}" % exp),
        ("payload_comment_is_invalid", payload_text("/* c */")),
        ("payload_unquoted_name_is_invalid", '{sub:"user-1","exp":%d}' % exp),
        ("payload_raw_control_character_in_string_is_invalid", payload_text(',"x":"a\tb"')),
        ("payload_invalid_escape_is_invalid", payload_text(',"x":"\\x41"')),
        ("payload_lone_high_surrogate_escape_is_invalid", payload_text(',"x":"\\ud800"')),
        ("payload_lone_low_surrogate_escape_is_invalid", payload_text(',"x":"\\udc00"')),
        ("payload_high_surrogate_then_non_surrogate_is_invalid", payload_text(',"x":"\\ud800\\u0041"')),
        ("payload_two_objects_are_invalid", payload_text("") + "{}"),
        ("payload_trailing_data_is_invalid", payload_text("") + "x"),
        ("payload_with_byte_order_mark_is_invalid", "\ufeff" + payload_text("")),
        ("payload_unterminated_is_invalid", payload_text("")[:-1]),
        ("payload_duplicate_exp_is_invalid", '{"exp":%d,"sub":"user-1","exp":%d}' % (T - 3600, exp)),
        ("payload_duplicate_sub_is_invalid", payload_text(',"sub":"admin"')),
        ("payload_duplicate_via_unicode_escape_is_invalid", payload_text(',"\\u0073ub":"admin"')),
        ("payload_duplicate_nested_member_is_invalid", payload_text(',"ctx":{"role":"user","role":"admin"}')),
        ("payload_duplicate_member_in_array_object_is_invalid", payload_text(',"a":[{"k":1,"k":2}]')),
        ("payload_nesting_deeper_than_32_is_invalid", deep(33)),
        ("payload_nesting_of_1000_is_invalid", deep(1000)),
    ]
    for name, text in payload_invalid:
        src = STEP6_DUP if "duplicate" in name else STEP6
        add(case(name, src, tok(payload=text), JWT_INVALID))
    for name, data in [
        ("payload_invalid_utf8_is_invalid", b'{"sub":"\xff","exp":%d}' % exp),
        ("payload_truncated_utf8_sequence_is_invalid", b'{"sub":"\xc3","exp":%d}' % exp),
        ("payload_overlong_utf8_is_invalid", b'{"sub":"\xc0\xaf","exp":%d}' % exp),
        ("payload_utf8_encoded_surrogate_is_invalid", b'{"sub":"\xed\xa0\x80","exp":%d}' % exp),
    ]:
        add(case(name, "RFC 7519 §7.2 step 8 (UTF-8) and RFC 3629", tok(payload=data), JWT_INVALID))
    for name, text in [
        ("payload_nesting_of_exactly_32_is_accepted", deep(32)),
        ("payload_with_surrounding_whitespace_is_accepted", " \r\n\t" + payload_text("") + " \n"),
        ("payload_unicode_escapes_are_accepted", payload_text(',"name":"\\u00e9\\ud83d\\ude00\\/\\"\\\\"')),
        ("payload_utf8_text_is_accepted", payload_text(',"name":"Zo\u00eb \u2603 \U0001f600"')),
        ("payload_same_name_in_different_objects_is_accepted", payload_text(',"a":{"k":1},"b":{"k":2}')),
    ]:
        t = tok(payload=text)
        add(case(name, STEP6, t, ok(t)))
    return out


# ---------------------------------------------------------------------------------------------
# keys.json: key selection (step 4) and key lengths (RFC 7518 §3.2)


def keys_cases():
    out = []
    add = out.append
    ka, kb = key("HS256", S256, kid="a"), key("HS256", S256B, kid="b")
    kless = key("HS256", S256B)

    def kt(kid, secret=S256, alg="HS256", payload=None):
        header = {"alg": alg, "typ": "JWT"}
        if kid is not None:
            header["kid"] = kid
        return tok(header=header, payload=payload, secret=secret)

    t = kt("b", S256B)
    add(case("kid_exact_match_selects_that_key", STEP4_KEY, t, ok(t), keys=[ka, kb]))
    t = kt("a", S256)
    add(case("kid_exact_match_selects_the_first_key_too", STEP4_KEY, t, ok(t), keys=[ka, kb]))
    add(case("kid_naming_one_key_signed_with_another_fails", STEP4_KEY, kt("a", S256B), BAD_SIG,
             keys=[ka, kb]))
    add(case("kid_match_is_case_sensitive", STEP4_KEY, kt("A"), NO_KEY, keys=[ka, kb]))
    add(case("kid_with_surrounding_space_does_not_match", STEP4_KEY, kt(" a"), NO_KEY, keys=[ka, kb]))
    add(case("kid_path_traversal_is_only_compared", STEP4_KEY, kt("../../a"), NO_KEY, keys=[ka, kb]))
    add(case("kid_url_is_not_fetched", STEP4_KEY, kt("https://attacker.example/key", ATTACKER), NO_KEY,
             keys=[ka, kb]))
    add(case("kid_sql_injection_is_only_compared", STEP4_KEY, kt("a' OR '1'='1"), NO_KEY, keys=[ka, kb]))
    t = tok(header='{"alg":"HS256","kid":"\\u0062"}', secret=S256B)
    add(case("escaped_kid_matches_after_unescaping", STEP4_KEY, t, ok(t), keys=[ka, kb]))
    t = kt("unknown", S256B)
    add(case("unknown_kid_falls_back_to_the_single_kidless_key", STEP4_KEY, t, ok(t), keys=[ka, kless]))
    add(case("unknown_kid_fallback_does_not_accept_a_named_key_signature", STEP4_KEY, kt("unknown", S256),
             BAD_SIG, keys=[ka, kless]))
    t = kt("", S256B)
    add(case("empty_kid_falls_back_to_the_kidless_key", STEP4_KEY, t, ok(t), keys=[ka, kless]))
    add(case("unknown_kid_without_a_kidless_key_is_refused", STEP4_KEY, kt("c"), NO_KEY, keys=[ka, kb]))
    add(case("no_kid_with_two_named_candidates_is_refused", STEP4_KEY, kt(None), NO_KEY, keys=[ka, kb]))
    add(case("no_kid_with_a_named_and_a_kidless_candidate_is_refused", STEP4_KEY, kt(None, S256B), NO_KEY,
             keys=[ka, kless]))
    t = kt(None)
    add(case("no_kid_with_a_single_named_key_is_accepted", STEP4_KEY, t, ok(t), keys=[ka]))
    t = kt(None, S256B)
    add(case("no_kid_with_a_single_kidless_key_is_accepted", STEP4_KEY, t, ok(t), keys=[kless]))
    k256n, k384n = key("HS256", S256, kid="k256"), key("HS384", S384, kid="k384")
    both = {"algorithms": ["HS256", "HS384"]}
    add(case("kid_of_a_key_of_another_alg_does_not_match", STEP4_KEY, kt("k384", S384), NO_KEY,
             keys=[k256n, k384n], options=both))
    t = kt("k384", S384, alg="HS384")
    add(case("hs384_token_selects_the_hs384_key", STEP4_KEY, t, ok(t), keys=[k256n, k384n], options=both))
    same256, same384 = key("HS256", S256, kid="same"), key("HS384", S384, kid="same")
    t = kt("same", S384, alg="HS384")
    add(case("same_kid_on_two_algs_is_selected_by_alg", STEP4_KEY, t, ok(t), keys=[same256, same384],
             options=both))
    add(case("hs384_token_macd_with_the_hs256_keys_secret_fails", STEP4_KEY, kt("same", S256, alg="HS384"),
             BAD_SIG, keys=[same256, same384], options=both))
    add(case("allowed_alg_without_a_key_of_that_alg_is_refused", STEP4_KEY,
             tok(header={"alg": "HS256"}, secret=S512), NO_KEY,
             keys=[K512], options={"algorithms": ["HS256", "HS512"]}))
    add(case("alg_allowlist_is_checked_before_key_selection", ORDER, kt("nope", S384, alg="HS384"),
             ALG_NOT_ALLOWED, keys=[ka, kb]))
    add(case("unknown_kid_is_reported_before_the_signature", ORDER, kt("nope", ATTACKER), NO_KEY,
             keys=[ka, kb]))

    # Key lengths: refused when the verifier is built (ERR_KEY_INVALID), whatever the token.
    def klen(name, alg, secret, expect_ok, b64=False):
        sbytes = b64u_decode(secret) if b64 else secret_bytes(secret)
        t = tok(header={"alg": alg, "typ": "JWT"}, secret=sbytes)
        k = key(alg, secret, b64=b64)
        o = {"algorithms": [alg]}
        add(case(name, KEYLEN, t, ok(t) if expect_ok else KEY_INVALID, keys=[k], options=o))

    klen("hs256_key_of_31_bytes_is_refused", "HS256", "k" * 31, False)
    klen("hs256_key_of_32_bytes_is_accepted", "HS256", "k" * 32, True)
    klen("hs384_key_of_47_bytes_is_refused", "HS384", "k" * 47, False)
    klen("hs384_key_of_48_bytes_is_accepted", "HS384", "k" * 48, True)
    klen("hs512_key_of_63_bytes_is_refused", "HS512", "k" * 63, False)
    klen("hs512_key_of_64_bytes_is_accepted", "HS512", "k" * 64, True)
    klen("hs512_key_long_enough_only_for_hs256_is_refused", "HS512", "k" * 32, False)
    klen("empty_utf8_key_is_refused", "HS256", "", False)
    klen("empty_base64url_key_is_refused", "HS256", "", False, b64=True)
    klen("short_binary_key_is_refused", "HS256", b64u(hashlib.sha256(b"vector").digest()[:16]), False, b64=True)
    klen("binary_key_of_32_bytes_is_accepted", "HS256", b64u(hashlib.sha256(b"vector").digest()), True,
         b64=True)
    klen("utf8_key_length_counts_bytes_not_characters", "HS256", "\u00e9" * 16, True)
    klen("utf8_key_of_31_bytes_in_16_characters_is_refused", "HS256", "\u00e9" * 15 + "x", False)
    t = tok(header={"alg": "HS256", "kid": "a"})
    add(case("one_short_key_refuses_the_whole_ring", KEYLEN, t, KEY_INVALID,
             keys=[ka, key("HS256", "short", kid="b")]))
    add(case("duplicate_kid_for_the_same_alg_is_refused", "jwt-wasm: KeyRing::new (ambiguous keys)", t,
             KEY_INVALID, keys=[ka, key("HS256", S256B, kid="a")]))
    add(case("two_kidless_keys_for_the_same_alg_are_refused", "jwt-wasm: KeyRing::new (ambiguous keys)",
             tok(), KEY_INVALID, keys=[K256, key("HS256", S256B)]))
    return out


# ---------------------------------------------------------------------------------------------
# claims.json: registered claims typed strictly (step 6)


def claims_cases():
    out = []
    add = out.append
    exp = T + 600
    wrong_numeric = [
        ("string", '"%d"' % exp),
        ("null", "null"),
        ("bool", "true"),
        ("array", "[%d]" % exp),
        ("object", '{"t":%d}' % exp),
        ("overflowing_number", "1e400"),
        ("negative_overflowing_number", "-1e400"),
    ]
    for claim in ["exp", "nbf", "iat"]:
        for label, value in wrong_numeric:
            if claim == "exp":
                text = '{"sub":"user-1","exp":%s}' % value
            else:
                text = '{"sub":"user-1","exp":%d,"%s":%s}' % (exp, claim, value)
            add(case(f"{claim}_as_{label}_is_invalid", "RFC 7519 §2 NumericDate; " + STEP6_TYPED,
                     tok(payload=text), claim_err(claim, "invalid")))
    wrong_string = [("number", "42"), ("null", "null"), ("array", '["x"]'), ("object", '{"v":"x"}'),
                    ("bool", "false")]
    for claim in ["iss", "sub", "jti"]:
        for label, value in wrong_string:
            text = '{"exp":%d,"%s":%s}' % (exp, claim, value)
            add(case(f"{claim}_as_{label}_is_invalid", "RFC 7519 §4.1 StringOrURI; " + STEP6_TYPED,
                     tok(payload=text), claim_err(claim, "invalid")))
    for label, value in [("number", "42"), ("null", "null"), ("array_with_a_number", '["api",1]'),
                         ("nested_array", '[["api"]]'), ("object", '{"0":"api"}'), ("bool", "true")]:
        text = '{"exp":%d,"aud":%s}' % (exp, value)
        add(case(f"aud_as_{label}_is_invalid", "RFC 7519 §4.1.3; " + STEP6_TYPED, tok(payload=text),
                 claim_err("aud", "invalid"), options=opts(audience="api")))
    add(case("null_exp_is_invalid_even_when_not_required", STEP6_TYPED,
             tok(payload='{"sub":"user-1","exp":null}'), claim_err("exp", "invalid"),
             options=opts(requiredClaims=["sub"])))
    add(case("escaped_exp_name_is_still_typed", STEP6_TYPED, tok(payload='{"\\u0065xp":"never"}'),
             claim_err("exp", "invalid")))
    add(case("escaped_exp_name_is_still_enforced", STEP6_TYPED,
             tok(payload='{"\\u0065xp":%d}' % (T - 10)), expired()))
    add(case("claim_typing_comes_before_policy", ORDER,
             tok(payload='{"iss":"https://other.example","exp":"soon"}'), claim_err("exp", "invalid"),
             options=opts(issuer="https://issuer.example")))
    for name, text in [
        ("fractional_exp_is_accepted", '{"sub":"user-1","exp":%d.5}' % exp),
        ("exponent_notation_exp_is_accepted", '{"sub":"user-1","exp":1.7000006e9}'),
        ("far_future_finite_exp_is_accepted", '{"sub":"user-1","exp":1e300}'),
        ("fractional_iat_and_nbf_are_accepted", '{"exp":%d,"iat":%d.25,"nbf":%d.75}' % (exp, T - 10, T - 10)),
        ("negative_nbf_is_accepted", '{"exp":%d,"nbf":-1}' % exp),
        ("aud_empty_array_is_well_typed_then_checked", '{"exp":%d,"aud":[],"iss":"","sub":"","jti":""}' % exp),
        ("custom_claims_are_not_typed", '{"exp":%d,"scope":42,"roles":[1,{"a":null}],"admin":"yes"}' % exp),
    ]:
        t = tok(payload=text)
        expect = ok(t)
        if name == "aud_empty_array_is_well_typed_then_checked":
            # Well typed, so the policy runs: an aud claim with no audience configured.
            expect = claim_err("aud", "check_failed")
        add(case(name, STEP6_TYPED, t, expect))
    add(case("negative_exp_is_expired", STEP6_TYPED, tok(payload='{"exp":-1}'), expired()))
    return out


# ---------------------------------------------------------------------------------------------
# policy.json: step 7


def policy_cases():
    out = []
    add = out.append
    exp = T + 600

    def pt(payload=None, header=None):
        return tok(header=header, payload=payload)

    def good(name, source, t, now=T, **o):
        add(case(name, source, t, ok(t), options=opts(**o), now=now))

    def bad(name, source, t, expect, now=T, **o):
        add(case(name, source, t, expect, options=opts(**o), now=now))

    EXP = "RFC 7519 §4.1.4"
    NBF = "RFC 7519 §4.1.5"
    IAT = "RFC 7519 §4.1.6; jwt-wasm: a future iat is refused"
    AGE = "jwt-wasm: maxTokenAge (jose semantics) measured from iat"
    TOL = "jwt-wasm: clockTolerance applies to every time check"
    t = pt()
    good("exp_in_the_future_is_accepted", EXP, t)
    bad("now_equal_to_exp_is_expired", EXP, t, expired(), now=exp)
    good("half_a_second_before_exp_is_accepted", EXP, t, now=exp - 0.5)
    bad("long_expired_token_is_expired", EXP, t, expired(), now=exp + 86400)
    tf = pt('{"sub":"user-1","exp":%d.5}' % T)
    good("fractional_exp_just_before_is_accepted", EXP, tf, now=T + 0.25)
    bad("fractional_exp_reached_is_expired", EXP, tf, expired(), now=T + 0.5)
    good("clock_tolerance_extends_exp", TOL, t, now=exp + 29.5, clockTolerance=30)
    bad("clock_tolerance_on_exp_is_bounded", TOL, t, expired(), now=exp + 30, clockTolerance=30)

    tn = pt(dict(P, nbf=T + 100))
    bad("nbf_in_the_future_is_check_failed", NBF, tn, claim_err("nbf", "check_failed"))
    good("now_equal_to_nbf_is_accepted", NBF, tn, now=T + 100)
    good("clock_tolerance_applies_to_nbf", TOL, tn, now=T + 70, clockTolerance=30)
    bad("clock_tolerance_on_nbf_is_bounded", TOL, tn, claim_err("nbf", "check_failed"), now=T + 69.5,
        clockTolerance=30)

    ti = pt(dict(P, iat=T + 100))
    bad("iat_in_the_future_is_check_failed", IAT, ti, claim_err("iat", "check_failed"))
    good("iat_equal_to_now_is_accepted", IAT, ti, now=T + 100)
    good("clock_tolerance_applies_to_iat", TOL, ti, now=T + 70, clockTolerance=30)
    bad("clock_tolerance_on_iat_is_bounded", TOL, ti, claim_err("iat", "check_failed"), now=T + 69.5,
        clockTolerance=30)

    ta = pt(dict(P, iat=T, exp=T + 3600))
    good("max_token_age_boundary_is_accepted", AGE, ta, now=T + 300, maxTokenAge=300)
    bad("max_token_age_exceeded_is_expired_iat", AGE, ta, expired("iat"), now=T + 300.5, maxTokenAge=300)
    good("clock_tolerance_applies_to_max_token_age", TOL, ta, now=T + 310, maxTokenAge=300, clockTolerance=10)
    bad("clock_tolerance_on_max_token_age_is_bounded", TOL, ta, expired("iat"), now=T + 310.5,
        maxTokenAge=300, clockTolerance=10)
    bad("max_token_age_without_iat_is_missing_iat", AGE, pt({"sub": "user-1", "exp": exp}),
        claim_err("iat", "missing"), maxTokenAge=300)
    bad("max_token_age_without_iat_is_missing_iat_even_when_expired", AGE,
        pt({"sub": "user-1", "exp": T - 10}), claim_err("iat", "missing"), now=T, maxTokenAge=300)
    bad("exp_is_reported_before_max_token_age", POLICY_ORDER, ta, expired("exp"), now=T + 4000,
        maxTokenAge=300)
    bad("nbf_is_reported_before_exp", POLICY_ORDER, pt(dict(P, nbf=T + 100, exp=T + 50)),
        claim_err("nbf", "check_failed"), now=T + 60)

    ISS = "RFC 7519 §4.1.1 (exact match)"
    iss = "https://issuer.example"
    ts = pt(dict(P, iss=iss))
    good("issuer_exact_match_is_accepted", ISS, ts, issuer=iss)
    bad("issuer_mismatch_is_check_failed", ISS, ts, claim_err("iss", "check_failed"),
        issuer="https://other.example")
    bad("issuer_with_longer_token_value_is_not_a_match", ISS, pt(dict(P, iss=iss + ".attacker.example")),
        claim_err("iss", "check_failed"), issuer=iss)
    bad("issuer_prefix_in_token_is_not_a_match", ISS, pt(dict(P, iss="https://issuer")),
        claim_err("iss", "check_failed"), issuer=iss)
    bad("issuer_case_difference_is_not_a_match", ISS, pt(dict(P, iss="https://Issuer.example")),
        claim_err("iss", "check_failed"), issuer=iss)
    bad("issuer_trailing_slash_is_not_a_match", ISS, pt(dict(P, iss=iss + "/")),
        claim_err("iss", "check_failed"), issuer=iss)
    good("issuer_list_matches_any_entry", ISS, ts, issuer=["https://a.example", iss])
    bad("issuer_list_without_the_token_issuer_is_check_failed", ISS, ts, claim_err("iss", "check_failed"),
        issuer=["https://a.example", "https://b.example"])
    bad("issuer_configured_but_absent_is_missing", ISS, pt(), claim_err("iss", "missing"), issuer=iss)
    good("issuer_ignored_when_not_configured", ISS, ts)

    SUB = "RFC 7519 §4.1.2"
    good("subject_match_is_accepted", SUB, pt(), subject="user-1")
    bad("subject_mismatch_is_check_failed", SUB, pt(), claim_err("sub", "check_failed"), subject="user-2")
    bad("subject_prefix_is_not_a_match", SUB, pt(), claim_err("sub", "check_failed"), subject="user-10")
    bad("subject_configured_but_absent_is_missing", SUB, pt({"exp": exp}), claim_err("sub", "missing"),
        subject="user-1")

    AUD = "RFC 7519 §4.1.3"
    good("audience_string_matches_string_aud", AUD, pt(dict(P, aud="api")), audience="api")
    good("audience_string_found_in_aud_array", AUD, pt(dict(P, aud=["web", "api"])), audience="api")
    good("audience_list_matches_string_aud", AUD, pt(dict(P, aud="web")), audience=["api", "web"])
    good("audience_list_intersects_aud_array", AUD, pt(dict(P, aud=["x", "web"])), audience=["api", "web"])
    bad("audience_without_intersection_is_check_failed", AUD, pt(dict(P, aud=["x", "y"])),
        claim_err("aud", "check_failed"), audience=["api", "web"])
    bad("audience_mismatch_string_is_check_failed", AUD, pt(dict(P, aud="other")),
        claim_err("aud", "check_failed"), audience="api")
    bad("audience_case_difference_is_not_a_match", AUD, pt(dict(P, aud="API")),
        claim_err("aud", "check_failed"), audience="api")
    bad("audience_substring_is_not_a_match", AUD, pt(dict(P, aud="api2")), claim_err("aud", "check_failed"),
        audience="api")
    bad("audience_empty_aud_array_is_check_failed", AUD, pt(dict(P, aud=[])), claim_err("aud", "check_failed"),
        audience="api")
    bad("audience_configured_but_absent_is_missing", AUD, pt(), claim_err("aud", "missing"), audience="api")
    bad("aud_without_configured_audience_is_check_failed", AUD, pt(dict(P, aud="api")),
        claim_err("aud", "check_failed"))
    bad("aud_array_without_configured_audience_is_check_failed", AUD, pt(dict(P, aud=["api"])),
        claim_err("aud", "check_failed"))

    TYP = "RFC 7515 §4.1.9 and RFC 8725 §3.11 (typ, media-type normalised)"

    def th(typ):
        return pt(header={"alg": "HS256", "typ": typ} if typ is not None else {"alg": "HS256"})

    good("typ_jwt_matches_jwt", TYP, th("JWT"), typ="JWT")
    good("typ_application_jwt_matches_jwt", TYP, th("application/jwt"), typ="JWT")
    good("typ_lowercase_jwt_matches_jwt", TYP, th("jwt"), typ="JWT")
    good("typ_jwt_matches_configured_application_jwt", TYP, th("JWT"), typ="application/jwt")
    good("typ_application_at_jwt_matches_at_jwt", TYP, th("application/at+jwt"), typ="at+jwt")
    bad("typ_at_jwt_is_not_jwt", TYP, th("at+jwt"), claim_err("typ", "check_failed"), typ="JWT")
    bad("typ_jwt_is_not_at_jwt", TYP, th("JWT"), claim_err("typ", "check_failed"), typ="at+jwt")
    bad("typ_with_parameters_is_not_jwt", TYP, th("application/jwt; charset=utf-8"),
        claim_err("typ", "check_failed"), typ="JWT")
    bad("typ_text_plain_is_not_application_text_plain", TYP, th("text/plain"), claim_err("typ", "check_failed"),
        typ="application/text/plain")
    bad("typ_application_text_plain_is_not_text_plain", TYP, th("application/text/plain"),
        claim_err("typ", "check_failed"), typ="text/plain")
    bad("typ_application_jwt_slash_x_is_not_jwt", TYP, th("application/jwt/x"), claim_err("typ", "check_failed"),
        typ="JWT")
    good("typ_with_a_slash_compares_case_insensitively", TYP, th("Text/Plain"), typ="text/plain")
    good("typ_short_matches_configured_application_form", TYP, th("AT+JWT"), typ="application/at+jwt")
    bad("typ_required_but_absent_is_missing", TYP, th(None), claim_err("typ", "missing"), typ="JWT")
    good("typ_ignored_when_not_configured", TYP, th("anything/at-all"))
    good("absent_typ_accepted_when_not_configured", TYP, th(None))

    REQ = "jwt-wasm: requiredClaims (default [\"exp\"])"
    bad("exp_is_required_by_default", REQ, pt({"sub": "user-1"}), claim_err("exp", "missing"))
    bad("empty_payload_object_is_missing_exp", REQ, pt({}), claim_err("exp", "missing"))
    EMPTY = "jwt-wasm issue 8: an empty list never switches a check off"
    bad("empty_required_claims_is_refused", EMPTY, pt({"sub": "user-1"}), INVALID_OPTIONS, requiredClaims=[])
    bad("empty_issuer_list_is_refused", EMPTY, pt(dict(P, iss="https://any.example")), INVALID_OPTIONS, issuer=[])
    bad("empty_audience_list_is_refused", EMPTY, pt(dict(P, aud="api")), INVALID_OPTIONS, audience=[])
    bad("empty_issuer_value_is_refused", EMPTY, pt(dict(P, iss="")), INVALID_OPTIONS, issuer="")
    bad("empty_subject_is_refused", EMPTY, pt(dict(P, sub="")), INVALID_OPTIONS, subject="")
    bad("empty_typ_is_refused", EMPTY, pt(), INVALID_OPTIONS, typ="")
    good("custom_required_claims_replace_the_default", REQ, pt({"sub": "user-1"}), requiredClaims=["sub"])
    bad("custom_required_claim_absent_is_missing", REQ, pt(), claim_err("jti", "missing"),
        requiredClaims=["exp", "jti"])
    good("custom_required_claims_present_are_accepted", REQ, pt(dict(P, jti="id-1")),
         requiredClaims=["exp", "jti"])
    good("required_claim_present_as_null_counts_as_present", REQ, pt(dict(P, scope=None)),
         requiredClaims=["exp", "scope"])

    t_exp_iss = pt(dict(P, iss="https://other.example", exp=T - 10))
    bad("expired_token_with_wrong_issuer_is_issuer_check_failed", POLICY_ORDER, t_exp_iss,
        claim_err("iss", "check_failed"), issuer=iss)
    bad("expired_token_with_wrong_audience_is_audience_check_failed", POLICY_ORDER,
        pt(dict(P, aud="other", exp=T - 10)), claim_err("aud", "check_failed"), audience="api")
    bad("expired_token_with_wrong_subject_is_subject_check_failed", POLICY_ORDER, pt(dict(P, exp=T - 10)),
        claim_err("sub", "check_failed"), subject="user-2")
    bad("expired_token_with_wrong_typ_is_typ_check_failed", POLICY_ORDER,
        pt(dict(P, exp=T - 10), header={"alg": "HS256", "typ": "at+jwt"}), claim_err("typ", "check_failed"),
        typ="JWT")
    bad("expired_token_missing_a_required_claim_is_missing", POLICY_ORDER, pt(dict(P, exp=T - 10)),
        claim_err("jti", "missing"), requiredClaims=["exp", "jti"])
    bad("not_yet_valid_token_with_wrong_issuer_is_issuer_check_failed", POLICY_ORDER,
        pt(dict(P, iss="https://other.example", nbf=T + 100)), claim_err("iss", "check_failed"), issuer=iss)
    t_all = pt(dict(P, iss=iss, aud=["api"], jti="id-1", nbf=T - 5))
    good("all_checks_configured_and_passing", "RFC 7519 §4.1", t_all, now=T + 1, issuer=iss, audience="api",
         subject="user-1", typ="JWT", clockTolerance=5, maxTokenAge=60, requiredClaims=["exp", "jti"])
    return out


# ---------------------------------------------------------------------------------------------

FILES = {
    "rfc.json": ("Published examples: RFC 7515 Appendix A.1 and A.5, RFC 7519 §3.1, RFC 7520 §4.4 "
                 "(each HMAC recomputed by generate.py).", rfc_cases),
    "negative.json": ("Size caps, segments, strict base64url, header, algorithm allowlist, MAC and payload "
                      "rules, in DESIGN.md's order of checks.", negative_cases),
    "keys.json": ("Key selection by exact kid (one algorithm per key) and minimum key lengths.", keys_cases),
    "claims.json": ("Registered claims typed strictly: present-but-wrong is never absent.", claims_cases),
    "policy.json": ("The policy: exp, nbf, iat, maxTokenAge, clockTolerance, iss, sub, aud, typ, "
                    "requiredClaims, and identity before time.", policy_cases),
}

NAME = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
CODES = {
    "ERR_JWS_INVALID", "ERR_JWT_INVALID", "ERR_JWT_TOO_LARGE", "ERR_JOSE_ALG_NOT_ALLOWED",
    "ERR_JOSE_NOT_SUPPORTED", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "ERR_JWT_EXPIRED",
    "ERR_JWT_CLAIM_VALIDATION_FAILED", "ERR_JWKS_NO_MATCHING_KEY", "ERR_KEY_INVALID",
    "ERR_INVALID_OPTIONS",
}


def render():
    seen = set()
    out = {}
    for file, (description, build) in FILES.items():
        cases = build()
        for c in cases:
            assert NAME.match(c["name"]), c["name"]
            assert c["name"] not in seen, f"duplicate case name {c['name']}"
            seen.add(c["name"])
            assert c["source"], c["name"]
            assert "payload" in c["expect"] or c["expect"].get("code") in CODES, c["name"]
        doc = {"description": description, "cases": cases}
        out[file] = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
    return out


def main(argv):
    check = "--check" in argv
    stale = []
    for file, text in render().items():
        path = os.path.join(HERE, file)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(file)
            except FileNotFoundError:
                stale.append(file)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            print(f"{file}: {len(json.loads(text)['cases'])} cases")
    if stale:
        print("out of date (run python3 tests/vectors/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
