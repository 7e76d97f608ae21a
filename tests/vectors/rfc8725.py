#!/usr/bin/env python3
"""Writes tests/vectors/rfc8725.json: the RFC 8725 (JWT BCP, BCP 225) verifier checklist of
ANCHORS.md §2.3 as one suite, a row per checklist item and one or more cases per row.

    python3 tests/vectors/rfc8725.py          # rewrite the file
    python3 tests/vectors/rfc8725.py --check  # exit 1 if the file on disk differs (make lint)

Standard library only; tokens are minted by generate.py's helpers (Python's hmac, fixed secrets,
fixed times), independently of the library under test; the kit is rfc8725_kit.py. The file
drives four runners, each naming the row and its threat in every test name: Rust
(tests/rfc8725.rs), Node (tests/js/core/rfc8725.test.mjs), workerd
(tests/js/workerd/rfc8725.test.mjs) and Chromium (tests/e2e/rfc8725.e2e.mjs); the JS three share
tests/js/support/rfc8725-run.mjs.

A case: `keys` (`{kid?, alg, secret: {utf8} | {hex}, issuer?}`), `options` (the JS Verifier's,
without `keys`), `token`, `now` (seconds), `proves` (one sentence), and `expect`: the verified
`{header, payload}`, or `{stage, code, claim?, reason?}` where `stage` is `construct` (the
Verifier must refuse to be built) or `verify`. `only: "js"` with `why` marks the few cases the
Rust API's types make impossible to express (the Rust runner checks that each says why). A case
refused at construction carries a token that the refused configuration would have accepted.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rfc8725_kit import (  # noqa: E402
    ALG, ATTACKER, CERT_PEM, EC_JWK, EC_PEM, EXP, GOOD, HS, JWS_INVALID, JWT_INVALID, KEY, NO_KEY,
    NOT_SUPPORTED, OPTIONS, P, RFC7515_A5_TOKEN, RSA_PKCS1_PEM, RSA_SPKI_PEM, S256, S256B, S384, S512, SIG,
    SSH_ED25519, T, b64u, case, claim, fails, k, kt, mac, ok, row, seg, set_sig, sig_of, tok, write_or_check,
)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rfc8725.json")
ISS_A, ISS_B = "https://a.example", "https://b.example"
JS_TYPES = "Rust: HmacKey::new takes an Algorithm, so a key without one cannot be written"


def row1():
    cases = [
        case("hs256_token_under_an_hs256_allowlist_is_accepted", "the control: the listed algorithm verifies",
             GOOD, ok(GOOD)),
        case("hs512_header_outside_the_allowlist_is_refused",
             "a header naming an algorithm the caller did not list is refused before any key is used",
             kt({"alg": "HS512", "typ": "JWT"}, secret=S512), ALG),
        case("rs256_header_macd_with_the_secret_is_refused",
             "RS256 in the header never selects an HMAC check (the RS→HS confusion of CVE-2015-9235)",
             kt({"alg": "RS256", "typ": "JWT"}, alg="HS256"), ALG),
        case("lowercase_hs256_header_is_refused", "algorithm names match exactly, never case-folded",
             kt({"alg": "hs256"}, alg="HS256"), ALG),
        case("missing_algorithms_option_is_refused", "there is no default algorithm: the caller must list them",
             GOOD, OPTIONS, options={}),
        case("empty_algorithms_list_is_refused", "an allowlist that comes out empty never means 'any'",
             GOOD, OPTIONS, options={"algorithms": []}),
        case("key_of_an_unlisted_algorithm_is_refused", "every key's algorithm must be in the allowlist",
             GOOD, OPTIONS, keys=[k(), k("HS384", S384, kid="x")]),
    ]
    return row(1, "RFC 8725 §3.1", "algorithm_substitution",
               "The caller specifies the allowed algorithms; the header's alg must be one of them and the key's.",
               "alg is bound to each key and checked against the caller's list; the header never chooses.", cases)


def row2():
    ka, kb = k("HS256", S256, kid="a"), k("HS384", S384, kid="b")
    both = {"algorithms": ["HS256", "HS384"]}
    t_a, t_b = kt({"alg": "HS256", "kid": "a"}), kt({"alg": "HS384", "kid": "b"}, secret=S384)
    cases = [
        case("each_key_verifies_its_own_algorithm_hs256", "the control: key a under HS256", t_a, ok(t_a),
             keys=[ka, kb], options=both),
        case("each_key_verifies_its_own_algorithm_hs384", "the control: key b under HS384", t_b, ok(t_b),
             keys=[ka, kb], options=both),
        case("hs384_token_naming_the_hs256_key_finds_no_key",
             "a kid never moves a key to another algorithm: key a is HS256 only",
             kt({"alg": "HS384", "kid": "a"}, secret=S256), NO_KEY, keys=[ka, kb], options=both),
        case("same_secret_under_hs256_and_hs512_is_refused",
             "one secret listed under two algorithms (two kids) is refused when the ring is built",
             kt({"alg": "HS256", "kid": "one"}, secret=S512), KEY, keys=[k("HS256", S512, kid="one"), k("HS512", S512, kid="two")],
             options={"algorithms": ["HS256", "HS512"]}),
        case("same_secret_under_hs256_and_hs384_without_kids_is_refused",
             "the same, for two kidless keys", tok(secret=S384), KEY, keys=[k("HS256", S384), k("HS384", S384)],
             options=both),
        case("same_secret_bytes_as_text_and_as_hex_under_two_algorithms_is_refused",
             "the secrets are compared as bytes, whatever form they were given in",
             kt({"alg": "HS512", "kid": "two"}, secret=S512), KEY,
             keys=[k("HS256", S512, kid="one"), k("HS512", S512.encode(), kid="two")],
             options={"algorithms": ["HS256", "HS512"]}),
        case("key_without_an_algorithm_is_refused", "a key must name the one algorithm it is used with", GOOD,
             OPTIONS, keys=[{"kid": "a", "secret": {"utf8": S256}}], only=JS_TYPES),
    ]
    return row(2, "RFC 8725 §3.1", "cross_algorithm_key_reuse",
               "Each key is used with exactly one algorithm.",
               "a ring entry is (kid, alg, secret); one secret under two algorithms is refused at construction.",
               cases)


def row3():
    cases = [
        case("rfc7515_a5_unsecured_jws_is_refused", "the RFC's own alg none example is refused", RFC7515_A5_TOKEN,
             ALG),
        case("alg_none_with_an_empty_signature_is_refused", "alg none is never accepted",
             kt({"alg": "none", "typ": "JWT"}) .rsplit(".", 1)[0] + ".", ALG),
        case("alg_none_capitalised_is_refused", "in no spelling", kt({"alg": "None"}).rsplit(".", 1)[0] + ".", ALG),
        case("alg_none_uppercase_is_refused", "in no spelling", kt({"alg": "NONE"}).rsplit(".", 1)[0] + ".", ALG),
        case("alg_none_with_a_valid_hmac_attached_is_refused", "a MAC does not rescue alg none",
             kt({"alg": "none"}, alg="HS256"), ALG),
        case("none_in_the_algorithms_option_is_refused", "none cannot even be listed: it does not exist here",
             GOOD, OPTIONS, options={"algorithms": ["HS256", "none"]}),
    ]
    return row(3, "RFC 8725 §3.2", "unsecured_jws_alg_none",
               "Use only current algorithms; none only when the JWT is otherwise protected.",
               "only HS256, HS384 and HS512 exist; none cannot be listed and is refused in every spelling.", cases)


def row4():
    inner = GOOD
    t_json = kt({"alg": "HS256", "cty": "json"})
    h, p, s = GOOD.split(".")
    cases = [
        case("cty_jwt_nested_token_is_not_supported", "a nested JWT is refused, never half-verified",
             kt({"alg": "HS256", "cty": "JWT"}, payload=json.dumps(inner)), NOT_SUPPORTED),
        case("cty_lowercase_jwt_is_not_supported", "cty is compared case-insensitively",
             kt({"alg": "HS256", "cty": "jwt"}), NOT_SUPPORTED),
        case("cty_application_jwt_is_not_supported", "and with its application/ prefix",
             kt({"alg": "HS256", "cty": "application/jwt"}), NOT_SUPPORTED),
        case("payload_that_is_a_compact_jwt_string_is_invalid",
             "an inner token smuggled as the payload (without cty) is not a claims set",
             kt({"alg": "HS256"}, payload=json.dumps(inner)), JWT_INVALID),
        case("five_segment_jwe_is_invalid", "JWE (an encrypted, possibly nested token) is not accepted",
             f"{h}.{p}.{p}.{p}.{s}", JWS_INVALID),
        case("cty_other_than_jwt_is_accepted", "the control: only nesting is refused", t_json, ok(t_json)),
    ]
    return row(4, "RFC 8725 §3.3", "nested_jwt_partial_validation",
               "Validate all cryptographic operations, including those of nested JWTs.",
               "nested JWTs (cty JWT) and JWE are refused outright, so no inner token is trusted unchecked.",
               cases)


def row5():
    h, p, _ = GOOD.split(".")
    sig = sig_of(GOOD)
    es = f"{seg({'alg': 'ES256', 'typ': 'JWT'})}.{p}.{b64u(bytes(64))}"
    epk = {"alg": "ECDH-ES", "enc": "A128GCM", "epk": {"kty": "EC", "crv": "P-256", "x": b64u(bytes(32)),
                                                       "y": b64u(bytes(32))}}
    cases = [
        case("signature_truncated_to_16_bytes_fails", "the tag must be the full digest: a truncated HMAC fails",
             set_sig(GOOD, sig[:16]), SIG),
        case("signature_one_byte_long_fails", "a tag longer than the digest fails", set_sig(GOOD, sig + b"\x00"),
             SIG),
        case("hs512_mac_truncated_to_hs256_length_fails", "a tag of the right length from another hash fails",
             set_sig(GOOD, mac("HS512", S256, f"{h}.{p}")[:32]), SIG),
        case("empty_signature_fails", "an empty tag is a failed MAC, not a missing check", f"{h}.{p}.", SIG),
        case("es256_psychic_signature_is_refused_as_not_allowed",
             "ES256 with r = s = 0 (CVE-2022-21449) is never parsed: ECDSA is not supported", es, ALG),
        case("ecdh_es_header_with_an_invalid_curve_point_is_refused",
             "ECDH-ES with an off-curve epk (invalid-curve attack) never reaches key agreement",
             kt(epk, alg="HS256"), ALG),
        case("es256_in_the_algorithms_option_is_refused_as_not_supported",
             "asymmetric algorithms cannot be configured", GOOD, OPTIONS, options={"algorithms": ["ES256"]}),
    ]
    return row(5, "RFC 8725 §3.4", "invalid_cryptographic_inputs",
               "Validate cryptographic inputs (ECDH public keys on the curve, ECDSA r and s in range).",
               "ECDH and ECDSA do not apply to an HMAC-only library and are refused as not supported; what "
               "applies is that the tag must be exactly the digest, compared in constant time.", cases)


def row6():
    forged = {}

    def confused(secret):
        """The RS→HS forgery: an HS256 token MACed with the public key's text."""
        forged[secret] = tok(secret=secret)
        return forged[secret]

    cases = [
        case("hs256_secret_of_32_bytes_is_accepted", "the control: a secret as long as the digest",
             tok(secret=b"\x5a" * 32), ok(tok(secret=b"\x5a" * 32)), keys=[k("HS256", b"\x5a" * 32)]),
        case("hs256_secret_of_31_bytes_is_refused", "RFC 7518 §3.2: an HS256 key has at least 32 bytes",
             tok(secret="k" * 31), KEY, keys=[k("HS256", "k" * 31)]),
        case("hs384_secret_of_47_bytes_is_refused", "48 for HS384", kt({"alg": "HS384"}, secret="k" * 47), KEY, keys=[k("HS384", "k" * 47)],
             options={"algorithms": ["HS384"]}),
        case("hs512_secret_of_63_bytes_is_refused", "64 for HS512", kt({"alg": "HS512"}, secret="k" * 63), KEY, keys=[k("HS512", "k" * 63)],
             options={"algorithms": ["HS512"]}),
        case("password_as_hs256_secret_is_refused", "a human password is too short to be a key",
             tok(secret="password"), KEY, keys=[k("HS256", "password")]),
        case("empty_secret_is_refused", "an empty secret never verifies anything (GHSA-gmvf-9v4p-v8jc)",
             tok(secret=""), KEY, keys=[k("HS256", "")]),
        case("pem_spki_public_key_as_secret_is_refused",
             "a PEM public key is not an HMAC secret (the first step of CVE-2015-9235)", confused(EC_PEM), KEY,
             keys=[k("HS256", EC_PEM)]),
        case("pem_rsa_public_key_as_secret_is_refused", "also a real RSA-2048 SPKI key",
             confused(RSA_SPKI_PEM), KEY, keys=[k("HS256", RSA_SPKI_PEM)]),
        case("pem_pkcs1_rsa_public_key_as_secret_is_refused", "also PKCS#1 framing (CVE-2023-48223)",
             confused(RSA_PKCS1_PEM), KEY, keys=[k("HS256", RSA_PKCS1_PEM)]),
        case("pem_certificate_as_secret_is_refused", "also an X.509 certificate", confused(CERT_PEM), KEY,
             keys=[k("HS256", CERT_PEM)]),
        case("pem_after_leading_whitespace_is_refused", "also after whitespace (CVE-2026-34950)",
             confused("\n\t  " + EC_PEM), KEY, keys=[k("HS256", "\n\t  " + EC_PEM)]),
        case("pem_after_a_non_whitespace_prefix_is_refused",
             "also after a zero-width character or a comment (GHSA-ww5h-9m49-7xx4)",
             confused("\u200b# key\n" + EC_PEM), KEY, keys=[k("HS256", "\u200b# key\n" + EC_PEM)]),
        case("pem_with_crlf_line_ends_given_as_bytes_is_refused", "also as bytes, with CRLF line ends",
             confused(EC_PEM.replace("\n", "\r\n")), KEY, keys=[k("HS256", EC_PEM.replace("\n", "\r\n").encode())]),
        case("openssh_public_key_as_secret_is_refused", "also an OpenSSH public key (CVE-2022-29217)",
             confused(SSH_ED25519), KEY, keys=[k("HS256", SSH_ED25519)]),
        case("public_jwk_json_as_secret_is_refused", "a JWK of a public key is not an HMAC secret either",
             confused(EC_JWK), KEY, keys=[k("HS256", EC_JWK)]),
    ]
    return row(6, "RFC 8725 §3.5", "weak_or_misused_hmac_secret",
               "Sufficient key entropy; no passwords as HMAC keys; RFC 7518 §3.2 key size at least the hash.",
               "secrets shorter than 32/48/64 bytes, empty secrets, and public keys (PEM, certificate, JWK) are "
               "refused with ERR_KEY_INVALID when the Verifier is built; there is no opt-out.", cases)


