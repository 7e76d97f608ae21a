//! Verification of compact JWS tokens, in DESIGN.md's fixed order of checks.

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{ErrorKind, Result};
use crate::header;
use crate::key::{HmacKey, KeyRing};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::segments::{decode_segments, split_capped, Buffers};
use crate::validation::Validation;

/// A verified token: its decoded header and payload JSON texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The header JSON.
    pub header_json: String,
    /// The payload JSON (parse it with serde_json or similar for custom claims).
    pub payload_json: String,
}

/// A key ring plus a policy: verifies tokens synchronously, with `now` passed in.
#[derive(Debug, Clone)]
pub struct Verifier {
    ring: KeyRing,
    validation: Validation,
    /// (`jwe-ticket`) This verifier's own number (a clone has the same keys and policy: the same).
    #[cfg(feature = "jwe-ticket")]
    id: u32,
}

/// (`jwe-ticket`, the Node and workerd artifact) Steps 3 and 4 of the last token, kept in its
/// buffers: the decoded header bytes, the verifier (its number) that read them, the key it chose
/// (an index into the ring) and where `typ` lies in the header text. Those steps are a function
/// of the header bytes and the verifier alone, so the next token with the very same header bytes
/// on the same verifier takes the same key and `typ` without reading the header again (the
/// tokens of one issuer share their header); any other header is read in full, and a failure is
/// never kept. Tests: `a_kept_header_*` below.
#[cfg(feature = "jwe-ticket")]
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    verifier: u32,
    header: Vec<u8>,
    key: usize,
    typ: Option<(usize, usize)>,
}

/// The numbers of the verifiers made (`Kept::verifier`): never the same twice in one instance.
#[cfg(feature = "jwe-ticket")]
static VERIFIERS: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

/// (`jwe-ticket`) The next number of `counter` (the verifiers' here, the decrypters' in
/// src/jwe/decrypt.rs), for what is kept under it: never the same twice in one instance. Past
/// the last (`u32::MAX`) every call is refused (`ERR_INVALID_OPTIONS`) rather than wrap around
/// to a number in use.
#[cfg(feature = "jwe-ticket")]
pub(crate) fn next_number(counter: &core::sync::atomic::AtomicU32) -> Result<u32> {
    use core::sync::atomic::Ordering::Relaxed;
    counter.fetch_update(Relaxed, Relaxed, |n| n.checked_add(1)).map_err(|_| ErrorKind::InvalidOptions.into())
}

impl Verifier {
    /// Builds a verifier. Refuses an empty key ring or invalid options (`ERR_INVALID_OPTIONS`),
    /// a key whose algorithm is not in `validation.algorithms`, and a key bound to an issuer
    /// that the issuer allowlist does not accept (both `ERR_INVALID_OPTIONS`).
    pub fn new(ring: KeyRing, validation: Validation) -> Result<Self> {
        validation.check()?;
        let unusable = |k: &HmacKey| {
            !validation.algorithms.contains(k.alg())
                || k.issuer()
                    .zip(validation.issuer.as_deref())
                    .is_some_and(|(i, list)| !list.iter().any(|x| x == i))
        };
        if ring.keys().is_empty() || ring.keys().iter().any(unusable) {
            return Err(ErrorKind::InvalidOptions.into());
        }
        #[cfg(feature = "jwe-ticket")]
        let id = next_number(&VERIFIERS)?;
        Ok(Self {
            ring,
            validation,
            #[cfg(feature = "jwe-ticket")]
            id,
        })
    }

    /// The policy.
    #[must_use]
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// Verifies `token` at `now` (seconds since the epoch, fractions allowed).
    pub fn verify(&self, token: &str, now: f64) -> Result<Verified> {
        let mut bufs = Buffers::default();
        self.verify_into(token.as_bytes(), now, &mut bufs)?;
        Ok(Verified {
            header_json: bufs.header_json().to_owned(),
            payload_json: bufs.payload_json().to_owned(),
        })
    }

    /// Verifies into reusable buffers; on success they hold the header and payload JSON.
    /// A non-finite `now` is refused (`ERR_INVALID_OPTIONS`) before the token is looked at.
    pub fn verify_into(&self, token: &[u8], now: f64, bufs: &mut Buffers) -> Result<()> {
        let signed = self.decode_into(token, now, bufs)?;
        #[cfg(feature = "jwe-ticket")]
        let (key, typ) = self.select_kept(&bufs.header, &mut bufs.kept)?;
        #[cfg(not(feature = "jwe-ticket"))]
        let (key, typ) = self.select(&bufs.header)?;
        // 5. Constant-time MAC over the signing input; the tag length must be the digest length.
        if !key.verify(&[signed], &bufs.signature) {
            return Err(ErrorKind::SignatureInvalid.into());
        }
        self.judge(key, typ, bufs, now)
    }

