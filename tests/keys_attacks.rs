//! The public-key capability's refusals, each named after the threat it stops: algorithm
//! confusion (HS256 against a public key set, `alg: none`, a kid naming a key of another type),
//! header key injection (`jwk`/`jku`/`x5u`/`x5c`), invalid coordinates, psychic signatures
//! (CVE-2022-21449), non-canonical Ed25519 S, short RSA keys, ambiguous sets, private members.
#![cfg(feature = "keys")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation
)]

use jwt_wasm::{
    read_jwk, read_jwks, Algorithm, Buffers, JwkProblem, PublicAlgorithm as A, PublicAlgorithmSet, PublicKey,
    PublicVerifier, Read, Validation,
};

const P256: &str = r#""kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0""#;
const RSA_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const ED_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
/// The P-256 group order n, big-endian.
const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
/// The Ed25519 group order L, big-endian.
const ED_L: &str = "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";

fn set(algs: &[A]) -> PublicAlgorithmSet {
    algs.iter().copied().collect()
}

fn policy() -> Validation {
    let mut v = Validation::new([Algorithm::HS256].into_iter().collect()).unwrap();
    v.required_claims = vec!["sub".into()];
    v
}

fn b64(bytes: &[u8]) -> String {
    let mut s = String::new();
    jwt_wasm::__fuzz::b64_encode_into(bytes, &mut s);
    s
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn token(header: &str, sig: &[u8]) -> String {
    format!("{}.{}.{}", b64(header.as_bytes()), b64(br#"{"sub":"u1"}"#), b64(sig))
}

fn one(jwk: &str, allowed: &[A]) -> PublicKey {
    match read_jwk(jwk, set(allowed)).unwrap() {
        Read::Key(k) => k,
        Read::Skipped => panic!("skipped: {jwk}"),
    }
}

fn problem(jwk: &str, allowed: &[A]) -> Option<JwkProblem> {
    read_jwk(jwk, set(allowed)).err().and_then(|e| e.jwk_problem())
}

fn begin_code(v: &PublicVerifier, t: &str) -> &'static str {
    v.begin(t.as_bytes(), 0.0, &mut Buffers::default()).map(|_| "OK").unwrap_or_else(|e| e.code())
}

fn ec_verifier() -> PublicVerifier {
    let k = one(&format!(r#"{{{P256},"kid":"ec"}}"#), &[A::ES256, A::RS256]);
    let r = one(&format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB","kid":"rsa"}}"#), &[A::RS256]);
    PublicVerifier::new(vec![k, r], set(&[A::ES256, A::RS256]), policy()).unwrap()
}

#[test]
fn hs256_against_a_public_key_set_is_no_public_algorithm() {
    // The classic RS256 -> HS256 confusion: a token MACed with the public key's bytes.
    let v = ec_verifier();
    for alg in ["HS256", "HS384", "HS512"] {
        let t = token(&format!(r#"{{"alg":"{alg}","kid":"rsa"}}"#), &[7; 32]);
        assert_eq!(begin_code(&v, &t), "ERR_JOSE_ALG_NOT_ALLOWED", "{alg}");
    }
    // And no key of a public set can be an HMAC secret: oct is refused, an HS alg on a public key too.
    assert_eq!(problem(r#"{"kty":"oct","k":"AAAA"}"#, &[A::RS256]), Some(JwkProblem::Oct));
    let hs_on_rsa = format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB","alg":"HS256"}}"#);
    assert_eq!(problem(&hs_on_rsa, &[A::RS256]), Some(JwkProblem::Alg));
}

#[test]
fn alg_none_in_any_spelling_is_not_allowed() {
    let v = ec_verifier();
    for alg in ["none", "None", "NONE", "nOnE", "", "es256", "ES256 "] {
        assert_eq!(
            begin_code(&v, &token(&format!(r#"{{"alg":"{alg}"}}"#), &[])),
            "ERR_JOSE_ALG_NOT_ALLOWED",
            "{alg:?}"
        );
    }
}

#[test]
fn a_kid_naming_a_key_of_another_type_matches_nothing() {
    let v = ec_verifier();
    let sig = [[0u8; 31].as_slice(), &[1], &[0; 31], &[1]].concat();
    assert_eq!(begin_code(&v, &token(r#"{"alg":"ES256","kid":"ec"}"#, &sig)), "OK");
    assert_eq!(begin_code(&v, &token(r#"{"alg":"ES256","kid":"rsa"}"#, &sig)), "ERR_JWKS_NO_MATCHING_KEY");
    assert_eq!(
        begin_code(&v, &token(r#"{"alg":"RS256","kid":"ec"}"#, &[1; 256])),
        "ERR_JWKS_NO_MATCHING_KEY"
    );
    assert_eq!(begin_code(&v, &token(r#"{"alg":"ES256","kid":"nobody"}"#, &sig)), "ERR_JWKS_NO_MATCHING_KEY");
    // Without a kid: the one key of the token's algorithm; two of them: none is guessed.
    assert_eq!(begin_code(&v, &token(r#"{"alg":"ES256"}"#, &sig)), "OK");
    let two = vec![
        one(&format!("{{{P256},\"kid\":\"a\"}}"), &[A::ES256]),
        one(&format!("{{{P256},\"kid\":\"b\"}}"), &[A::ES256]),
    ];
    let v2 = PublicVerifier::new(two, set(&[A::ES256]), policy()).unwrap();
    assert_eq!(begin_code(&v2, &token(r#"{"alg":"ES256"}"#, &sig)), "ERR_JWKS_NO_MATCHING_KEY");
}

#[test]
fn keys_in_the_header_are_ignored() {
    // jwk / jku / x5u / x5c name an attacker's key: the key comes from the ring only.
    let v = ec_verifier();
    let attacker = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}}"#);
    let header = format!(
        r#"{{"alg":"ES256","kid":"ec","jwk":{attacker},"jku":"https://evil.example/jwks","x5u":"https://evil.example/c","x5c":["MIIB"]}}"#
    );
    let sig = [[0u8; 31].as_slice(), &[1], &[0; 31], &[1]].concat();
    let begun = v.begin(token(&header, &sig).as_bytes(), 0.0, &mut Buffers::default()).unwrap();
    assert_eq!(v.keys()[begun.key].kid(), Some("ec"));
    assert!(v.keys()[begun.key].jwk().contains("P-256"));
}

#[test]
fn invalid_coordinates_are_refused_by_the_reader() {
    let p = "_____wAAAAEAAAAAAAAAAAAAAAD___________________8"; // the P-256 prime p itself
    let y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
    for (x, y) in [
        (p, y),
        (y, p),
        ("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE", y), // 31 bytes... not canonical base64url here
        ("AA", y),
        (&*b64(&[0xff; 32]), y),
        (&*b64(&[1; 33]), y),
    ] {
        let jwk = format!(r#"{{"kty":"EC","crv":"P-256","x":"{x}","y":"{y}"}}"#);
        let got = problem(&jwk, &[A::ES256]);
        assert!(matches!(got, Some(JwkProblem::EcCoordinate | JwkProblem::Base64url)), "{x}: {got:?}");
    }
    // A P-384 key with P-256-sized coordinates (Wycheproof tcId 23).
    let wrong_curve = P256.replace("P-256", "P-384");
    assert_eq!(problem(&format!("{{{wrong_curve}}}"), &[A::ES384]), Some(JwkProblem::EcCoordinate));
    assert_eq!(
        problem(&format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#, b64(&[1; 31])), &[A::EdDSA]),
        Some(JwkProblem::OkpKey)
    );
}

#[test]
fn psychic_signatures_never_reach_the_runtime() {
    // CVE-2022-21449: r = 0 or s = 0 verified any message in Java 15-18; r, s >= n are no signature.
    let v = ec_verifier();
    let (zero, one_, n) = (vec![0u8; 32], [vec![0u8; 31], vec![1]].concat(), hex(P256_N));
    let n_plus = {
        let mut x = n.clone();
        x[31] += 1;
        x
    };
    for (what, sig) in [
        ("r = s = 0", [zero.clone(), zero.clone()].concat()),
        ("r = 0", [zero.clone(), one_.clone()].concat()),
        ("s = 0", [one_.clone(), zero.clone()].concat()),
        ("r = n", [n.clone(), one_.clone()].concat()),
        ("s = n", [one_.clone(), n.clone()].concat()),
        ("s > n", [one_.clone(), n_plus].concat()),
        ("s = 2^256 - 1", [one_.clone(), vec![0xff; 32]].concat()),
        ("63 bytes", vec![1; 63]),
        ("DER instead of r||s", hex("3006020101020101")),
        ("empty", vec![]),
    ] {
        let t = token(r#"{"alg":"ES256","kid":"ec"}"#, &sig);
        assert_eq!(begin_code(&v, &t), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "{what}");
    }
}

#[test]
fn rsa_and_ed25519_signatures_have_their_exact_form() {
    let v = ec_verifier();
    for len in [0, 255, 257, 512] {
        let t = token(r#"{"alg":"RS256","kid":"rsa"}"#, &vec![1; len]);
        assert_eq!(begin_code(&v, &t), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "{len}");
    }
    let ed = one(&format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}}"#), &[A::EdDSA]);
    let v = PublicVerifier::new(vec![ed], set(&[A::EdDSA]), policy()).unwrap();
    let le = |be: Vec<u8>| be.into_iter().rev().collect::<Vec<u8>>();
    let l = le(hex(ED_L));
    let mut l_minus = hex(ED_L);
    l_minus[31] -= 1;
    assert_eq!(begin_code(&v, &token(r#"{"alg":"EdDSA"}"#, &[vec![9; 32], le(l_minus)].concat())), "OK");
    for (what, sig) in [
        ("S = L", [vec![9; 32], l.clone()].concat()),
        ("S = 2^256 - 1", [vec![9; 32], vec![0xff; 32]].concat()),
        ("63 bytes", vec![0; 63]),
    ] {
        assert_eq!(
            begin_code(&v, &token(r#"{"alg":"EdDSA"}"#, &sig)),
            "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
            "{what}"
        );
    }
}

#[test]
fn short_or_odd_rsa_keys_are_refused() {
    let short = "rJBIp6T1YK-RtPyvYqFFlcucqewSAA_IReSFchE8qyiQrbARqRlXWkB2DR8j_pJQnIpYELbQWZC5Cd0PTGAU8rMbar2AW6zpmBbi7aQf17lUBdt8XI9M9rq7FPVQ1dDdUXm1SVH_9qqWhvMPR422SbfHBEzCAtzK0ANDRo6qz78";
    let rsa = |n: &str, e: &str| format!(r#"{{"kty":"RSA","n":"{n}","e":"{e}","alg":"RS256"}}"#);
    assert_eq!(problem(&rsa(short, "AQAB"), &[A::RS256]), Some(JwkProblem::RsaShort));
    let leading_zero = b64(&[vec![0], jwt_wasm_b64url(RSA_N)].concat());
    assert_eq!(problem(&rsa(&leading_zero, "AQAB"), &[A::RS256]), Some(JwkProblem::RsaModulus));
    for e in ["AQ", "Ag", "AAEAAQ", "AQAA", "AQAAAAE"] {
        assert_eq!(problem(&rsa(RSA_N, e), &[A::RS256]), Some(JwkProblem::RsaExponent), "{e}");
    }
    assert_eq!(problem(&rsa(RSA_N, "Aw"), &[A::RS256]), None);
}

fn jwt_wasm_b64url(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    jwt_wasm::__fuzz::b64_decode_into(s.as_bytes(), &mut out).unwrap();
    out
}

#[test]
fn a_set_with_duplicate_kids_is_refused_whole() {
    let ed = |kid: &str| format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","kid":"{kid}"}}"#);
    let text = format!(r#"{{"keys":[{},{}]}}"#, ed("k"), ed("k"));
    assert_eq!(read_jwks(&text, set(&[A::EdDSA])).unwrap_err().code(), "ERR_JWKS_INVALID");
    // Even when the twins are keys we would skip.
    assert_eq!(read_jwks(&text, set(&[A::ES256])).unwrap_err().code(), "ERR_JWKS_INVALID");
    let ok = read_jwks(&format!(r#"{{"keys":[{},{}]}}"#, ed("a"), ed("b")), set(&[A::EdDSA])).unwrap();
    assert_eq!((ok.keys.len(), ok.skipped), (2, 0));
    for bad in [
        r#"{"keys":{}}"#,
        r#"{"keys":[1]}"#,
        r#"{"key":[]}"#,
        r#"{"keys":[],"keys":[]}"#,
        "[]",
        r#"{"keys":[{"kty":"EC","kty":"EC"}]}"#,
    ] {
        assert!(read_jwks(bad, set(&[A::EdDSA])).is_err(), "{bad}");
    }
}

#[test]
fn private_members_refuse_the_key() {
    for m in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
        let jwk = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}","{m}":"AAAA"}}"#);
        assert_eq!(problem(&jwk, &[A::EdDSA]), Some(JwkProblem::Private), "{m}");
    }
}

#[test]
fn use_key_ops_and_alg_must_fit_the_key() {
    let ed = |extra: &str| format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"{extra}}}"#);
    assert_eq!(read_jwk(&ed(r#","use":"enc""#), set(&[A::EdDSA])).unwrap(), Read::Skipped);
    assert_eq!(problem(&ed(r#","use":"sign""#), &[A::EdDSA]), Some(JwkProblem::Use));
    assert_eq!(problem(&ed(r#","key_ops":["sign"]"#), &[A::EdDSA]), Some(JwkProblem::KeyOps));
    assert_eq!(problem(&ed(r#","key_ops":["verify","verify"]"#), &[A::EdDSA]), Some(JwkProblem::KeyOps));
    assert_eq!(problem(&ed(r#","key_ops":"verify""#), &[A::EdDSA]), Some(JwkProblem::Malformed));
    assert_eq!(problem(&ed(r#","key_ops":["verify"],"use":"sig""#), &[A::EdDSA]), None);
    assert_eq!(problem(&ed(r#","alg":"ES256""#), &[A::EdDSA]), Some(JwkProblem::Alg));
    assert_eq!(problem(&ed(r#","alg":"ES521""#), &[A::EdDSA]), Some(JwkProblem::Alg));
    assert_eq!(problem(&ed(r#","kid":"""#), &[A::EdDSA]), Some(JwkProblem::Kid));
    assert_eq!(problem(&ed(&format!(r#","kid":"{}""#, "k".repeat(257))), &[A::EdDSA]), Some(JwkProblem::Kid));
    assert_eq!(problem(&ed(&format!(r#","kid":"{}""#, "k".repeat(256))), &[A::EdDSA]), None);
    // A known algorithm outside the allowlist, another curve, another kty: skipped, counted.
    assert_eq!(read_jwk(&ed(r#","alg":"EdDSA""#), set(&[A::ES256])).unwrap(), Read::Skipped);
    assert_eq!(
        read_jwk(r#"{"kty":"OKP","crv":"X25519","x":"AA"}"#, set(&[A::EdDSA])).unwrap(),
        Read::Skipped
    );
    assert_eq!(
        read_jwk(r#"{"kty":"EC","crv":"P-521","x":"AA","y":"AA"}"#, set(&[A::ES256])).unwrap(),
        Read::Skipped
    );
    assert_eq!(read_jwk(r#"{"kty":"AKP"}"#, set(&[A::ES256])).unwrap(), Read::Skipped);
}

#[test]
fn an_rsa_key_without_alg_is_never_bound_from_the_token() {
    let rsa = format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB"}}"#);
    assert_eq!(problem(&rsa, &[A::RS256, A::PS256]), Some(JwkProblem::NoAlg));
    assert_eq!(one(&rsa, &[A::PS256, A::ES256]).alg(), A::PS256);
    assert_eq!(one(&format!("{{{P256}}}"), &[A::ES256]).alg(), A::ES256);
    assert_eq!(
        one(&format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{ED_X}"}}"#), &[A::Ed25519]).alg(),
        A::Ed25519
    );
}
