//! The `sign_verify` fuzz check: a key and claims from the fuzzer, signed, then verified.

use jwt_wasm::{dangerous, Algorithm, Audience, ClaimReason, Claims, ErrorKind, HmacKey, KeyRing};
use jwt_wasm::{Signer, Validation, Verifier};

const KIDS: [Option<&str>; 4] = [None, Some("k1"), Some(""), Some("é\"\\\n/\u{1}")];
const TYPS: [Option<&str>; 4] = [None, Some("JWT"), Some("at+jwt"), Some("a\"b\\\u{1f}😀")];

/// Byte 0 picks the algorithm, byte 1 the kid (low bits) and typ (next bits), byte 2 how many
/// bytes the secret has beyond its algorithm's minimum; then the secret, then the claims.
///
/// `sign` accepts exactly the payloads whose claims type; the token decodes to the same payload
/// and to a header (checked against serde_json) with the key's alg and kid and the typ asked
/// for; a verifier holding the key, with a policy fitted to the claims (their audience, a `now`
/// inside their validity window), accepts it and returns the payload unchanged, or, when the
/// window is empty, refuses it for time only. A secret one bit off, or the token one character
/// short, is always refused.
pub fn sign_verify(data: &[u8]) {
    let [a, sel, extra, rest @ ..] = data else { return };
    let alg = *Algorithm::ALL.get(usize::from(*a) % 3).unwrap_or(&Algorithm::HS256);
    let secret_len = alg.digest_len() + usize::from(*extra % 64);
    let (Some(secret), Some(claims)) = (rest.get(..secret_len), rest.get(secret_len..)) else { return };
    let Ok(payload) = std::str::from_utf8(claims) else { return };
    let kid = KIDS.get(usize::from(sel & 3)).copied().flatten();
    let typ = TYPS.get(usize::from((sel >> 2) & 3)).copied().flatten();
    // Secrets the core refuses (a PEM or JWK public key, say) are not this check's business.
    let Ok(key) = HmacKey::new(kid, alg, secret) else { return };

    let parsed = Claims::parse(payload);
    let token = match (Signer::new(key.clone()).sign(payload, typ), &parsed) {
        (Ok(t), Ok(_)) => t,
        (Err(_), Err(_)) => return,
        (Ok(_), Err(e)) => panic!("sign accepted claims that do not type ({}): {payload:?}", e.code()),
        (Err(e), Ok(_)) => panic!("sign refused typed claims ({}): {payload:?}", e.code()),
    };
    let Ok(claims) = parsed else { return };

    let d = dangerous::decode_unverified(&token, usize::MAX)
        .unwrap_or_else(|e| panic!("a signed token does not decode ({}): {token:?}", e.code()));
    assert_eq!(d.payload_json, payload, "the payload did not round-trip");
    let header: serde_json::Value = serde_json::from_str(&d.header_json)
        .unwrap_or_else(|e| panic!("serde_json refuses the header we wrote ({e}): {}", d.header_json));
    assert_eq!(header["alg"].as_str(), Some(alg.name()));
    assert_eq!(header["typ"].as_str(), Some(typ.unwrap_or("JWT")), "typ of {}", d.header_json);
    assert_eq!(header["kid"].as_str(), kid, "kid of {}", d.header_json);

    // A policy that fits the claims, and a `now` inside their window if there is one.
    let Ok(mut policy) = Validation::new([alg].into_iter().collect()) else { return };
    // Required: a claim the token has (an empty list is refused, and `exp` may be absent).
    let names = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(payload).ok();
    let Some(name) =
        names.and_then(|m| m.keys().find(|n| !n.is_empty() && !n.chars().any(char::is_control)).cloned())
    else {
        return;
    };
    policy.required_claims = vec![name];
    policy.max_token_bytes = token.len();
    match &claims.aud {
        // An empty audience value cannot be configured: not this check's business.
        Some(Audience::One(a)) if a.is_empty() => return,
        Some(Audience::Many(list)) if list.iter().any(|a| a.is_empty()) => return,
        Some(Audience::One(a)) => policy.audience = Some(vec![a.to_string()]),
        // An empty list stays unconfigured: the token's `aud` is then refused (checked below).
        Some(Audience::Many(list)) if list.is_empty() => {}
        Some(Audience::Many(list)) => policy.audience = Some(list.iter().map(|a| a.to_string()).collect()),
        None => {}
    }
    let lower = [claims.iat, claims.nbf].into_iter().flatten().reduce(f64::max);
    let now = match (lower, claims.exp) {
        (Some(l), _) => l,
        (None, Some(exp)) => exp - 1.0,
        (None, None) => 1_700_000_000.0,
    };
    let open = claims.exp.is_none_or(|exp| now < exp);
    let empty_aud = matches!(&claims.aud, Some(Audience::Many(l)) if l.is_empty());
    let verifier = |k: HmacKey| {
        let ring = KeyRing::new(vec![k]).unwrap_or_else(|e| panic!("ring of one key: {}", e.code()));
        Verifier::new(ring, policy.clone()).unwrap_or_else(|e| panic!("verifier: {}", e.code()))
    };
    match verifier(key).verify(&token, now) {
        Ok(v) => {
            assert!(open && !empty_aud, "verified outside its window or with an empty aud: {payload:?}");
            assert_eq!(v.payload_json, payload);
        }
        Err(e) => {
            let time = matches!(e.kind(), ErrorKind::Expired { .. })
                || matches!(e.kind(), ErrorKind::Claim { claim, reason: ClaimReason::CheckFailed } if claim == "iat" || claim == "nbf");
            let aud = matches!(e.kind(), ErrorKind::Claim { claim, .. } if claim == "aud");
            assert!(
                (time && !open) || (aud && empty_aud),
                "a signed token fails with {}: {payload:?}",
                e.code()
            );
        }
    }

    // One bit off in the secret, or one character off the end: refused.
    let mut other = secret.to_vec();
    if let Some(b) = other.last_mut() {
        *b ^= 1;
    }
    if let Ok(wrong) = HmacKey::new(kid, alg, &other) {
        let r = verifier(wrong).verify(&token, now);
        assert!(r.is_err_and(|e| *e.kind() == ErrorKind::SignatureInvalid), "a wrong key verified {token:?}");
    }
    if let Some(short) = token.get(..token.len() - 1) {
        let Ok(key) = HmacKey::new(kid, alg, secret) else { return };
        assert!(verifier(key).verify(short, now).is_err(), "a truncated token verified: {short:?}");
    }
}