def row7():
    text = tok(payload='{"sub":"user-1","exp":%d,"name":"Zo\u00eb \u2603 \U0001f600"}' % EXP)
    utf8_key = "\u00e9" * 16  # 16 characters, 32 bytes
    t_key = tok(secret=utf8_key)
    cases = [
        case("utf8_claims_are_accepted_and_returned_intact", "the control: valid UTF-8 round-trips", text,
             ok(text)),
        case("payload_with_an_invalid_utf8_byte_is_invalid", "0xFF is never UTF-8",
             tok(payload=b'{"sub":"\xff","exp":%d}' % EXP), JWT_INVALID),
        case("payload_with_an_overlong_encoding_is_invalid", "overlong forms (C0 AF for /) are refused",
             tok(payload=b'{"sub":"\xc0\xaf","exp":%d}' % EXP), JWT_INVALID),
        case("payload_with_an_encoded_surrogate_is_invalid", "CESU-style surrogates (ED A0 80) are refused",
             tok(payload=b'{"sub":"\xed\xa0\x80","exp":%d}' % EXP), JWT_INVALID),
        case("payload_with_a_lone_surrogate_escape_is_invalid", "a \\ud800 escape decodes to no character",
             tok(payload='{"sub":"\\ud800","exp":%d}' % EXP), JWT_INVALID),
        case("header_with_an_invalid_utf8_byte_is_invalid", "the header is held to the same rule",
             tok(header=b'{"alg":"HS256","x":"\xff"}'), JWS_INVALID),
        case("text_secret_is_its_utf8_bytes", "a string secret means its UTF-8 bytes (32 bytes in 16 characters)",
             t_key, ok(t_key), keys=[k("HS256", utf8_key)]),
        case("the_same_secret_as_hex_bytes_verifies_the_same_token", "and its bytes given directly agree",
             t_key, ok(t_key), keys=[k("HS256", utf8_key.encode())]),
    ]
    return row(7, "RFC 8725 §3.7", "non_utf8_input",
               "Use UTF-8 for the header, the payload and secrets given as text.",
               "strict UTF-8 everywhere; a text secret is its UTF-8 bytes.", cases)


