//! A deterministic mutation fuzzer on stable Rust (no cargo-fuzz): no input may make the core
//! panic (a trap poisons a wasm instance), and the strict JSON reader is never looser than
//! serde_json.
//!
//! It starts from valid tokens and the tokens of `tests/vectors/*.json`, mutates them (bytes,
//! dots, segments, splices, re-signed grammar-built JSON: nested objects and arrays, escapes,
//! surrogates, huge numbers, deep nesting, long strings) and feeds each input to
//! `Verifier::verify`/`verify_into`, `dangerous::decode_unverified`, `dangerous::inspect`,
//! `Signer::sign` and `json::parse_object`.
//!
//! `JWT_WASM_FUZZ_SEED` (decimal or 0x-hex) and `JWT_WASM_FUZZ_ITERATIONS` (default 20 000)
//! control a run; a failure prints the seed and iteration, so it replays exactly. `make fuzz`
//! runs two million iterations in release mode.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use jwt_wasm::{
    dangerous, json, Algorithm, Buffers, ErrorKind, HmacKey, KeyRing, Signer, Validation, Verifier,
};

const DEFAULT_SEED: u64 = 0x6a77_742d_7761_736d; // "jwt-wasm"
const DEFAULT_ITERATIONS: u64 = 20_000;
const NOW: f64 = 1_700_000_000.0;
const SECRET_256: &[u8] = b"fuzz secret for HS256 keys, 32+ bytes long";
const SECRET_384: &[u8] = b"fuzz secret for HS384 keys, which need forty-eight bytes";
const SECRET_512: &[u8] = b"fuzz secret for HS512 keys, which need at least sixty-four bytes!!";

/// xorshift64* (Vigna): tiny, fast, and identical on every platform. With `noise` off, the
/// generators below produce only valid JSON and plausible headers, so tokens reach the policy.
struct Rng(u64, bool);

impl Rng {
    fn new(seed: u64) -> Self {
        // Zero is a fixed point of xorshift; splitmix the seed first.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Self((z ^ (z >> 31)) | 1, true)
    }

