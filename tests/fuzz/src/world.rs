//! The fixed world the fuzz checks run in: keys (HS256/384/512, several kids, strangers that
//! no ring holds), the verifiers (permissive, strict with iss/aud/sub/typ, a tiny size cap,
//! HS256-only by kid), and the small helpers that build tokens.

use std::sync::OnceLock;

use jwt_wasm::{Algorithm, AlgorithmSet, HmacKey, KeyRing, Validation, Verifier};

/// The `now` every token check runs at.
pub const NOW: f64 = 1_700_000_000.0;

/// A key the harness may sign with; `held` is false for the strangers no verifier trusts.
pub struct Key {
    pub key: HmacKey,
    pub held: bool,
}

/// The verifiers, by role.
pub struct World {
    pub keys: Vec<Key>,
    /// Every algorithm, only `exp` required (an empty list is refused), a clock tolerance of 60 s
    /// (the loosest).
    pub permissive: Verifier,
    /// Same ring: iss (two issuers), aud, sub, typ, exp and jti required, max age, tolerance 30 s.
    pub strict: Verifier,
    /// Same ring and policy as `permissive` but no tolerance and a 200-byte size cap.
    pub tiny: Verifier,
    /// HS256 only, three keys told apart by kid (none, k1, k2).
    pub by_kid: Verifier,
}

impl World {
    /// Every verifier, for the checks that hold for each.
    pub fn verifiers(&self) -> [&Verifier; 4] {
        [&self.permissive, &self.strict, &self.tiny, &self.by_kid]
    }
}

fn key(kid: Option<&str>, alg: Algorithm, secret: &[u8]) -> HmacKey {
    HmacKey::new(kid, alg, secret).unwrap_or_else(|e| panic!("fuzz world key: {}", e.code()))
}

fn build() -> World {
    let k = [
        key(None, Algorithm::HS256, b"fuzz secret for HS256 keys, 32+ bytes long"),
        key(Some("k1"), Algorithm::HS256, b"fuzz secret of the HS256 key k1, 32+ bytes"),
        key(Some("k2"), Algorithm::HS256, b"fuzz secret of the HS256 key k2, 32+ bytes"),
        key(Some("k1"), Algorithm::HS384, b"fuzz secret for HS384 keys, which need forty-eight bytes"),
        key(None, Algorithm::HS512, b"fuzz secret for HS512 keys, which need at least sixty-four bytes!!"),
        key(
            Some("k3"),
            Algorithm::HS512,
            b"fuzz secret of the HS512 key k3, which needs sixty-four bytes!!!!",
        ),
    ];
    let strangers = [
        key(Some("k1"), Algorithm::HS256, b"a stranger's HS256 secret that no ring holds"),
        key(None, Algorithm::HS512, b"a stranger's HS512 secret that no ring holds, sixty-four bytes long"),
    ];
    let ring = |idx: &[usize]| {
        let keys = idx.iter().filter_map(|&i| k.get(i).cloned()).collect();
        KeyRing::new(keys).unwrap_or_else(|e| panic!("fuzz world ring: {}", e.code()))
    };
    let all: AlgorithmSet = Algorithm::ALL.into_iter().collect();
    let policy = |algs: AlgorithmSet| {
        Validation::new(algs).unwrap_or_else(|e| panic!("fuzz world policy: {}", e.code()))
    };
    let mut permissive = policy(all);
    permissive.clock_tolerance = 60.0;
    let mut strict = policy(all);
    strict.issuer = Some(vec!["https://issuer.example".into(), "https://other.example".into()]);
    strict.audience = Some(vec!["api".into()]);
    strict.subject = Some("user-1".into());
    strict.typ = Some("JWT".into());
    strict.clock_tolerance = 30.0;
    strict.max_token_age = Some(600.0);
    strict.required_claims = vec!["exp".into(), "jti".into()];
    let mut tiny = policy(all);
    tiny.max_token_bytes = 200;
    let hs256 = policy([Algorithm::HS256].into_iter().collect());
    let verifier = |ring: KeyRing, v: Validation| {
        Verifier::new(ring, v).unwrap_or_else(|e| panic!("fuzz world verifier: {}", e.code()))
    };
    let all_algs = [0, 3, 4, 5];
    let permissive = verifier(ring(&all_algs), permissive);
    let strict = verifier(ring(&all_algs), strict);
    let tiny = verifier(ring(&all_algs), tiny);
    let by_kid = verifier(ring(&[0, 1, 2]), hs256);
    let keys = k
        .into_iter()
        .map(|key| Key { key, held: true })
        .chain(strangers.into_iter().map(|key| Key { key, held: false }))
        .collect();
    World { keys, permissive, strict, tiny, by_kid }
}

/// The world, built once per process.
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(build)
}

/// Unpadded base64url, through the core's encoder.
pub fn b64(data: &[u8]) -> String {
    let mut s = String::new();
    jwt_wasm::__fuzz::b64_encode_into(data, &mut s);
    s
}

/// A compact token over raw header and payload bytes, signed with `key`.
pub fn sign_raw(key: &HmacKey, header: &[u8], payload: &[u8]) -> String {
    let mut token = b64(header);
    token.push('.');
    token.push_str(&b64(payload));
    let tag = key.sign(&[token.as_bytes()]);
    token.push('.');
    token.push_str(&b64(&tag));
    token
}