def row8():
    ta = tok(payload=dict(P, iss=ISS_A))
    ka, kb = k("HS256", S256, kid="a", issuer=ISS_A), k("HS256", S256B, kid="b", issuer=ISS_B)
    two = {"algorithms": ["HS256"], "issuer": [ISS_A, ISS_B]}
    a_with_a = kt({"alg": "HS256", "kid": "a"}, dict(P, iss=ISS_A))
    b_with_b = kt({"alg": "HS256", "kid": "b"}, dict(P, iss=ISS_B), secret=S256B)
    cases = [
        case("issuer_exact_match_is_accepted", "the control", ta, ok(ta),
             options={"algorithms": ["HS256"], "issuer": ISS_A}),
        case("issuer_mismatch_is_refused", "a token of another issuer is refused", ta, claim("iss"),
             options={"algorithms": ["HS256"], "issuer": ISS_B}),
        case("issuer_absent_when_configured_is_refused", "absent is not a match", GOOD, claim("iss", "missing"),
             options={"algorithms": ["HS256"], "issuer": ISS_A}),
        case("issuer_with_a_suffix_is_not_a_match", "exact match, not substring (GHSA-75c5-xw7c-p5pm)",
             tok(payload=dict(P, iss=ISS_A + ".attacker.example")), claim("iss"),
             options={"algorithms": ["HS256"], "issuer": ISS_A}),
        case("empty_issuer_list_is_refused", "an issuer allowlist that comes out empty never switches the check off",
             ta, OPTIONS, options={"algorithms": ["HS256"], "issuer": []}),
        case("issuer_a_token_with_issuer_as_key_is_accepted", "the control: a key speaks for its issuer",
             a_with_a, ok(a_with_a), keys=[ka, kb], options=two),
        case("issuer_b_token_with_issuer_bs_key_is_accepted", "the control, for the other issuer", b_with_b,
             ok(b_with_b), keys=[ka, kb], options=two),
        case("token_claiming_issuer_a_signed_with_issuer_bs_key_is_refused",
             "the key that verified the token must belong to the issuer the token claims",
             kt({"alg": "HS256", "kid": "b"}, dict(P, iss=ISS_A), secret=S256B), claim("iss"), keys=[ka, kb],
             options=two),
        case("subject_mismatch_is_refused", "sub is checked exactly when configured", GOOD, claim("sub"),
             options={"algorithms": ["HS256"], "subject": "user-2"}),
    ]
    return row(8, "RFC 8725 §3.8", "issuer_spoofing_and_unbound_keys",
               "Validate iss and that the key belongs to the issuer; validate sub when it matters.",
               "exact iss and sub matching; a key entry may name its issuer, and then only tokens of that issuer "
               "verify with it.", cases)