    /// Steps 1 and 2: the size caps, the three segments, strict base64url into `bufs`. Returns
    /// the signing input (`header.payload`), a prefix of `token`.
    #[inline(always)] // verify_into compiles as one function, as before the split
    pub(crate) fn decode_into<'t>(&self, token: &'t [u8], now: f64, bufs: &mut Buffers) -> Result<&'t [u8]> {
        if !now.is_finite() {
            return Err(ErrorKind::InvalidOptions.into());
        }
        // 1. Size caps (token, header) and exactly three segments.
        let seg = split_capped(token, self.validation.limits())?;
        // 2. Strict base64url for all three segments.
        decode_segments(&seg, bufs)?;
        Ok(seg.signed)
    }

    /// Steps 3 and 4 over the decoded header in `bufs`: the header, the algorithm allowlist,
    /// then the key bound to that algorithm. Returns the key and the header's `typ`.
    #[inline(always)] // verify_into compiles as one function, as before the split
    pub(crate) fn select<'b>(&self, header: &'b [u8]) -> Result<(&HmacKey, Option<Cow<'b, str>>)> {
        // 3. Header: strict JSON object, alg present, crit refused.
        let header_text = core::str::from_utf8(header).map_err(|_| ErrorKind::JwsInvalid)?;
        let header = header::parse(header_text)?;
        // 4. Algorithm allowlist, then the key bound to that algorithm.
        let alg = Algorithm::from_name(&header.alg)
            .filter(|a| self.validation.algorithms.contains(*a))
            .ok_or(ErrorKind::AlgNotAllowed)?;
        let key = self.ring.select(alg, header.kid.as_deref()).ok_or(ErrorKind::NoMatchingKey)?;
        Ok((key, header.typ))
    }

    /// [`Self::select`], or what it chose for the last token when this token's header bytes are
    /// the very same and the same verifier read them (`Kept`).
    #[cfg(feature = "jwe-ticket")]
    fn select_kept<'b>(
        &self,
        header: &'b [u8],
        kept: &mut Option<Kept>,
    ) -> Result<(&HmacKey, Option<Cow<'b, str>>)> {
        let hit = kept.as_ref().filter(|k| k.verifier == self.id && k.header == header);
        if let Some((key, typ)) = hit.and_then(|k| Some((self.ring.keys().get(k.key)?, k.typ))) {
            let text = core::str::from_utf8(header).map_err(|_| ErrorKind::JwsInvalid)?;
            let typ = match typ {
                Some((from, to)) => Some(Cow::Borrowed(text.get(from..to).ok_or(ErrorKind::JwsInvalid)?)),
                None => None,
            };
            return Ok((key, typ));
        }
        *kept = None;
        let (key, typ) = self.select(header)?;
        let index = self.ring.keys().iter().position(|k| core::ptr::eq(k, key));
        // `typ` as a range of the header text (borrowed: no escape in it), else nothing kept.
        let base = header.as_ptr() as usize;
        let range = match &typ {
            None => Some(None),
            Some(Cow::Borrowed(t)) => {
                (t.as_ptr() as usize).checked_sub(base).map(|at| Some((at, at + t.len())))
            }
            Some(Cow::Owned(_)) => None,
        };
        if let (Some(key), Some(typ)) = (index, range) {
            *kept = Some(Kept { verifier: self.id, header: header.to_vec(), key, typ });
        }
        Ok((key, typ))
    }

    /// Steps 6 and 7, only after step 5 verified the signature with `key`: the payload in
    /// `bufs`, then the policy at `now`.
    #[inline(always)] // verify_into compiles as one function, as before the split
    pub(crate) fn judge(
        &self,
        key: &HmacKey,
        typ: Option<Cow<'_, str>>,
        bufs: &Buffers,
        now: f64,
    ) -> Result<()> {
        // 6. Payload: strict JSON object with typed registered claims.
        let payload_text = core::str::from_utf8(&bufs.payload).map_err(|_| ErrorKind::JwtInvalid)?;
        let claims = Claims::parse(payload_text)?;
        // 7. Policy, with time judged only now that the signature verified.
        self.validation.validate_for(&claims, typ.as_deref(), key.issuer(), now)
    }

    /// The keys, in the order they were given (a key's index is its place here).
    #[cfg(all(feature = "native-mac", target_arch = "wasm32"))]
    pub(crate) fn keys(&self) -> &[HmacKey] {
        self.ring.keys()
    }
}

