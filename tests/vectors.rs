//! Runs every case of every `tests/vectors/*.json` through the Rust core.
//!
//! The same files drive the JavaScript tests (`tests/js/core/vectors.test.mjs`), so both sides agree
//! case by case. Regenerate them with `python3 tests/vectors/generate.py`.
#![cfg(feature = "hmac")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jwt_wasm::{Algorithm, AlgorithmSet, Error, HmacKey, KeyRing, Validation, Verifier};
use serde_json::{Map, Value};

/// Files in `tests/vectors` that are not vector files of this shape (`rfc8725.json` has rows of
/// cases and its own runner, tests/rfc8725.rs).
const NOT_VECTORS: [&str; 2] = ["protocol.json", "rfc8725.json"];

fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("vectors")
}

/// Every vector file, sorted by name, parsed.
fn vector_files() -> Vec<(String, Value)> {
    let mut files: Vec<(String, Value)> = std::fs::read_dir(vector_dir())
        .expect("tests/vectors is readable")
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, value)
        })
        .filter(|(name, _)| !NOT_VECTORS.contains(&name.as_str()))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Strict base64url without padding (test-side decoder, independent of the crate's own).
fn b64url_decode(s: &str) -> Vec<u8> {
    let sextet = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {s:?}"),
        }
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let acc = chunk.iter().fold(0u32, |acc, &c| (acc << 6) | sextet(c));
        let acc = acc << (6 * (4 - chunk.len()));
        let bytes = acc.to_be_bytes();
        let n = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => panic!("bad base64url length: {s:?}"),
        };
        out.extend_from_slice(&bytes[1..=n]);
    }
    out
}

fn strings(v: &Value, what: &str) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => {
            items.iter().map(|i| i.as_str().unwrap_or_else(|| panic!("{what}: strings")).to_owned()).collect()
        }
        _ => panic!("{what} must be a string or an array of strings"),
    }
}

fn algorithm(name: &str) -> Algorithm {
    Algorithm::from_name(name).unwrap_or_else(|| panic!("unknown algorithm {name}"))
}

/// Builds the verifier of a case the way the JS `Verifier` constructor does.
fn build_verifier(keys: &[Value], options: &Map<String, Value>) -> Result<Verifier, Error> {
    let mut ring = Vec::new();
    for k in keys {
        let alg = algorithm(k["alg"].as_str().expect("key alg"));
        let kid = k.get("kid").map(|v| v.as_str().expect("kid is a string"));
        let secret = &k["secret"];
        let bytes = if let Some(s) = secret.get("utf8") {
            s.as_str().unwrap().as_bytes().to_vec()
        } else if let Some(s) = secret.get("base64url") {
            b64url_decode(s.as_str().unwrap())
        } else {
            panic!("secret must be {{utf8}} or {{base64url}}")
        };
        ring.push(HmacKey::new(kid, alg, &bytes)?);
    }
    let ring = KeyRing::new(ring)?;

    let algorithms: AlgorithmSet = options
        .get("algorithms")
        .expect("options.algorithms is required")
        .as_array()
        .unwrap()
        .iter()
        .map(|a| algorithm(a.as_str().unwrap()))
        .collect();
    let mut v = Validation::new(algorithms)?;
    for (name, value) in options {
        match name.as_str() {
            "algorithms" => {}
            "issuer" => v.issuer = Some(strings(value, name)),
            "audience" => v.audience = Some(strings(value, name)),
            "subject" => v.subject = Some(value.as_str().expect("subject").to_owned()),
            "typ" => v.typ = Some(value.as_str().expect("typ").to_owned()),
            "clockTolerance" => v.clock_tolerance = value.as_f64().expect("clockTolerance"),
            "maxTokenAge" => v.max_token_age = Some(value.as_f64().expect("maxTokenAge")),
            "requiredClaims" => {
                v.required_claims = value
                    .as_array()
                    .expect("requiredClaims is an array")
                    .iter()
                    .map(|s| s.as_str().unwrap().to_owned())
                    .collect();
            }
            "maxTokenBytes" => {
                v.max_token_bytes = usize::try_from(value.as_u64().expect("maxTokenBytes")).unwrap();
            }
            other => panic!("unknown option {other}"),
        }
    }
    Verifier::new(ring, v)
}

/// JSON equality where numbers compare by value (`1700000600` equals `1700000600.0`), as in JS.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// What a case produced, in the vocabulary of `expect`.
fn describe(result: &Result<(Value, Value), Error>) -> String {
    match result {
        Ok((header, payload)) => format!("Ok(header {header}, payload {payload})"),
        Err(e) => format!(
            "Err({} claim={:?} reason={:?})",
            e.code(),
            e.claim_name(),
            e.reason().map(jwt_wasm::ClaimReason::as_str)
        ),
    }
}