def row9():
    taud = tok(payload=dict(P, aud="api"))
    tarr = tok(payload=dict(P, aud=["web", "api"]))
    api = {"algorithms": ["HS256"], "audience": "api"}
    cases = [
        case("audience_match_is_accepted", "the control", taud, ok(taud), options=api),
        case("audience_found_in_an_aud_array_is_accepted", "an aud array needs one match", tarr, ok(tarr),
             options=api),
        case("token_for_another_service_is_refused", "a token minted for a sibling service is refused",
             tok(payload=dict(P, aud="billing")), claim("aud"), options=api),
        case("audience_absent_when_configured_is_refused", "absent aud is not a match", GOOD,
             claim("aud", "missing"), options=api),
        case("audience_substring_is_not_a_match", "exact match only", tok(payload=dict(P, aud="api2")),
             claim("aud"), options=api),
        case("aud_present_without_a_configured_audience_is_refused",
             "a token addressed to someone is refused by a verifier that names no audience (RFC 7519 §4.1.3)",
             taud, claim("aud")),
        case("empty_audience_list_is_refused", "an audience allowlist that comes out empty never switches the "
             "check off", taud, OPTIONS, options={"algorithms": ["HS256"], "audience": []}),
    ]
    return row(9, "RFC 8725 §3.9", "cross_service_token_reuse",
               "Use and validate aud; refuse a token without it when an audience is configured.",
               "aud is checked whenever configured, refused when present but unconfigured; an empty list is "
               "refused.", cases)


