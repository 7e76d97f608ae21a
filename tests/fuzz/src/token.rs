//! The `verify`, `decode_unverified` and `inspect` fuzz checks: whole tokens through the core,
//! and what the three operations must agree on.

use jwt_wasm::dangerous::{self, warn, DEFAULT_MAX_LIFETIME};
use jwt_wasm::{json, Buffers, ClaimReason, Claims, ErrorKind, Verifier};

use crate::oracle::json_never_looser_than_serde;
use crate::world::{b64, sign_raw, world, NOW};

/// Tokens through every verifier. Byte 0 even: the rest is the token. Byte 0 odd: byte 1 picks
/// the signing key (low nibble) and, if its bit 4 is set, flips a bit of the tag; the rest is
/// `header 0x00 payload`, signed by the harness, so tokens get past the MAC to the claims and
/// the policy. A token signed with a stranger's key or a damaged tag is never accepted.
/// Returns how many of the verifiers accepted the token.
pub fn verify(data: &[u8]) -> usize {
    let w = world();
    let (token, forged) = match data {
        [mode, sel, rest @ ..] if mode & 1 == 1 => {
            let mut parts = rest.splitn(2, |&b| b == 0);
            let (header, payload) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
            let Some(key) = w.keys.get(usize::from(sel & 15) % w.keys.len()) else { return 0 };
            let mut token = sign_raw(&key.key, header, payload).into_bytes();
            let damaged = sel & 16 != 0;
            if damaged {
                let tag_start = token.iter().rposition(|&b| b == b'.').map_or(0, |i| i + 1);
                let at = tag_start + usize::from(sel >> 5) % (token.len() - tag_start).max(1);
                if let Some(c) = token.get_mut(at) {
                    // Another character of the alphabet: a different tag, or a non-canonical one.
                    *c = if *c == b'A' { b'B' } else { b'A' };
                }
            }
            (token, damaged || !key.held)
        }
        [_, rest @ ..] => (rest.to_vec(), false),
        [] => return 0,
    };
    let mut results = Vec::with_capacity(4);
    for v in w.verifiers() {
        let r = verify_one(v, &token);
        assert!(!(forged && r.is_ok()), "a forged token verified: {:?}", String::from_utf8_lossy(&token));
        results.push(r);
    }
    let [permissive, strict, tiny, _] = [0, 1, 2, 3].map(|i| results.get(i).and_then(|r| r.as_ref().ok()));
    if tiny.is_some() {
        assert!(token.len() <= 200, "the 200-byte cap let {} bytes through", token.len());
        assert!(permissive.is_some(), "the tiny policy accepted what the permissive one refused");
    }
    if strict.is_some() {
        // The permissive policy expects no audience, so an `aud` is all it may refuse.
        if let Some(Err(e)) = results.first() {
            let aud = matches!(e.kind(), ErrorKind::Claim { claim, reason: ClaimReason::CheckFailed } if claim == "aud");
            assert!(aud, "the strict policy accepted what the permissive one refused with {}", e.code());
        }
    }
    results.iter().filter(|r| r.is_ok()).count()
}

/// One verifier: `verify` and `verify_into` agree; an accepted token is canonical (its segments
/// are the encodings of what it verified to), decodes unverified to the same JSON, inspects,
/// and its header names an algorithm the verifier allows.
fn verify_one(v: &Verifier, token: &[u8]) -> Result<(String, String), jwt_wasm::Error> {
    let mut bufs = Buffers::default();
    let into = v.verify_into(token, NOW, &mut bufs);
    let Ok(s) = std::str::from_utf8(token) else {
        assert!(into.is_err(), "verify_into accepted a token that is not UTF-8");
        return into.map(|()| Default::default());
    };
    let r = v.verify(s, NOW);
    match (&r, &into) {
        (Ok(a), Ok(())) => {
            assert_eq!(a.header_json, bufs.header_json());
            assert_eq!(a.payload_json, bufs.payload_json());
        }
        (Err(a), Err(b)) => {
            let what = |e: &jwt_wasm::Error| (e.code(), e.claim_name().map(str::to_owned), e.reason());
            assert_eq!(what(a), what(b), "verify and verify_into disagree on {s:?}");
        }
        _ => panic!("verify and verify_into disagree on {s:?}"),
    }
    let verified = r?;
    let (h, p) = (&verified.header_json, &verified.payload_json);
    let signing_input = format!("{}.{}.", b64(h.as_bytes()), b64(p.as_bytes()));
    assert!(s.starts_with(&signing_input), "an accepted token is not canonical: {s:?}");
    let d = dangerous::decode_unverified(s, usize::MAX)
        .unwrap_or_else(|e| panic!("verify accepted what decode_unverified refuses ({}): {s:?}", e.code()));
    assert_eq!((&d.header_json, &d.payload_json), (h, p));
    if let Err(e) = dangerous::inspect(s, NOW, DEFAULT_MAX_LIFETIME, usize::MAX) {
        panic!("verify accepted what inspect refuses ({}): {s:?}", e.code());
    }
    let header = d.header().unwrap_or_else(|e| panic!("verified header does not parse: {}", e.code()));
    let alg = jwt_wasm::Algorithm::from_name(&header.alg);
    assert!(alg.is_some_and(|a| v.validation().algorithms.contains(a)), "verified alg {:?}", header.alg);
    json_never_looser_than_serde(h);
    json_never_looser_than_serde(p);
    Ok((verified.header_json, verified.payload_json))
}