#[cfg(all(test, feature = "jwe-ticket"))]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;

    const NOW: f64 = 1_700_000_000.0;

    #[test]
    fn the_numbers_never_come_again_past_the_last_every_new_one_is_refused() {
        let counter = core::sync::atomic::AtomicU32::new(u32::MAX - 2);
        assert_eq!(next_number(&counter).unwrap(), u32::MAX - 2);
        assert_eq!(next_number(&counter).unwrap(), u32::MAX - 1);
        for _ in 0..3 {
            // Never u32::MAX, never 0 again after a wrap.
            assert_eq!(next_number(&counter).unwrap_err().code(), "ERR_INVALID_OPTIONS");
        }
    }

    fn verifier(keys: &[(&str, &[u8])], typ: Option<&str>) -> Verifier {
        let keys =
            keys.iter().map(|(kid, s)| HmacKey::new(Some(kid), Algorithm::HS256, s).unwrap()).collect();
        let mut v = Validation::new([Algorithm::HS256].into_iter().collect()).unwrap();
        v.typ = typ.map(String::from);
        Verifier::new(KeyRing::new(keys).unwrap(), v).unwrap()
    }

    /// A token of exactly this header text, signed with `secret` (`payload` gets an `exp`).
    fn token(header: &str, payload: &str, secret: &[u8]) -> String {
        let payload = payload.replacen('{', r#"{"exp":1800000000,"#, 1).replace(",}", "}");
        let (mut h, mut p) = (String::new(), String::new());
        crate::b64::encode_into(header.as_bytes(), &mut h);
        crate::b64::encode_into(payload.as_bytes(), &mut p);
        let signed = format!("{h}.{p}");
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap();
        mac.update(signed.as_bytes());
        let mut s = String::new();
        crate::b64::encode_into(&mac.finalize().into_bytes(), &mut s);
        format!("{signed}.{s}")
    }

    type Said = core::result::Result<(Vec<u8>, Vec<u8>), &'static str>;

    /// What `v` says of `t` with `bufs`, and what a verifier of the same keys and policy says
    /// with buffers of its own (nothing kept).
    fn both(v: &Verifier, fresh: &Verifier, t: &str, bufs: &mut Buffers) -> (Said, Said) {
        let run = |v: &Verifier, b: &mut Buffers| {
            v.verify_into(t.as_bytes(), NOW, b)
                .map(|()| (b.header.clone(), b.payload.clone()))
                .map_err(|e| e.code())
        };
        (run(v, bufs), run(fresh, &mut Buffers::default()))
    }

    #[test]
    fn a_kept_header_gives_what_reading_it_again_gives_and_only_for_its_own_verifier() {
        let (a, b, c) = (&[1u8; 32][..], &[2u8; 32][..], &[3u8; 32][..]);
        let v1 = verifier(&[("k1", a), ("k2", b)], Some("JWT"));
        let v2 = verifier(&[("k1", c)], Some("JWT"));
        let h1 = r#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#;
        let escaped = r#"{"alg":"HS256","kid":"k1","typ":"J\u0057T"}"#;
        let steps: [(&Verifier, &Verifier, String, bool, bool); 10] = [
            (&v1, &verifier(&[("k1", a), ("k2", b)], Some("JWT")), token(h1, r#"{"n":1}"#, a), true, true),
            (&v1, &verifier(&[("k1", a), ("k2", b)], Some("JWT")), token(h1, r#"{"n":2}"#, a), true, true),
            (&v1, &verifier(&[("k1", a), ("k2", b)], Some("JWT")), token(h1, r#"{"n":3}"#, b), false, true),
            (
                &v1,
                &verifier(&[("k1", a), ("k2", b)], Some("JWT")),
                token(&h1.replace("k1", "k2"), "{}", b),
                true,
                true,
            ),
            (&v1, &verifier(&[("k1", a), ("k2", b)], Some("JWT")), token(escaped, "{}", a), true, false),
            (&v1, &verifier(&[("k1", a), ("k2", b)], Some("JWT")), token(h1, "{}", a), true, true),
            (
                &v1,
                &verifier(&[("k1", a), ("k2", b)], Some("JWT")),
                token(&h1.replace("HS256", "HS384"), "{}", a),
                false,
                false,
            ),
            (&v1, &verifier(&[("k1", a), ("k2", b)], Some("JWT")), token(h1, "{}", a), true, true),
            // Another verifier meets the same header bytes in the same buffers: its own key.
            (&v2, &verifier(&[("k1", c)], Some("JWT")), token(h1, "{}", a), false, true),
            (&v2, &verifier(&[("k1", c)], Some("JWT")), token(h1, "{}", c), true, true),
        ];
        let mut bufs = Buffers::default();
        for (i, (v, fresh, t, ok, kept)) in steps.iter().enumerate() {
            let (got, want) = both(v, fresh, t, &mut bufs);
            assert_eq!(got, want, "step {i}");
            assert_eq!(got.is_ok(), *ok, "step {i}: {got:?}");
            let k = bufs.kept.as_ref().filter(|k| k.verifier == v.id);
            assert_eq!(k.is_some(), *kept, "step {i}: kept");
        }
        // The typ policy reads the kept typ: a header of another typ is refused, kept or not.
        let at = token(&h1.replace("JWT", "at+jwt"), "{}", a);
        for _ in 0..2 {
            let (got, want) = both(&v1, &verifier(&[("k1", a), ("k2", b)], Some("JWT")), &at, &mut bufs);
            assert_eq!(got, want);
            assert_eq!(got.unwrap_err(), "ERR_JWT_CLAIM_VALIDATION_FAILED");
        }
    }

    #[test]
    fn a_kept_header_is_a_clone_verifiers_too_and_never_a_new_one_of_other_keys() {
        let v = verifier(&[("k1", &[1u8; 32])], None);
        let copy = v.clone();
        assert_eq!(copy.id, v.id, "a clone: the same keys and policy");
        let other = verifier(&[("k1", &[1u8; 32])], None);
        assert_ne!(other.id, v.id, "every new verifier has its own number");
    }
}