def row10():
    attacker = {"alg": "HS256", "typ": "JWT", "jku": "https://attacker.example/jwks.json",
                "x5u": "https://attacker.example/cert.pem", "x5c": ["MIIBattacker"],
                "jwk": {"kty": "oct", "k": b64u(ATTACKER.encode())}}
    honest = tok(header=attacker)
    k1 = [k("HS256", S256, kid="k1")]
    t_k1 = kt({"alg": "HS256", "kid": "k1"})
    cases = [
        case("kid_exact_match_selects_the_key", "the control", t_k1, ok(t_k1), keys=k1),
        case("embedded_jwk_is_never_the_key", "a key carried in the token is never trusted (CVE-2018-0114)",
             tok(header=attacker, secret=ATTACKER), SIG),
        case("jku_url_is_never_fetched", "an unknown kid with a jku finds no key; nothing is fetched",
             tok(header=dict(attacker, kid="attacker-key"), secret=ATTACKER), NO_KEY, keys=k1),
        case("x5u_alone_changes_nothing", "an x5u header does not change the key",
             kt({"alg": "HS256", "x5u": "https://attacker.example/c.pem"}, secret=ATTACKER), SIG),
        case("kid_path_traversal_is_only_compared", "kid ../../dev/null is a map key, not a path (empty-key "
             "forgery)", kt({"alg": "HS256", "kid": "../../../../dev/null"}, secret=""), NO_KEY, keys=k1),
        case("kid_sql_injection_is_only_compared", "kid is never interpreted",
             kt({"alg": "HS256", "kid": "x' UNION SELECT 'attacker"}, secret=ATTACKER), NO_KEY, keys=k1),
        case("kid_with_a_nul_byte_is_only_compared", "no C-string truncation",
             kt({"alg": "HS256", "kid": "k1\u0000evil"}, secret=ATTACKER), NO_KEY, keys=k1),
        case("header_key_hints_on_a_genuine_token_are_ignored", "the headers are ignored, not acted on",
             honest, ok(honest)),
    ]
    return row(10, "RFC 8725 §3.10", "trusting_received_key_hints",
               "Do not trust received claims: sanitise kid, allowlist jku/x5u.",
               "kid is only an exact map key; jku, x5u, x5c and jwk are never fetched or used.", cases)