/// Checks one case; `Err` describes the mismatch.
fn run_case(case: &Value) -> Result<(), String> {
    let token = case["token"].as_str().ok_or("token must be a string")?;
    let keys = case["keys"].as_array().ok_or("keys must be an array")?;
    let options = case["options"].as_object().ok_or("options must be an object")?;
    let now = case["now"].as_f64().ok_or("now must be a number")?;
    let expect = case["expect"].as_object().ok_or("expect must be an object")?;

    let result = build_verifier(keys, options).and_then(|verifier| {
        let verified = verifier.verify(token, now)?;
        let header: Value = serde_json::from_str(&verified.header_json).expect("header JSON");
        let payload: Value = serde_json::from_str(&verified.payload_json).expect("payload JSON");
        Ok((header, payload))
    });
    let got = describe(&result);

    if let Some(want_payload) = expect.get("payload") {
        let (header, payload) = result.as_ref().map_err(|_| format!("expected success, got {got}"))?;
        if !json_eq(payload, want_payload) {
            return Err(format!("payload differs: expected {want_payload}, got {payload}"));
        }
        if let Some(want_header) = expect.get("header") {
            if !json_eq(header, want_header) {
                return Err(format!("header differs: expected {want_header}, got {header}"));
            }
        }
        return Ok(());
    }

    let want_code = expect.get("code").and_then(Value::as_str).ok_or("expect needs payload or code")?;
    let want_claim = expect.get("claim").and_then(Value::as_str);
    let want_reason = expect.get("reason").and_then(Value::as_str);
    let Err(e) = &result else {
        return Err(format!("expected {want_code}, got {got}"));
    };
    let same = e.code() == want_code
        && e.claim_name() == want_claim
        && e.reason().map(jwt_wasm::ClaimReason::as_str) == want_reason;
    if !same {
        return Err(format!(
            "expected Err({want_code} claim={want_claim:?} reason={want_reason:?}), got {got}"
        ));
    }
    Ok(())
}

#[test]
fn every_vector_case_holds() {
    let files = vector_files();
    assert!(!files.is_empty(), "no vector files in {}", vector_dir().display());
    let mut failures = Vec::new();
    let mut total = 0usize;
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    for (file, doc) in &files {
        let cases = doc["cases"].as_array().unwrap_or_else(|| panic!("{file}: no \"cases\" array"));
        assert!(!cases.is_empty(), "{file}: no cases");
        for (i, case) in cases.iter().enumerate() {
            total += 1;
            let name = case["name"].as_str().unwrap_or("<unnamed>");
            assert!(
                case["source"].as_str().is_some_and(|s| !s.is_empty()),
                "{file}[{i}] {name}: every case cites its source"
            );
            let code = case["expect"].get("code").and_then(Value::as_str).unwrap_or("OK");
            *codes.entry(code.to_owned()).or_default() += 1;
            if let Err(why) = run_case(case) {
                failures.push(format!("{file}[{i}] {name}: {why}"));
            }
        }
    }
    println!("{total} vector cases in {} files; by outcome: {codes:?}", files.len());
    assert!(
        failures.is_empty(),
        "{} of {total} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total > 80, "only {total} vector cases: the suite looks truncated");
}

#[test]
fn case_names_are_unique_across_files() {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (file, doc) in vector_files() {
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap().to_owned();
            if let Some(first) = seen.insert(name.clone(), file.clone()) {
                panic!("case {name:?} appears in {first} and {file}");
            }
        }
    }
}

#[test]
fn every_token_error_code_is_covered_by_a_vector() {
    let mut seen = std::collections::BTreeSet::new();
    for (_, doc) in vector_files() {
        for case in doc["cases"].as_array().unwrap() {
            if let Some(code) = case["expect"].get("code").and_then(Value::as_str) {
                seen.insert(code.to_owned());
            }
        }
    }
    for (_, code) in jwt_wasm::all_codes() {
        // Options errors are the JS layer's TypeErrors; no vector can carry them. The JWE errors
        // belong to JWE tokens: tests/vectors/jwe/rfc.json with tests/jwe.rs, and Wycheproof's
        // JWE file (tests/jwe_wycheproof.rs), cover them. The key-set errors belong to key sets,
        // not tokens: tests/keys_attacks.rs, tests/keys_wycheproof.rs and tests/keys_cert.rs cover them.
        let key_set = code == "ERR_JWKS_INVALID" || code == "ERR_JWK_INVALID";
        if code != "ERR_INVALID_OPTIONS" && !code.starts_with("ERR_JWE_") && !key_set {
            assert!(seen.contains(code), "no vector expects {code}");
        }
    }
}

#[test]
fn rfc_examples_are_present() {
    let files = vector_files();
    let rfc = files.iter().find(|(f, _)| f == "rfc.json").expect("tests/vectors/rfc.json");
    let sources: Vec<&str> =
        rfc.1["cases"].as_array().unwrap().iter().map(|c| c["source"].as_str().unwrap()).collect();
    for want in ["RFC 7515 Appendix A.1", "RFC 7519 §3.1", "RFC 7520 §4.4"] {
        assert!(sources.contains(&want), "rfc.json has no case from {want}");
    }
}

#[test]
fn test_base64url_decoder_agrees_with_rfc_4648() {
    for (plain, enc) in [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
        assert_eq!(b64url_decode(enc), plain.as_bytes());
    }
    assert_eq!(b64url_decode("-_8"), [0xfb, 0xff]);
}
