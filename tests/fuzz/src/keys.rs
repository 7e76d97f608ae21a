//! The `keys` fuzz checks (feature `keys`): the JWK/JWKS reader, the public-key verify's two
//! phases over a fixed key set, and certificates to JWKs. Beyond "no panic": a key read writes
//! back a minimal JWK that reads as the same key; `begin` hands out only signatures of the
//! chosen key's exact form; `end` agrees with `begin` on the key and refuses without a verdict;
//! a certificate's JWK reads back as a key.

use std::sync::OnceLock;

use jwt_wasm::{
    cert_jwk, read_jwk, read_jwks, Algorithm, Buffers, ErrorKind, PublicAlgorithm, PublicAlgorithmSet,
    PublicKey, PublicVerifier, Read, Validation,
};

/// The fixed key set of `pk_verify`: RFC 7515 A.2 (RSA, kid "rsa"), A.3 (P-256, kid "ec"),
/// RFC 8037 A (Ed25519, no kid).
const KEYS: &str = r#"{"keys":[
{"kty":"RSA","kid":"rsa","alg":"RS256","e":"AQAB","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
{"kty":"EC","kid":"ec","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;

/// The `now` of the verify check (RFC 7515's tokens expire at 1300819380).
const NOW: f64 = 1_300_819_379.0;

fn all() -> PublicAlgorithmSet {
    PublicAlgorithm::ALL.into_iter().collect()
}

fn verifier() -> &'static PublicVerifier {
    static V: OnceLock<PublicVerifier> = OnceLock::new();
    V.get_or_init(|| {
        let allowed = all();
        let keys = read_jwks(KEYS, allowed).unwrap().keys;
        let policy = Validation::new([Algorithm::HS256].into_iter().collect()).unwrap();
        PublicVerifier::new(keys, allowed, policy).unwrap()
    })
}

/// A key's minimal JWK reads back, under its own algorithm only, as the same key.
fn round_trips(k: &PublicKey) {
    let own: PublicAlgorithmSet = [k.alg()].into_iter().collect();
    match read_jwk(&k.jwk(), own) {
        Ok(Read::Key(again)) => {
            assert_eq!(again.jwk(), k.jwk(), "the minimal JWK is stable");
            assert!(again.alg().verifies(k.alg()));
        }
        other => panic!("the minimal JWK of a key read does not read back: {other:?}"),
    }
}

/// Byte 0 even: one JWK, odd: a JWKS; bytes 1-2 the allowlist (bits, little-endian); the rest the
/// JSON text. Returns 1 when a key was read.
pub fn jwk_read(data: &[u8]) -> usize {
    let [mode, lo, hi, rest @ ..] = data else { return 0 };
    let Ok(text) = std::str::from_utf8(rest) else { return 0 };
    let Some(allowed) = PublicAlgorithmSet::from_bits(u32::from(*lo) | (u32::from(*hi & 3) << 8)) else {
        return 0;
    };
    if mode & 1 == 0 {
        match read_jwk(text, allowed) {
            Ok(Read::Key(k)) => {
                assert!(
                    allowed.contains(k.alg())
                        || PublicAlgorithm::ALL.iter().any(|a| allowed.contains(*a) && k.alg().verifies(*a))
                );
                round_trips(&k);
                1
            }
            Ok(Read::Skipped) => 0,
            Err(e) => {
                assert!(matches!(e.kind(), ErrorKind::JwkInvalid(_)), "one JWK is refused as a JWK: {e:?}");
                0
            }
        }
    } else {
        match read_jwks(text, allowed) {
            Ok(set) => {
                for (i, k) in set.keys.iter().enumerate() {
                    round_trips(k);
                    if let Some(kid) = k.kid() {
                        assert!(
                            set.keys.iter().skip(i + 1).all(|o| o.kid() != Some(kid)),
                            "a kid twice in a set read"
                        );
                    }
                }
                usize::from(!set.keys.is_empty())
            }
            Err(e) => {
                assert!(matches!(e.kind(), ErrorKind::JwksInvalid | ErrorKind::JwkInvalid(_)), "{e:?}");
                0
            }
        }
    }
}

/// The bytes are a token, verified in two phases against [`KEYS`]. Returns 1 when `begin`
/// handed a signature to the runtime.
pub fn pk_verify(data: &[u8]) -> usize {
    let v = verifier();
    let mut bufs = Buffers::default();
    let Ok(begun) = v.begin(data, NOW, &mut bufs) else {
        // Without begin's consent, end never gets further either.
        let e = v.end(data, NOW, true, 0, &mut bufs).unwrap_err();
        assert!(!matches!(e.kind(), ErrorKind::Expired { .. } | ErrorKind::Claim { .. }), "{e:?}");
        return 0;
    };
    let key = &v.keys()[begun.key];
    let sig = bufs.signature().to_vec();
    let want = match key.alg() {
        PublicAlgorithm::ES256 | PublicAlgorithm::EdDSA | PublicAlgorithm::Ed25519 => 64,
        _ => 256,
    };
    assert_eq!(sig.len(), want, "the signature has the key's exact length");
    assert!(key.signature_form_ok(&sig));
    assert_eq!(Some(begun.signed_len), data.iter().rposition(|&b| b == b'.'));
    let refused = v.end(data, NOW, false, begun.key, &mut bufs).unwrap_err();
    assert_eq!(refused.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    let other = (begun.key + 1) % v.keys().len();
    assert_eq!(v.end(data, NOW, true, other, &mut bufs).unwrap_err().code(), "ERR_INVALID_OPTIONS");
    if let Err(e) = v.end(data, NOW, true, begun.key, &mut bufs) {
        // After begin's consent and a verdict, only the payload and the policy may refuse.
        assert!(
            matches!(e.kind(), ErrorKind::JwtInvalid | ErrorKind::Expired { .. } | ErrorKind::Claim { .. }),
            "{e:?}"
        );
    }
    1
}

/// The bytes are a certificate's text. Returns 1 when it gave a JWK.
pub fn cert_key(data: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(data) else { return 0 };
    match cert_jwk(text) {
        Ok(jwk) => {
            let rsa_one: PublicAlgorithmSet = [
                PublicAlgorithm::RS256,
                PublicAlgorithm::ES256,
                PublicAlgorithm::ES384,
                PublicAlgorithm::EdDSA,
            ]
            .into_iter()
            .collect();
            match read_jwk(&jwk, rsa_one) {
                Ok(Read::Key(k)) => assert_eq!(k.jwk(), jwk, "a certificate's JWK is minimal and reads back"),
                other => panic!("a certificate's JWK does not read: {other:?}"),
            }
            1
        }
        Err(e) => {
            assert!(matches!(e.kind(), ErrorKind::JwkInvalid(_)), "{e:?}");
            0
        }
    }
}