def row11():
    def th(typ, **kw):
        return tok(header={"alg": "HS256", "typ": typ} if typ is not None else {"alg": "HS256"}, **kw)

    at = {"algorithms": ["HS256"], "typ": "at+jwt"}
    cases = [
        case("typ_at_jwt_is_accepted", "the control", th("at+jwt"), ok(th("at+jwt")), options=at),
        case("typ_with_the_application_prefix_is_accepted", "application/at+jwt is at+jwt (RFC 7515 §4.1.9)",
             th("application/at+jwt"), ok(th("application/at+jwt")), options=at),
        case("typ_in_another_case_is_accepted", "media types compare case-insensitively", th("AT+JWT"),
             ok(th("AT+JWT")), options=at),
        case("generic_jwt_typ_is_refused_where_at_jwt_is_required", "another kind of JWT is refused",
             th("JWT"), claim("typ"), options=at),
        case("absent_typ_is_refused_where_one_is_required", "explicit typing means typ must be there",
             th(None), claim("typ", "missing"), options=at),
        case("typ_with_parameters_is_not_a_match", "no loose media-type parsing", th("at+jwt; q=1"),
             claim("typ"), options=at),
        case("application_prefix_is_implied_only_without_a_slash",
             "typ application/text/plain does not match text/plain (RFC 7515 §4.1.9)", th("text/plain"),
             claim("typ"), options={"algorithms": ["HS256"], "typ": "application/text/plain"}),
    ]
    return row(11, "RFC 8725 §3.11", "token_type_confusion",
               "Use explicit typing (typ).",
               "typ is checked when configured, media-type normalised as RFC 7515 §4.1.9 says, nothing looser.",
               cases)


