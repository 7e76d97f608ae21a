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


import sys

from vector_kit import *  # noqa: F403 (the shared builders)
from cases_format import negative_cases  # noqa: E402
from cases_policy import claims_cases, keys_cases, policy_cases  # noqa: E402

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