/// Unverified decoding: accepted means exactly two dots, canonical base64url for header and
/// payload, both strict JSON objects (never looser than serde_json), the header typed; the size
/// cap is exact; refusals are structural only.
pub fn decode_unverified(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let d = match dangerous::decode_unverified(s, usize::MAX) {
        Ok(d) => d,
        Err(e) => {
            let structural =
                matches!(e.kind(), ErrorKind::JwsInvalid | ErrorKind::JwtInvalid | ErrorKind::NotSupported);
            assert!(structural, "decode_unverified refused with {}: {s:?}", e.code());
            return;
        }
    };
    assert_eq!(s.bytes().filter(|&b| b == b'.').count(), 2, "not three segments: {s:?}");
    let prefix = format!("{}.{}.", b64(d.header_json.as_bytes()), b64(d.payload_json.as_bytes()));
    assert!(s.starts_with(&prefix), "decode_unverified accepted a non-canonical token: {s:?}");
    assert!(json::parse_object(&d.header_json).is_ok() && json::parse_object(&d.payload_json).is_ok());
    assert!(json_never_looser_than_serde(&d.header_json) && json_never_looser_than_serde(&d.payload_json));
    assert!(d.header().is_ok(), "decoded header does not parse: {s:?}");
    assert!(dangerous::decode_unverified(s, s.len()).is_ok(), "a cap of exactly its length refuses it");
    if let Some(cap) = s.len().checked_sub(1) {
        let r = dangerous::decode_unverified(s, cap);
        assert!(r.is_err_and(|e| *e.kind() == ErrorKind::TooLarge), "a cap one byte short lets it in");
    }
}

/// `inspect`: accepted means decode_unverified accepts the same parts and the claims type; the
/// times and every warning bit follow from the claims, at a fixed `now` and lifetime ceiling.
pub fn inspect(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(i) = dangerous::inspect(s, NOW, DEFAULT_MAX_LIFETIME, usize::MAX) else {
        return;
    };
    let d = dangerous::decode_unverified(s, usize::MAX)
        .unwrap_or_else(|e| panic!("inspect accepted what decode_unverified refuses ({}): {s:?}", e.code()));
    assert_eq!((&i.token.header_json, &i.token.payload_json), (&d.header_json, &d.payload_json));
    let claims = Claims::parse(&d.payload_json).unwrap_or_else(|e| panic!("inspected claims: {}", e.code()));
    assert_eq!((i.exp, i.nbf, i.iat), (claims.exp, claims.nbf, claims.iat), "times of {s:?}");
    assert_eq!(i.expires_in, claims.exp.map(|e| e - NOW));
    assert_eq!(i.expired, claims.exp.is_some_and(|e| NOW >= e));
    assert_eq!(i.not_yet_valid, claims.nbf.is_some_and(|n| NOW < n));
    assert_eq!(i.lifetime, claims.exp.zip(claims.iat).map(|(e, t)| e - t));
    let bit = |b: u32| i.warnings & b != 0;
    assert_eq!(bit(warn::NO_EXP), claims.exp.is_none(), "NO_EXP of {s:?}");
    let long = claims.exp.is_some_and(|e| i.lifetime.unwrap_or(e - NOW) > DEFAULT_MAX_LIFETIME);
    assert_eq!(bit(warn::LONG_LIFETIME), long, "LONG_LIFETIME of {s:?}");
    let header = d.header().unwrap_or_else(|e| panic!("inspected header: {}", e.code()));
    assert_eq!(bit(warn::ALG_NONE), header.alg.eq_ignore_ascii_case("none"), "ALG_NONE of {s:?}");
    assert_eq!(bit(warn::PERSONAL_DATA), !i.personal_data.is_empty(), "PERSONAL_DATA of {s:?}");
    let known = warn::NO_EXP | warn::LONG_LIFETIME | warn::ALG_NONE | warn::PERSONAL_DATA;
    assert_eq!(i.warnings & !known, 0, "unknown warning bits");
    for name in &i.personal_data {
        assert!(claims.members.iter().any(|m| m.name == name.as_str()), "personal {name:?} is no claim");
    }
}