def row12():
    access_key, id_key = k("HS256", S256, kid="access-1"), k("HS256", S256B, kid="id-1")
    iss = "https://issuer.example"
    access = {"algorithms": ["HS256"], "issuer": iss, "audience": "api", "typ": "at+jwt"}
    id_opts = {"algorithms": ["HS256"], "issuer": iss, "audience": "client-1", "typ": "JWT"}
    at_claims = dict(P, iss=iss, aud="api")
    id_claims = dict(P, iss=iss, aud="client-1", nonce="n-1")
    at = kt({"alg": "HS256", "typ": "at+jwt", "kid": "access-1"}, at_claims)
    idt = kt({"alg": "HS256", "typ": "JWT", "kid": "id-1"}, id_claims, secret=S256B)
    cases = [
        case("access_token_accepted_by_the_access_profile", "the control", at, ok(at), keys=[access_key],
             options=access),
        case("id_token_accepted_by_the_id_profile", "the control", idt, ok(idt), keys=[id_key], options=id_opts),
        case("id_token_refused_by_the_access_profile", "each kind has its own key: the ID token's kid is unknown",
             idt, NO_KEY, keys=[access_key], options=access),
        case("access_token_refused_by_the_id_profile", "and the other way round", at, NO_KEY, keys=[id_key],
             options=id_opts),
        case("id_token_signed_with_the_access_key_is_refused_by_typ",
             "a deployment that shares one key is still separated by typ",
             kt({"alg": "HS256", "typ": "JWT", "kid": "access-1"}, dict(id_claims, aud="api")), claim("typ"),
             keys=[access_key], options=access),
        case("access_typed_token_for_another_audience_is_refused", "and by aud",
             kt({"alg": "HS256", "typ": "at+jwt", "kid": "access-1"}, dict(at_claims, aud="client-1")),
             claim("aud"), keys=[access_key], options=access),
    ]
    return row(12, "RFC 8725 §3.12", "cross_jwt_confusion",
               "Use mutually exclusive validation rules for different kinds of JWTs.",
               "one Verifier per token kind (its own keys, typ and aud), so no kind verifies as another.", cases)


def row13():
    cases = [
        case("crit_naming_an_unknown_extension_is_not_supported", "an extension we do not understand is refused",
             kt({"alg": "HS256", "crit": ["urn:example:must-understand"], "urn:example:must-understand": 1}),
             NOT_SUPPORTED),
        case("crit_naming_a_registered_header_is_not_supported", "crit never names what the JWS itself defines",
             kt({"alg": "HS256", "crit": ["exp"], "exp": EXP}), NOT_SUPPORTED),
        case("crit_empty_array_is_not_supported", "an empty crit is invalid (RFC 7515 §4.1.11)",
             kt({"alg": "HS256", "crit": []}), NOT_SUPPORTED),
        case("crit_b64_false_unencoded_payload_is_not_supported", "RFC 7797 unencoded payloads are refused",
             kt({"alg": "HS256", "b64": False, "crit": ["b64"]}), NOT_SUPPORTED),
        case("crit_as_a_string_is_not_supported", "a malformed crit is refused, not skipped",
             kt({"alg": "HS256", "crit": "b64"}), NOT_SUPPORTED),
        case("header_without_crit_is_accepted", "the control", GOOD, ok(GOOD)),
    ]
    return row(13, "RFC 7515 §4.1.11", "ignored_critical_extensions",
               "Reject a JWS whose crit lists an extension the verifier does not understand.",
               "every crit is refused (none is understood for compact HMAC JWS; b64 never).", cases)


