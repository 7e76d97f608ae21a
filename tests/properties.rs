//! Property tests (proptest): sign → verify round trips for random claims and keys; every
//! single-byte change, truncation and extension of a valid token is refused; the strict JSON
//! reader agrees with serde_json except where its stricter rules apply (listed at `compare_json`).
//!
//! Reproducible: the RNG is ChaCha with a fixed seed (`JWT_WASM_PROPTEST_SEED`, decimal, to change
//! it); no failure file is written (a failure prints its minimal input, and the same seed replays
//! it). `cargo test` runs few cases (about a second); `JWT_WASM_PROPTEST_CASES=10000` runs more.
#![cfg(feature = "hmac")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss
)]

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use jwt_wasm::json::{self, Value as Ours};
use jwt_wasm::{Algorithm, Buffers, HmacKey, KeyRing, Signer, Validation, Verifier};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

const NOW: f64 = 1_700_000_000.0;
/// `NOW` as an integer, for integer `iat`s.
const NOW_SECS: u64 = 1_700_000_000;
const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// The configuration of every property: `default_cases` unless `JWT_WASM_PROPTEST_CASES` says
/// otherwise, a fixed ChaCha seed, no persistence file.
fn config(default_cases: u32) -> Config {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    Config {
        cases: env("JWT_WASM_PROPTEST_CASES").map_or(default_cases, |n| n as u32),
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(env("JWT_WASM_PROPTEST_SEED").unwrap_or(0x6a77_742d_7761_736d)),
        failure_persistence: None,
        ..Config::default()
    }
}

// ---- generators ----

/// Any JSON value serde_json can hold: unicode strings (controls, astral planes), integers,
/// finite floats, nested arrays and objects (depth ≤ 4, well under the reader's 32).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(any::<String>(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A key: one of the three algorithms, a random secret at least as long as its digest (RFC 7518
/// §3.2), an optional random kid (any characters, controls and quotes included).
fn key_spec() -> impl Strategy<Value = (Algorithm, Vec<u8>, Option<String>)> {
    prop_oneof![Just(Algorithm::HS256), Just(Algorithm::HS384), Just(Algorithm::HS512)].prop_flat_map(|alg| {
        let min = match alg {
            Algorithm::HS256 => 32,
            Algorithm::HS384 => 48,
            _ => 64,
        };
        (Just(alg), vec(any::<u8>(), min..min + 80), proptest::option::of(any::<String>()))
    })
}

/// A claims set: random custom members (never a registered name) plus registered claims of the
/// right types whose times hold at `NOW`.
#[derive(Debug, Clone)]
struct ClaimsSpec {
    members: Map<String, Value>,
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Vec<String>>,
    aud_as_string: bool,
}

fn claims_spec() -> impl Strategy<Value = ClaimsSpec> {
    claims_with(json_value().boxed(), 6)
}

/// Claims whose custom members are few and flat (short strings, integers): tokens of a few
/// hundred bytes, for the property that tries every byte of them.
fn small_claims_spec() -> impl Strategy<Value = ClaimsSpec> {
    let flat = prop_oneof![any::<i64>().prop_map(Value::from), "\\PC{0,12}".prop_map(Value::String)];
    claims_with(flat.boxed(), 3)
}

fn claims_with(values: BoxedStrategy<Value>, most: usize) -> impl Strategy<Value = ClaimsSpec> {
    let custom = btree_map(
        any::<String>().prop_filter("custom", |k| !REGISTERED.contains(&k.as_str())),
        values,
        0..most,
    );
    // `exp` is always there: the verifier requires it by default, and an empty requiredClaims
    // is refused (an empty list never switches a check off).
    let times = (
        (1.0..1e9f64).prop_map(Some),
        proptest::option::of(0.0..1e9f64),
        proptest::option::of(0u32..1_000_000_000),
    );
    (
        custom,
        times,
        proptest::option::of(any::<String>()),
        proptest::option::of(any::<String>()),
        proptest::option::of(any::<String>()),
        // Audiences are non-empty: an empty one could not be configured, and a token that carries
        // `aud` is refused by a verifier that names none.
        proptest::option::of(vec(any::<String>().prop_filter("aud", |a| !a.is_empty()), 1..4)),
        any::<bool>(),
    )
        .prop_map(|(custom, (exp, nbf, iat), iss, sub, jti, aud, aud_as_string)| {
            let mut members: Map<String, Value> = custom.into_iter().collect();
            let mut put = |name: &str, v: Option<Value>| {
                if let Some(v) = v {
                    members.insert(name.to_owned(), v);
                }
            };
            put("exp", exp.map(|d| Value::from(NOW + d)));
            put("nbf", nbf.map(|d| Value::from(NOW - d)));
            put("iat", iat.map(|d| Value::from(NOW_SECS - u64::from(d))));
            put("iss", iss.clone().map(Value::String));
            put("sub", sub.clone().map(Value::String));
            put("jti", jti.map(Value::String));
            let aud_as_string = aud_as_string && aud.as_ref().is_some_and(|a| a.len() == 1);
            put(
                "aud",
                aud.clone().map(|a| if aud_as_string { Value::String(a[0].clone()) } else { Value::from(a) }),
            );
            ClaimsSpec { members, iss, sub, aud, aud_as_string }
        })
}