    /// True with probability 1/n, and never when noise is off.
    fn noisy(&mut self, n: usize) -> bool {
        self.1 && self.one_in(n)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => {
            let v = v.trim().replace('_', "");
            let parsed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}"))
        }
        Err(_) => default,
    }
}

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(data.len() * 4 / 3 + 3);
    for chunk in data.chunks(3) {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= u32::from(b) << (16 - 8 * i);
        }
        for i in 0..=chunk.len() {
            out.push(char::from(A[((acc >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// A grammar of JSON-ish text: mostly valid, sometimes subtly not.

const NAMES: [&str; 22] = [
    "exp",
    "nbf",
    "iat",
    "iss",
    "sub",
    "aud",
    "jti",
    "alg",
    "kid",
    "typ",
    "crit",
    "b64",
    "cty",
    "jku",
    "jwk",
    "scope",
    "email",
    "name",
    "a",
    "",
    "\\u0065xp",
    "\\u0061lg",
];

fn gen_string(rng: &mut Rng, out: &mut String) {
    out.push('"');
    let len = match rng.below(50) {
        0 => rng.below(4000),
        1..=8 => 0,
        _ => rng.below(12),
    };
    for _ in 0..len {
        match rng.below(40) {
            0 => out.push_str(rng.pick(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"])),
            1 => {
                // A \u escape: BMP, a surrogate pair, or a lone/misordered surrogate.
                let cp = match rng.below(4) {
                    0 => 0xD800 + rng.below(0x400),
                    1 if rng.1 => 0xDC00 + rng.below(0x400),
                    _ => match rng.below(0x10000) {
                        0xD800..=0xDFFF if !rng.1 => 0x41,
                        cp => cp,
                    },
                };
                out.push_str(&format!("\\u{cp:04x}"));
                if (0xD800..0xDC00).contains(&cp) && !rng.noisy(4) {
                    out.push_str(&format!("\\u{:04X}", 0xDC00 + rng.below(0x400)));
                }
            }
            2 => out.push(rng.pick(&['é', '😀', '\u{2028}', '\u{7f}', '€', '\u{fffd}'])),
            3 if rng.noisy(8) => out.push(char::from(rng.below(0x20) as u8)), // invalid raw control
            4 if rng.noisy(8) => out.push_str(rng.pick(&["\\x", "\\u12", "\\", "\\U0041"])), // invalid
            _ => out.push(char::from(b'a' + rng.below(26) as u8)),
        }
    }
    out.push('"');
}

fn gen_number(rng: &mut Rng, out: &mut String) {
    let n = match rng.below(16) {
        0 => "1e400".to_owned(),
        1 => "-1e400".to_owned(),
        2 => "1e-400".to_owned(),
        3 => "123456789012345678901234567890".to_owned(),
        4 => format!("{}.{}", NOW as u64 + rng.below(2000) as u64 - 1000, rng.below(1000)),
        5 => format!("{}e{}", rng.below(100), rng.below(700) as i64 - 350),
        6 => "-0".to_owned(),
        7 => format!("0.{}", "0".repeat(rng.below(400))) + "1",
        8 if rng.noisy(4) => {
            (rng.pick(&["01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity", "0x10"])).to_owned()
        }
        9 => "9".repeat(1 + rng.below(400)),
        _ => format!("{}", NOW as i64 + rng.below(4000) as i64 - 2000),
    };
    out.push_str(&n);
}

fn ws(rng: &mut Rng, out: &mut String) {
    if rng.one_in(10) {
        let n = if rng.1 { 6 } else { 4 };
        out.push_str(rng.pick(&[" ", "\n", "\t", "\r\n  ", "\u{a0}", "\u{feff}"][..n]));
    }
}

fn gen_value(rng: &mut Rng, depth: usize, max_depth: usize, out: &mut String) {
    let choice = if depth >= max_depth { 2 + rng.below(4) } else { rng.below(7) };
    match choice {
        0 => gen_object(rng, depth + 1, max_depth, out),
        1 => {
            out.push('[');
            let n = rng.below(5);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                gen_value(rng, depth + 1, max_depth, out);
            }
            if n > 0 && rng.noisy(30) {
                out.push(','); // trailing comma
            }
            out.push(']');
        }
        2 | 6 => gen_string(rng, out),
        3 => gen_number(rng, out),
        4 => out.push_str(rng.pick(&["true", "false", "null"])),
        _ => {
            if rng.noisy(20) {
                out.push_str(rng.pick(&["tru", "nul", "undefined", "'x'"]));
            } else {
                gen_number(rng, out);
            }
        }
    }
}

fn gen_object(rng: &mut Rng, depth: usize, max_depth: usize, out: &mut String) {
    out.push('{');
    let n = rng.below(7);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        ws(rng, out);
        if rng.one_in(3) {
            out.push('"');
            out.push_str(rng.pick(&NAMES));
            out.push('"');
        } else {
            gen_string(rng, out);
        }
        ws(rng, out);
        out.push(':');
        gen_value(rng, depth, max_depth, out);
    }
    if n > 0 && rng.noisy(30) {
        out.push(',');
    }
    out.push('}');
}

/// Nesting of exactly `levels` containers inside a top-level object.
fn gen_deep(rng: &mut Rng, levels: usize) -> String {
    let mut s = String::from("{\"exp\":1800000000,\"d\":");
    let mut closers = Vec::new();
    for _ in 0..levels {
        if rng.one_in(2) {
            s.push('[');
            closers.push(']');
        } else {
            s.push_str("{\"k\":");
            closers.push('}');
        }
    }
    s.push('1');
    while let Some(c) = closers.pop() {
        s.push(c);
    }
    s.push('}');
    s
}

/// A claims set: registered claims with mostly plausible values, plus grammar noise.
fn gen_payload(rng: &mut Rng) -> String {
    if rng.one_in(25) {
        let levels = rng.below(if rng.1 { 101 } else { 31 });
        return gen_deep(rng, levels);
    }
    if rng.noisy(10) {
        let mut s = String::new();
        let max_depth = 1 + rng.below(40);
        gen_value(rng, 0, max_depth, &mut s);
        return s;
    }
    let mut members: Vec<String> = Vec::new();
    let now = NOW as i64;
    if !rng.1 && rng.one_in(3) {
        // What the strict verifier wants, plus noise members: reaches the end of the policy.
        members.push(format!(
            r#""iss":"https://issuer.example","aud":["web","api"],"sub":"user-1","jti":"id-1","iat":{},"exp":{}"#,
            now - rng.below(700) as i64,
            now + rng.below(100) as i64 - 20
        ));
        let mut m = String::new();
        gen_string(rng, &mut m);
        m.push(':');
        gen_value(rng, 1, 6, &mut m);
        members.push(m);
        return format!("{{{}}}", members.join(","));
    }
    for (name, p) in [("exp", 2), ("nbf", 4), ("iat", 3), ("iss", 3), ("sub", 2), ("aud", 3), ("jti", 4)] {
        if rng.one_in(p) {
            continue;
        }
        let value = match (name, rng.below(6)) {
            (_, 0) if rng.1 => {
                let mut v = String::new();
                gen_value(rng, 1, 4, &mut v);
                v
            }
            ("exp", _) => format!("{}", now + rng.below(2000) as i64 - 500),
            ("nbf" | "iat", _) => format!("{}", now + rng.below(400) as i64 - 300),
            ("iss", _) => {
                format!("\"{}\"", rng.pick(&["https://issuer.example", "https://other.example", ""]))
            }
            ("sub", _) => format!("\"{}\"", rng.pick(&["user-1", "user-2"])),
            ("aud", 1) => "[\"api\",\"web\"]".to_owned(),
            ("aud", 2) => "[]".to_owned(),
            ("aud", _) => format!("\"{}\"", rng.pick(&["api", "web", "other"])),
            _ => "\"id-1\"".to_owned(),
        };
        members.push(format!("\"{name}\":{value}"));
    }
    for _ in 0..rng.below(4) {
        let mut m = String::new();
        gen_string(rng, &mut m);
        m.push(':');
        let max_depth = 1 + rng.below(8);
        gen_value(rng, 1, max_depth, &mut m);
        members.push(m);
    }
    if rng.noisy(15) && !members.is_empty() {
        let dup = members[rng.below(members.len())].clone();
        members.push(dup);
    }
    // Shuffle a little so order-dependent code paths see variety.
    for i in (1..members.len()).rev() {
        let j = rng.below(i + 1);
        members.swap(i, j);
    }
    let mut s = String::from("{");
    for (i, m) in members.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        ws(rng, &mut s);
        s.push_str(m);
    }
    s.push('}');
    s
}

fn gen_header(rng: &mut Rng) -> String {
    if rng.noisy(12) {
        let mut s = String::new();
        let max_depth = 1 + rng.below(35);
        gen_value(rng, 0, max_depth, &mut s);
        return s;
    }
    let algs = ["HS256", "HS256", "HS384", "HS512", "none", "None", "RS256", "hs256", ""];
    let alg = rng.pick(&algs[..if rng.1 { algs.len() } else { 4 }]);
    let mut s = format!("{{\"alg\":\"{alg}\"");
    if rng.one_in(2) {
        s.push_str(&format!(",\"typ\":\"{}\"", rng.pick(&["JWT", "application/jwt", "at+jwt", "jwt"])));
    }
    if rng.one_in(2) {
        s.push_str(&format!(",\"kid\":\"{}\"", rng.pick(&["k1", "k2", "", "../k1", "K1"])));
    }
    let extras = [
        "\"b64\":true",
        "\"cty\":\"json\"",
        "\"jku\":\"https://x.example\"",
        "\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}",
        "\"crit\":[\"exp\"]",
        "\"b64\":false",
        "\"cty\":\"JWT\"",
        "\"kid\":7",
        "\"alg\":\"HS256\"",
    ];
    let usable = if rng.1 { extras.len() } else { 4 };
    let first = rng.below(usable);
    for i in 0..rng.below(3) {
        // Distinct extras in clean mode; repeats (duplicate members) only with noise.
        let extra = if rng.1 { rng.pick(&extras[..usable]) } else { extras[(first + i) % usable] };
        s.push(',');
        s.push_str(extra);
    }
    if rng.one_in(6) {
        s.push(',');
        let mut m = String::new();
        gen_string(rng, &mut m);
        s.push_str(&m);
        s.push(':');
        let max_depth = 1 + rng.below(if rng.1 { 34 } else { 20 });
        gen_value(rng, 1, max_depth, &mut s);
    }
    s.push('}');
    s
}

/// Byte-level damage to a JSON text.
fn damage_text(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = if b.is_empty() { 0 } else { rng.below(b.len() + 1) };
        match rng.below(5) {
            0 if !b.is_empty() => {
                b.remove(at.min(b.len() - 1));
            }
            1 => b.insert(at, rng.pick(b"{}[]\",:\\ 0123456789e.-+tfnu")),
            2 => b.insert(at, rng.below(256) as u8),
            3 if at < b.len() => b.truncate(at),
            _ => {
                let end = (at + rng.below(16)).min(b.len());
                let slice = b[at.min(end)..end].to_vec();
                b.splice(at..at, slice);
            }
        }
    }
    b
}

// ---------------------------------------------------------------------------------------------
// Keys, verifiers, tokens

struct World {
    keys: Vec<(Algorithm, Option<&'static str>, HmacKey)>,
    verifiers: Vec<Verifier>,
    /// One permissive verifier per key of `keys` (same index), holding only that key.
    single: Vec<Verifier>,
}

fn world() -> World {
    let mk = |kid: Option<&'static str>, alg: Algorithm, secret: &[u8]| {
        (alg, kid, HmacKey::new(kid, alg, secret).unwrap())
    };
    let keys = vec![
        mk(None, Algorithm::HS256, SECRET_256),
        mk(Some("k1"), Algorithm::HS256, b"fuzz secret of the HS256 key k1, 32+ bytes"),
        mk(Some("k2"), Algorithm::HS256, b"fuzz secret of the HS256 key k2, 32+ bytes"),
        mk(Some("k1"), Algorithm::HS384, SECRET_384),
        mk(None, Algorithm::HS512, SECRET_512),
    ];
    let ring =
        |indices: &[usize]| KeyRing::new(indices.iter().map(|&i| keys[i].2.clone()).collect()).unwrap();
    let all: jwt_wasm::AlgorithmSet = Algorithm::ALL.into_iter().collect();

    // The default required claims (`exp`): an empty list is refused (issue 8, item 1).
    let permissive = Validation::new(all).unwrap();
    let mut strict = Validation::new(all).unwrap();
    strict.issuer = Some(vec!["https://issuer.example".into()]);
    strict.audience = Some(vec!["api".into()]);
    strict.subject = Some("user-1".into());
    strict.typ = Some("JWT".into());
    strict.clock_tolerance = 30.0;
    strict.max_token_age = Some(600.0);
    strict.required_claims = vec!["exp".into(), "jti".into()];
    let mut tiny = Validation::new(all).unwrap();
    tiny.max_token_bytes = 200;
    let hs256_only = Validation::new([Algorithm::HS256].into_iter().collect()).unwrap();
    let single = keys
        .iter()
        .map(|(alg, _, k)| {
            let v = Validation::new([*alg].into_iter().collect()).unwrap();
            Verifier::new(KeyRing::new(vec![k.clone()]).unwrap(), v).unwrap()
        })
        .collect();
    World {
        single,
        verifiers: vec![
            // One key per algorithm (kid-less HS256 and HS512, HS384 "k1").
            Verifier::new(ring(&[0, 3, 4]), permissive).unwrap(),
            Verifier::new(ring(&[0, 3, 4]), strict).unwrap(),
            Verifier::new(ring(&[0, 3, 4]), tiny).unwrap(),
            // Three HS256 keys: selection by kid, fallback to the kid-less one.
            Verifier::new(ring(&[0, 1, 2]), hs256_only).unwrap(),
        ],
        keys,
    }
}

impl World {
    /// Signs raw header and payload bytes, usually with the key the header selects.
    fn sign_raw(&self, rng: &mut Rng, header: &[u8], payload: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(header);
        let index = if rng.one_in(20) {
            rng.below(self.keys.len()) // the wrong key now and then
        } else if text.contains("HS384") {
            3
        } else if text.contains("HS512") {
            4
        } else if text.contains("\"k2\"") {
            2
        } else if text.contains("\"k1\"") && rng.one_in(2) {
            1
        } else {
            0
        };
        let mut token = b64(header).into_bytes();
        token.push(b'.');
        token.extend_from_slice(b64(payload).as_bytes());
        let tag = self.keys[index].2.sign(&[&token]);
        token.push(b'.');
        token.extend_from_slice(b64(&tag).as_bytes());
        token
    }
}

fn segments(token: &[u8]) -> Vec<Vec<u8>> {
    token.split(|&b| b == b'.').map(<[u8]>::to_vec).collect()
}

fn join(segs: &[Vec<u8>]) -> Vec<u8> {
    segs.join(&b'.')
}

fn random_b64(rng: &mut Rng, len: usize) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..len).map(|_| A[rng.below(A.len())]).collect()
}

fn mutate(rng: &mut Rng, corpus: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let len = input.len();
        match rng.below(14) {
            0 if len > 0 => input[rng.below(len)] ^= 1 << rng.below(8),
            1 if len > 0 => input[rng.below(len)] = rng.below(256) as u8,
            2 if len > 0 => input[rng.below(len)] = rng.pick(b".=+/ -_A\n\x00\xff\xc3"),
            3 => input.insert(rng.below(len + 1), b'.'),
            4 => {
                let dots: Vec<usize> = (0..len).filter(|&i| input[i] == b'.').collect();
                if !dots.is_empty() {
                    input.remove(dots[rng.below(dots.len())]);
                }
            }
            5 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(8)).min(len);
                input.drain(a..b);
            }
            6 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(32)).min(len);
                let copy = input[a..b].to_vec();
                input.splice(a..a, copy);
            }
            7 => input.truncate(rng.below(len + 1)),
            8 => {
                let mut segs = segments(input);
                if segs.len() > 1 {
                    let (i, j) = (rng.below(segs.len()), rng.below(segs.len()));
                    segs.swap(i, j);
                    *input = join(&segs);
                }
            }
            9 | 10 => {
                let mut segs = segments(input);
                let i = rng.below(segs.len());
                let mut text = if i == 0 { gen_header(rng) } else { gen_payload(rng) };
                if rng.one_in(4) {
                    text = String::from_utf8_lossy(&damage_text(rng, &text)).into_owned();
                }
                segs[i] = b64(text.as_bytes()).into_bytes();
                *input = join(&segs);
            }
            11 => {
                let mut segs = segments(input);
                let i = rng.below(segs.len());
                let n = rng.below(90);
                segs[i] = random_b64(rng, n);
                *input = join(&segs);
            }
            12 => {
                let other = segments(&corpus[rng.below(corpus.len())]);
                let mut segs = segments(input);
                let i = rng.below(segs.len());
                segs[i] = other[rng.below(other.len())].clone();
                *input = join(&segs);
            }
            _ => {
                let junk: &[u8] = rng.pick(&[b"=".as_slice(), b"==", b" ", b"\r\n", b"..", b"\xef\xbb\xbf"]);
                if rng.one_in(2) {
                    input.extend_from_slice(junk);
                } else {
                    input.splice(0..0, junk.iter().copied());
                }
            }
        }
    }
    if rng.one_in(200) {
        let copy = input.clone();
        for _ in 0..rng.below(40) {
            input.extend_from_slice(&copy); // past every size cap
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Oracles

/// Our reader is never looser than serde_json, and where both accept they read the same
/// members. Exemption: literals that overflow `f64` (such as `1e400`), which serde_json refuses
/// ("number out of range") while we read them as infinite so claim typing can call them
/// `invalid` (a NumericDate must be finite).
fn json_oracle(text: &str, stats: &mut Stats) {
    stats.json_docs += 1;
    let Ok(members) = json::parse_object(text) else {
        return;
    };
    stats.json_accepted += 1;
    let theirs = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        Ok(map) => map,
        Err(e) => {
            let out_of_range = e.to_string().starts_with("number out of range");
            assert!(out_of_range, "json::parse_object accepted what serde_json refuses ({e}): {text:?}");
            return;
        }
    };
    // We refuse duplicates, so both see the same number of distinct members.
    assert_eq!(members.len(), theirs.len(), "member count differs from serde_json: {text:?}");
    for m in &members {
        let t = theirs
            .get(m.name.as_ref())
            .unwrap_or_else(|| panic!("member {:?} unknown to serde_json: {text:?}", m.name));
        let same = match (&m.value, t) {
            (json::Value::Str(a), serde_json::Value::String(b)) => a == b,
            (json::Value::Num(a), serde_json::Value::Number(b)) => {
                let b = b.as_f64().unwrap();
                // Exact on the fast path; within a few ulps beyond it (see json::number_value).
                a == &b || (a - b).abs() <= 1e-13 * b.abs().max(1e-290)
            }
            (json::Value::Strings(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| y.as_str() == Some(x.as_ref()))
            }
            (json::Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (json::Value::Null, serde_json::Value::Null) => true,
            (json::Value::Other, serde_json::Value::Array(b)) => b.iter().any(|v| !v.is_string()),
            (json::Value::Other, serde_json::Value::Object(_)) => true,
            _ => false,
        };
        assert!(same, "member {:?} reads {:?}, serde_json reads {t}: {text:?}", m.name, m.value);
    }
}

fn check_token(world: &World, bufs: &mut Buffers, input: &[u8], stats: &mut Stats) {
    for (i, v) in world.verifiers.iter().enumerate() {
        let r = v.verify_into(input, NOW, bufs);
        if r.is_ok() {
            stats.verified[i] += 1;
        }
        if let Err(e) = &r {
            stats.note(e.kind());
        }
    }
    let Ok(s) = std::str::from_utf8(input) else {
        return;
    };
    let decoded = dangerous::decode_unverified(s, usize::MAX);
    if let Ok(d) = &decoded {
        stats.decoded += 1;
        json_oracle(&d.header_json, stats);
        json_oracle(&d.payload_json, stats);
    }
    let inspected = dangerous::inspect(s, NOW, 7200.0, usize::MAX);
    assert!(inspected.is_err() || decoded.is_ok(), "inspect accepted what decode_unverified refused: {s:?}");
    for v in &world.verifiers {
        if let Ok(verified) = v.verify(s, NOW) {
            let d = decoded.as_ref().unwrap_or_else(|e| {
                panic!("verify accepted what decode_unverified refused ({}): {s:?}", e.code())
            });
            assert_eq!(verified.header_json, d.header_json);
            assert_eq!(verified.payload_json, d.payload_json);
            assert!(inspected.is_ok(), "verify accepted what inspect refused: {s:?}");
        }
    }
}

fn check_sign(world: &World, rng: &mut Rng, payload: &str, stats: &mut Stats) {
    let index = rng.below(world.keys.len());
    let (alg, kid, key) = &world.keys[index];
    let typ: Option<String> = match rng.below(4) {
        0 => None,
        1 => Some("JWT".into()),
        _ => {
            let mut s = String::new();
            for _ in 0..rng.below(12) {
                s.push(rng.pick(&['a', '"', '\\', '\n', '\u{1}', '\u{1f}', 'é', '😀', '/', '+']));
            }
            Some(s)
        }
    };
    let Ok(token) = Signer::new(key.clone()).sign(payload, typ.as_deref()) else {
        return;
    };
    stats.signed += 1;
    let d = dangerous::decode_unverified(&token, usize::MAX)
        .unwrap_or_else(|e| panic!("a signed token does not decode ({}): {token:?}", e.code()));
    assert_eq!(d.payload_json, payload);
    let header = d.header().unwrap();
    assert_eq!(header.alg, alg.name());
    assert_eq!(header.typ.as_deref(), Some(typ.as_deref().unwrap_or("JWT")));
    assert_eq!(header.kid.as_deref(), *kid);
    json_oracle(&d.header_json, stats);
    // A verifier holding only the signing key, with the default policy: only the policy
    // (time, an aud without audience) may refuse what the Signer produced.
    if let Err(e) = world.single[index].verify(&token, NOW) {
        let structural = matches!(
            e.kind(),
            ErrorKind::JwsInvalid
                | ErrorKind::JwtInvalid
                | ErrorKind::AlgNotAllowed
                | ErrorKind::NotSupported
                | ErrorKind::SignatureInvalid
                | ErrorKind::NoMatchingKey
        );
        let too_large = matches!(e.kind(), ErrorKind::TooLarge) && token.len() > 16 * 1024;
        assert!(!structural || too_large, "a freshly signed token fails with {}: {token:?}", e.code());
    }
}

#[derive(Default)]
struct Stats {
    verified: [u64; 4],
    decoded: u64,
    signed: u64,
    json_docs: u64,
    json_accepted: u64,
    errors: std::collections::BTreeMap<&'static str, u64>,
}

impl Stats {
    fn note(&mut self, kind: &ErrorKind) {
        *self.errors.entry(kind.code()).or_default() += 1;
    }
}

fn corpus(world: &World, rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut corpus = Vec::new();
    for _ in 0..32 {
        let h = gen_header(rng);
        let p = gen_payload(rng);
        corpus.push(world.sign_raw(rng, h.as_bytes(), p.as_bytes()));
    }
    for (_, _, key) in &world.keys {
        let t = Signer::new(key.clone())
            .sign(r#"{"iss":"https://issuer.example","sub":"user-1","aud":"api","exp":1700000600,"iat":1699999990,"jti":"id-1"}"#, None)
            .unwrap();
        corpus.push(t.into_bytes());
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(path).unwrap())
        else {
            continue;
        };
        for case in doc["cases"].as_array().into_iter().flatten() {
            if let Some(t) = case["token"].as_str() {
                corpus.push(t.as_bytes().to_vec());
            }
        }
    }
    corpus
}

#[test]
fn fuzz_core_never_panics_and_json_is_never_looser_than_serde() {
    let seed = env_u64("JWT_WASM_FUZZ_SEED", DEFAULT_SEED);
    let iterations = env_u64("JWT_WASM_FUZZ_ITERATIONS", DEFAULT_ITERATIONS);
    let world = world();
    let mut rng = Rng::new(seed);
    let corpus = corpus(&world, &mut rng);
    let mut stats = Stats::default();
    let mut bufs = Buffers::default();
    let started = std::time::Instant::now();

    for i in 0..iterations {
        // Each iteration has its own generator state, so a failure replays from (seed, i).
        let mut it = Rng::new(seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut last_input: Vec<u8> = Vec::new();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut input = match it.below(4) {
                0 => {
                    it.1 = it.one_in(2);
                    // Re-signed, grammar-built header and payload: reaches claims and policy.
                    let h = gen_header(&mut it);
                    let p = gen_payload(&mut it);
                    last_input = format!("header {h} payload {p}").into_bytes();
                    json_oracle(&h, &mut stats);
                    json_oracle(&p, &mut stats);
                    check_sign(&world, &mut it, &p, &mut stats);
                    let (hb, pb) = if it.one_in(5) {
                        let damaged = damage_text(&mut it, &p);
                        if let Ok(s) = std::str::from_utf8(&damaged) {
                            json_oracle(s, &mut stats);
                        }
                        (h.into_bytes(), damaged)
                    } else {
                        (h.into_bytes(), p.into_bytes())
                    };
                    world.sign_raw(&mut it, &hb, &pb)
                }
                1 => {
                    let mut t = corpus[it.below(corpus.len())].clone();
                    mutate(&mut it, &corpus, &mut t);
                    t
                }
                2 => {
                    // Damaged JSON straight into the reader, then re-signed as a payload.
                    let p = gen_payload(&mut it);
                    let damaged = damage_text(&mut it, &p);
                    let text = String::from_utf8_lossy(&damaged).into_owned();
                    last_input = format!("payload {text}").into_bytes();
                    json_oracle(&text, &mut stats);
                    check_sign(&world, &mut it, &text, &mut stats);
                    world.sign_raw(&mut it, br#"{"alg":"HS256","typ":"JWT"}"#, &damaged)
                }
                _ => {
                    let mut t = corpus[it.below(corpus.len())].clone();
                    for _ in 0..1 + it.below(6) {
                        mutate(&mut it, &corpus, &mut t);
                    }
                    t
                }
            };
            it.1 = true;
            if it.one_in(3) {
                mutate(&mut it, &corpus, &mut input);
            }
            last_input.clone_from(&input);
            check_token(&world, &mut bufs, &input, &mut stats);
        }));
        if outcome.is_err() {
            panic!(
                "fuzz failure at iteration {i} (replay: JWT_WASM_FUZZ_SEED={seed:#x} \
                 JWT_WASM_FUZZ_ITERATIONS={}), input {:?}",
                i + 1,
                String::from_utf8_lossy(&last_input)
            );
        }
    }
    // Keep the main generator in use so the corpus depends on the seed only.
    let _ = rng.next();

    println!(
        "fuzz: {iterations} iterations, seed {seed:#x}, {:.1?}; verified per verifier {:?}, decoded {}, \
         signed {}, JSON documents {} ({} accepted); errors {:?}",
        started.elapsed(),
        stats.verified,
        stats.decoded,
        stats.signed,
        stats.json_docs,
        stats.json_accepted,
        stats.errors
    );
    assert!(stats.verified[0] > 0, "the fuzzer never produced a verifiable token: the harness is broken");
    assert!(stats.json_accepted > 0, "the fuzzer never produced accepted JSON: the harness is broken");
}