def row14():
    same = tok(payload='{"a":{"k":1},"b":{"k":2},"exp":%d}' % EXP)
    cases = [
        case("duplicate_exp_is_invalid", "an expired exp followed by a valid one is not resolved either way",
             tok(payload='{"exp":%d,"sub":"user-1","exp":%d}' % (T - 3600, EXP)), JWT_INVALID),
        case("duplicate_sub_is_invalid", "two subjects: the parsers of two services could disagree",
             tok(payload='{"sub":"user-1","exp":%d,"sub":"admin"}' % EXP), JWT_INVALID),
        case("duplicate_via_a_unicode_escape_is_invalid", "names compare after unescaping",
             tok(payload='{"sub":"user-1","exp":%d,"\\u0073ub":"admin"}' % EXP), JWT_INVALID),
        case("duplicate_in_a_nested_object_is_invalid", "at every depth",
             tok(payload='{"exp":%d,"ctx":{"role":"user","role":"admin"}}' % EXP), JWT_INVALID),
        case("duplicate_alg_in_the_header_is_invalid", "the header too: alg none then HS256",
             tok(header='{"alg":"none","alg":"HS256"}'), JWS_INVALID),
        case("same_name_in_different_objects_is_accepted", "the control: only true duplicates are refused",
             same, ok(same)),
    ]
    return row(14, "RFC 7519 §4", "duplicate_claim_parser_differential",
               "Reject duplicate member names or take the last (RFC 7519 §4).",
               "duplicates are refused, in the header and at every depth of the payload.", cases)


def row15():
    frac = tok(payload='{"sub":"user-1","exp":%d.5}' % EXP)
    cases = [
        case("fractional_exp_is_accepted", "the control: a NumericDate may have a fraction", frac, ok(frac)),
        case("exp_as_a_string_is_invalid", "exp \"never\" is malformed, not absent (CVE-2026-25537)",
             tok(payload='{"sub":"user-1","exp":"never"}'), claim("exp", "invalid")),
        case("exp_as_a_numeric_string_is_invalid", "no coercion of \"1700000600\"",
             tok(payload='{"sub":"user-1","exp":"%d"}' % EXP), claim("exp", "invalid")),
        case("exp_null_is_invalid", "null is not absent", tok(payload='{"sub":"user-1","exp":null}'),
             claim("exp", "invalid")),
        case("exp_overflowing_to_infinity_is_invalid", "1e400 is not a finite number",
             tok(payload='{"sub":"user-1","exp":1e400}'), claim("exp", "invalid")),
        case("nbf_as_a_string_is_invalid", "the same for nbf",
             tok(payload='{"sub":"user-1","exp":%d,"nbf":"now"}' % EXP), claim("nbf", "invalid")),
        case("iat_as_a_boolean_is_invalid", "and for iat", tok(payload='{"sub":"user-1","exp":%d,"iat":true}' % EXP),
             claim("iat", "invalid")),
        case("exp_zero_is_expired", "0 is a time in 1970, not 'no expiry' (a truthy check would skip it)",
             tok(payload='{"sub":"user-1","exp":0}'), fails("ERR_JWT_EXPIRED", "exp", "check_failed")),
        case("absent_exp_is_missing", "exp is required by default", tok(payload='{"sub":"user-1"}'),
             claim("exp", "missing")),
        case("empty_required_claims_list_is_refused", "a requiredClaims list that comes out empty never drops "
             "the exp requirement", tok(payload='{"sub":"user-1"}'), OPTIONS,
             options={"algorithms": ["HS256"], "requiredClaims": []}),
    ]
    return row(15, "RFC 7519 §2, §4.1.4-6", "numeric_date_type_confusion",
               "A NumericDate must be a number; absent is not malformed.",
               "exp, nbf and iat must be finite JSON numbers; a wrong type is ERR_JWT_CLAIM_VALIDATION_FAILED "
               "reason invalid, never 'absent'.", cases)


def render():
    rows = [row1(), row2(), row3(), row4(), row5(), row6(), row7(), row8(), row9(), row10(), row11(), row12(),
            row13(), row14(), row15()]
    names = set()
    for r in rows:
        assert r["cases"], r["threat"]
        for c in r["cases"]:
            assert c["name"] not in names, c["name"]
            names.add(c["name"])
            e = c["expect"]
            assert ("payload" in e) != ("code" in e), c["name"]
            assert "payload" in e or e["stage"] in ("construct", "verify"), c["name"]
    assert [r["row"] for r in rows] == list(range(1, 16)), "15 rows, in order"
    doc = {
        "description": "RFC 8725 (JWT BCP, BCP 225) verifier checklist, ANCHORS.md §2.3: one row per item, each "
                       "naming its threat, with cases that prove the library's stance. Generated by "
                       "tests/vectors/rfc8725.py.",
        "rows": rows,
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def main(argv):
    return write_or_check(render(), OUT, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