/// A verifier for one key whose policy the spec's registered claims satisfy at `NOW`.
fn verifier_for(key: &HmacKey, spec: &ClaimsSpec) -> Verifier {
    let mut policy = Validation::new([key.alg()].into_iter().collect()).unwrap();
    policy.max_token_bytes = 1 << 22;
    // An empty allowlist value is refused as an option, so an empty claim is simply not checked.
    let some = |s: Option<String>| s.filter(|s| !s.is_empty());
    policy.issuer = some(spec.iss.clone()).map(|s| vec![s]);
    policy.subject = some(spec.sub.clone());
    policy.audience = some(spec.aud.as_ref().and_then(|a| a.first().cloned())).map(|s| vec![s]);
    Verifier::new(KeyRing::new(vec![key.clone()]).unwrap(), policy).unwrap()
}

// ---- (a) sign → verify ----

proptest! {
    #![proptest_config(config(96))]

    /// The verified payload is byte for byte what was signed; the header carries the key's alg,
    /// its kid and the typ; another secret of the same algorithm refuses the token.
    #[test]
    fn sign_then_verify_round_trips(
        (alg, secret, kid) in key_spec(),
        spec in claims_spec(),
        typ in proptest::option::of(any::<String>()),
        pretty in any::<bool>(),
    ) {
        let payload = if pretty {
            serde_json::to_string_pretty(&spec.members).unwrap()
        } else {
            serde_json::to_string(&spec.members).unwrap()
        };
        let key = HmacKey::new(kid.as_deref(), alg, &secret).unwrap();
        let token = Signer::new(key.clone()).sign(&payload, typ.as_deref()).unwrap();
        let verified = verifier_for(&key, &spec).verify(&token, NOW).unwrap();
        prop_assert_eq!(&verified.payload_json, &payload);
        let header: Value = serde_json::from_str(&verified.header_json).unwrap();
        prop_assert_eq!(header["alg"].as_str(), Some(alg.name()));
        prop_assert_eq!(header["kid"].as_str(), kid.as_deref());
        prop_assert_eq!(header["typ"].as_str(), Some(typ.as_deref().unwrap_or("JWT")));
        let reparsed: Value = serde_json::from_str(&verified.payload_json).unwrap();
        prop_assert_eq!(reparsed, serde_json::from_str::<Value>(&payload).unwrap());
        if spec.aud_as_string {
            prop_assert!(verified.payload_json.contains("\"aud\":\"") || pretty);
        }

        let mut other = secret.clone();
        other[0] ^= 1;
        let stranger = HmacKey::new(kid.as_deref(), alg, &other).unwrap();
        let err = verifier_for(&stranger, &spec).verify(&token, NOW).unwrap_err();
        prop_assert_eq!(err.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    }
}

// ---- (b) every change of a valid token is refused ----

/// Bytes put in place of each byte of a token: base64url letters, the separator, padding, NUL,
/// a byte that is not UTF-8; plus the byte with its lowest bit and its case bit flipped.
const REPLACEMENTS: [u8; 6] = [b'A', b'_', b'.', b'=', 0x00, 0xff];

proptest! {
    #![proptest_config(config(8))]

    #[test]
    fn every_change_of_a_valid_token_is_refused(
        (alg, secret, kid) in key_spec(),
        spec in small_claims_spec(),
        appended in vec(any::<u8>(), 1..6),
    ) {
        let payload = serde_json::to_string(&spec.members).unwrap();
        let key = HmacKey::new(kid.as_deref(), alg, &secret).unwrap();
        let token = Signer::new(key.clone()).sign(&payload, None).unwrap().into_bytes();
        let verifier = verifier_for(&key, &spec);
        let mut bufs = Buffers::default();
        prop_assert!(verifier.verify_into(&token, NOW, &mut bufs).is_ok());
        let mut refuse = |what: &str, bytes: &[u8]| -> Result<(), TestCaseError> {
            prop_assert!(
                verifier.verify_into(bytes, NOW, &mut bufs).is_err(),
                "{} was accepted: {:?}", what, String::from_utf8_lossy(bytes)
            );
            Ok(())
        };
        for i in 0..token.len() {
            let orig = token[i];
            for b in REPLACEMENTS.into_iter().chain([orig ^ 0x01, orig ^ 0x20]) {
                if b != orig {
                    let mut m = token.clone();
                    m[i] = b;
                    refuse(&format!("byte {i} replaced by {b:#04x}"), &m)?;
                }
            }
        }
        for n in 0..token.len() {
            refuse(&format!("truncation to {n} bytes"), &token[..n])?;
        }
        let signature = token.rsplit(|&b| b == b'.').next().unwrap().to_vec();
        let extensions: [&[u8]; 9] = [&appended, b"=", b"==", b".", b"A", b"AAAA", b" ", b"\n", b".e30"];
        for ext in extensions.into_iter().chain([[b".".as_slice(), &signature].concat().as_slice()]) {
            let mut m = token.clone();
            m.extend_from_slice(ext);
            refuse(&format!("extension by {:?}", String::from_utf8_lossy(ext)), &m)?;
        }
        let mut prefixed = appended.clone();
        prefixed.extend_from_slice(&token);
        refuse("a prefix", &prefixed)?;
    }
}

// ---- (c) the JSON reader against serde_json ----

/// What serde_json's side says about a document that both can read: whether some object repeats
/// a member name (serde_json keeps the last), and the nesting depth (the top object is 1).
#[derive(Debug, Default)]
struct Shape {
    duplicates: bool,
    depth: usize,
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_unit<E>(self) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Shape, A::Error> {
                let mut s = Shape::default();
                while let Some(e) = a.next_element::<Shape>()? {
                    s.duplicates |= e.duplicates;
                    s.depth = s.depth.max(e.depth);
                }
                s.depth += 1;
                Ok(s)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Shape, A::Error> {
                let mut s = Shape::default();
                let mut names = HashSet::new();
                while let Some(name) = a.next_key::<String>()? {
                    s.duplicates |= !names.insert(name);
                    let e = a.next_value::<Shape>()?;
                    s.duplicates |= e.duplicates;
                    s.depth = s.depth.max(e.depth);
                }
                s.depth += 1;
                Ok(s)
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether our number equals serde_json's: exactly for integers below 2^53 and for every
/// literal the reader converts exactly; otherwise within 2^-50 relative (a few units in the last
/// place: src/json/number.rs is exact only for ≤ 15 significant digits and |exponent| ≤ 22, and
/// serde_json without `float_roundtrip` is not always exact either), or both below 1e-300.
fn same_number(ours: f64, theirs: &Number) -> bool {
    let t = theirs.as_f64().unwrap();
    if theirs.as_i64().is_some_and(|i| i.unsigned_abs() < 1 << 53)
        || theirs.as_u64().is_some_and(|u| u < 1 << 53)
    {
        return ours == t;
    }
    ours == t
        || (ours - t).abs() <= t.abs() * f64::powi(2.0, -50)
        || (ours.abs() < 1e-300 && t.abs() < 1e-300)
}

fn same_value(ours: &Ours<'_>, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Ours::Str(a), Value::String(b)) => a == b,
        (Ours::Num(a), Value::Number(b)) => same_number(*a, b),
        (Ours::Bool(a), Value::Bool(b)) => a == b,
        (Ours::Null, Value::Null) => true,
        (Ours::Strings(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| y.as_str() == Some(x))
        }
        (Ours::Other, Value::Object(_)) => true,
        (Ours::Other, Value::Array(b)) => b.iter().any(|v| !v.is_string()),
        _ => false,
    }
}

/// Both readers on one document. When both accept, the same top-level members with the same
/// values. They may disagree only here, each exception checked:
/// 1. a document that is not an object: serde_json reads any value, we read only an object;
/// 2. an object that repeats a member name anywhere (after unescaping): serde_json keeps the
///    last, we refuse (RFC 8725 §3.2's ambiguity; JS parses the payload again);
/// 3. nesting deeper than `json::MAX_DEPTH` (32): serde_json allows 128, we refuse;
/// 4. a number literal beyond f64 (`1e400`): serde_json refuses it ("number out of range"), we
///    read it as infinite, which the claim types then refuse (`exp: 1e400` is invalid).
fn compare_json(text: &str) -> Result<&'static str, TestCaseError> {
    let ours = json::parse_object(text);
    let theirs = serde_json::from_str::<Value>(text);
    let shape = serde_json::from_str::<Shape>(text);
    Ok(match (ours, theirs) {
        (Ok(members), Ok(Value::Object(map))) => {
            let shape = shape.unwrap();
            prop_assert!(!shape.duplicates && shape.depth <= json::MAX_DEPTH, "we accepted {:?}", shape);
            prop_assert_eq!(members.len(), map.len(), "member count of {}", text);
            for m in &members {
                let theirs = map.get(m.name.as_ref());
                prop_assert!(
                    theirs.is_some_and(|v| same_value(&m.value, v)),
                    "{:?} vs {:?} in {}",
                    m,
                    theirs,
                    text
                );
            }
            "both accept, same values"
        }
        (Err(_), Ok(Value::Object(_))) => {
            let shape = shape.unwrap();
            prop_assert!(
                shape.duplicates || shape.depth > json::MAX_DEPTH,
                "we refused {} ({:?})",
                text,
                shape
            );
            if shape.duplicates {
                "we refuse: duplicate names"
            } else {
                "we refuse: too deep"
            }
        }
        (ours, Ok(_)) => {
            prop_assert!(ours.is_err(), "we accepted a non-object: {}", text);
            "we refuse: not an object"
        }
        (Ok(_), Err(e)) => {
            prop_assert!(e.to_string().contains("number out of range"), "we accepted {} ({})", text, e);
            "we accept: a number beyond f64"
        }
        (Err(_), Err(_)) => "both refuse",
    })
}

/// Raw JSON texts that can break the rules: member names from a small pool (so names repeat,
/// also through escapes: `"a"` and `"\u0061"`), number literals of any length and exponent,
/// nesting of random depth, and random edits (inserted or removed characters).
fn raw_value() -> BoxedStrategy<String> {
    let name = prop_oneof![
        Just("\"a\"".to_owned()),
        Just("\"\\u0061\"".to_owned()),
        Just("\"b\"".to_owned()),
        Just("\"\u{e9}\"".to_owned()),
        Just("\"\\u00e9\"".to_owned()),
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    let number = "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,22})?([eE][+-]?[0-9]{1,3})?";
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        number,
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        Just("\"\\ud83d\\ude00\"".to_owned()),
    ];
    leaf.prop_recursive(4, 40, 5, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            vec((name.clone(), inner), 0..5).prop_map(|v| {
                let members: Vec<String> = v.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
    .boxed()
}

fn raw_document() -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), 0usize..12, any::<bool>());
    (raw_value(), raw_value(), 0usize..40, any::<bool>(), vec(edit, 0..3)).prop_map(
        |(a, b, nest, as_array, edits)| {
            let (open, close) = if as_array { ("[", "]") } else { ("{\"n\":", "}") };
            let deep = format!("{}{b}{}", open.repeat(nest), close.repeat(nest));
            let mut chars: Vec<char> = format!("{{\"x\":{a},\"y\":{deep}}}").chars().collect();
            const PIECES: [&str; 12] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "0", "-", " ", "\"a\":1"];
            for (at, piece, insert) in edits {
                let i = at.index(chars.len() + 1);
                if insert {
                    chars.splice(i..i, PIECES[piece].chars());
                } else if i < chars.len() {
                    chars.remove(i);
                }
            }
            chars.into_iter().collect()
        },
    )
}

proptest! {
    #![proptest_config(config(128))]

    /// Documents serde_json writes (compact and pretty): both accept, with the same values.
    #[test]
    fn json_reader_reads_what_serde_json_writes(
        members in btree_map(any::<String>(), json_value(), 0..8),
        pretty in any::<bool>(),
    ) {
        let map: Map<String, Value> = members.into_iter().collect();
        let text = if pretty { serde_json::to_string_pretty(&map) } else { serde_json::to_string(&map) }.unwrap();
        prop_assert_eq!(compare_json(&text)?, "both accept, same values");
    }

    /// Raw and edited documents: the readers agree but for the listed exceptions.
    #[test]
    fn json_reader_agrees_with_serde_json_but_for_the_listed_exceptions(text in raw_document()) {
        compare_json(&text)?;
    }
}

/// Each exception of `compare_json` happens, and is told apart as such.
#[test]
fn json_exceptions_are_each_seen() {
    let deep = format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40));
    let cases: BTreeMap<&str, &str> = BTreeMap::from([
        ("[1]", "we refuse: not an object"),
        (r#"{"a":1,"\u0061":2}"#, "we refuse: duplicate names"),
        (r#"{"o":{"b":1,"b":1}}"#, "we refuse: duplicate names"),
        (deep.as_str(), "we refuse: too deep"),
        (r#"{"exp":1e400}"#, "we accept: a number beyond f64"),
        (r#"{"a":[1,"x"],"b":["x"],"c":{},"d":-0.5e-3}"#, "both accept, same values"),
        (r#"{"a":1,}"#, "both refuse"),
    ]);
    for (text, want) in cases {
        assert_eq!(compare_json(text).unwrap(), want, "{text}");
    }
}
