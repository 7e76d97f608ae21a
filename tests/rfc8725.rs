//! The RFC 8725 verifier checklist (`tests/vectors/rfc8725.json`, ANCHORS.md §2.3) through the
//! Rust API (`jwt_wasm::Verifier`): one test per checklist row, named `rNN_<threat>` after the
//! row's threat, each running every case of its row and naming the failing ones.
//!
//! The same cases run in Node, on workerd and in Chromium (tests/js/core/rfc8725.test.mjs and its
//! siblings). A case's JS options map onto `Validation` field by field; an algorithm name that
//! `Algorithm::from_name` does not know (`none`, `ES256`) cannot be given to the Rust API at all,
//! which the runner reports as the construction refusal the JS API gives (`ERR_INVALID_OPTIONS`).
//! Cases marked `only: "js"` (a key without an algorithm: the types forbid it) are counted, and
//! must say why. Regenerate the file with `python3 tests/vectors/rfc8725.py`.
#![cfg(feature = "hmac")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use jwt_wasm::{Algorithm, AlgorithmSet, Error, ErrorKind, HmacKey, KeyRing, Validation, Verifier};
use serde_json::{Map, Value};

fn checklist() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/rfc8725.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("tests/vectors/rfc8725.json")).unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().map(|i| i.as_str().expect("strings").to_owned()).collect(),
        _ => panic!("a string or an array of strings"),
    }
}

/// An algorithm name the Rust API cannot be given is refused the way the JS API refuses it.
fn algorithm(name: &Value) -> Result<Algorithm, Error> {
    Algorithm::from_name(name.as_str().expect("alg is a string"))
        .ok_or_else(|| ErrorKind::InvalidOptions.into())
}

fn key(k: &Value) -> Result<HmacKey, Error> {
    let alg = algorithm(&k["alg"])?;
    let kid = k.get("kid").map(|v| v.as_str().expect("kid is a string"));
    let secret = &k["secret"];
    let bytes = match (secret.get("utf8"), secret.get("hex")) {
        (Some(s), None) => s.as_str().unwrap().as_bytes().to_vec(),
        (None, Some(h)) => hex(h.as_str().unwrap()),
        _ => panic!("a secret is {{utf8}} or {{hex}}"),
    };
    let key = HmacKey::new(kid, alg, &bytes)?;
    match k.get("issuer") {
        None => Ok(key),
        Some(iss) => key.with_issuer(iss.as_str().expect("issuer is a string")),
    }
}

/// Builds the case's verifier as the JS `Verifier` constructor would.
fn build(keys: &[Value], options: &Map<String, Value>) -> Result<Verifier, Error> {
    let ring = KeyRing::new(keys.iter().map(key).collect::<Result<_, _>>()?)?;
    let mut algorithms = AlgorithmSet::default();
    for a in options.get("algorithms").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
        algorithms.insert(algorithm(a)?);
    }
    let mut v = Validation::new(algorithms)?;
    for (name, value) in options {
        match name.as_str() {
            "algorithms" => {}
            "issuer" => v.issuer = Some(strings(value)),
            "audience" => v.audience = Some(strings(value)),
            "subject" => v.subject = Some(value.as_str().expect("subject").to_owned()),
            "typ" => v.typ = Some(value.as_str().expect("typ").to_owned()),
            "requiredClaims" => v.required_claims = strings(value),
            other => panic!("option {other} is not mapped by tests/rfc8725.rs"),
        }
    }
    Verifier::new(ring, v)
}

fn num_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| num_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| num_eq(v, w)))
        }
        _ => a == b,
    }
}

fn describe(stage: &str, e: &Error) -> String {
    format!("{stage} {} claim={:?} reason={:?}", e.code(), e.claim_name(), e.reason().map(|r| r.as_str()))
}

/// Runs one case; `Err` says how it differs from its expectation.
fn run(c: &Value) -> Result<(), String> {
    let want = &c["expect"];
    let verifier = match build(c["keys"].as_array().unwrap(), c["options"].as_object().unwrap()) {
        Ok(v) => v,
        Err(e) => return compare(want, &Err(describe("construct", &e)), Some(&e)),
    };
    match verifier.verify(c["token"].as_str().unwrap(), c["now"].as_f64().unwrap()) {
        Ok(v) => {
            let header: Value = serde_json::from_str(&v.header_json).unwrap();
            let payload: Value = serde_json::from_str(&v.payload_json).unwrap();
            compare(want, &Ok((header, payload)), None)
        }
        Err(e) => compare(want, &Err(describe("verify", &e)), Some(&e)),
    }
}

fn compare(want: &Value, got: &Result<(Value, Value), String>, err: Option<&Error>) -> Result<(), String> {
    if let Some(payload) = want.get("payload") {
        let (h, p) = got.as_ref().map_err(|e| format!("expected the token to verify, got {e}"))?;
        if !num_eq(p, payload) || !num_eq(h, &want["header"]) {
            return Err(format!("verified, but header {h} payload {p} differ from {want}"));
        }
        return Ok(());
    }
    let Some(e) = err else { return Err(format!("expected {want}, but the token verified")) };
    let stage =
        if got.as_ref().err().is_some_and(|s| s.starts_with("construct")) { "construct" } else { "verify" };
    let same = want["stage"] == stage
        && want["code"] == e.code()
        && want.get("claim").and_then(Value::as_str) == e.claim_name()
        && want.get("reason").and_then(Value::as_str) == e.reason().map(|r| r.as_str());
    if same {
        Ok(())
    } else {
        Err(format!("expected {want}, got {}", got.as_ref().err().unwrap()))
    }
}

/// Runs every case of row `n` (1-based) whose threat must be `threat`.
fn row(n: usize, threat: &str) {
    let doc = checklist();
    let row = &doc["rows"][n - 1];
    assert_eq!(row["row"], n, "rows are in order");
    assert_eq!(row["threat"], threat, "row {n}'s threat was renamed: rename its test too");
    let mut failures = Vec::new();
    let (mut ran, mut js_only) = (0, 0);
    for c in row["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        if c.get("only").is_some() {
            assert_eq!(c["only"], "js", "{name}");
            assert!(c["why"].as_str().is_some_and(|w| w.starts_with("Rust: ")), "{name}: say why");
            js_only += 1;
            continue;
        }
        ran += 1;
        if let Err(why) = run(c) {
            failures.push(format!("{name}: {why}"));
        }
    }
    println!("row {n} {threat}: {ran} cases run natively, {js_only} JS-only");
    assert!(ran > 0, "row {n} has no case for Rust");
    assert!(
        failures.is_empty(),
        "row {n} ({threat}): {} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn r01_algorithm_substitution() {
    row(1, "algorithm_substitution");
}
#[test]
fn r02_cross_algorithm_key_reuse() {
    row(2, "cross_algorithm_key_reuse");
}
#[test]
fn r03_unsecured_jws_alg_none() {
    row(3, "unsecured_jws_alg_none");
}
#[test]
fn r04_nested_jwt_partial_validation() {
    row(4, "nested_jwt_partial_validation");
}
#[test]
fn r05_invalid_cryptographic_inputs() {
    row(5, "invalid_cryptographic_inputs");
}
#[test]
fn r06_weak_or_misused_hmac_secret() {
    row(6, "weak_or_misused_hmac_secret");
}
#[test]
fn r07_non_utf8_input() {
    row(7, "non_utf8_input");
}
#[test]
fn r08_issuer_spoofing_and_unbound_keys() {
    row(8, "issuer_spoofing_and_unbound_keys");
}
#[test]
fn r09_cross_service_token_reuse() {
    row(9, "cross_service_token_reuse");
}
#[test]
fn r10_trusting_received_key_hints() {
    row(10, "trusting_received_key_hints");
}
#[test]
fn r11_token_type_confusion() {
    row(11, "token_type_confusion");
}
#[test]
fn r12_cross_jwt_confusion() {
    row(12, "cross_jwt_confusion");
}
#[test]
fn r13_ignored_critical_extensions() {
    row(13, "ignored_critical_extensions");
}
#[test]
fn r14_duplicate_claim_parser_differential() {
    row(14, "duplicate_claim_parser_differential");
}
#[test]
fn r15_numeric_date_type_confusion() {
    row(15, "numeric_date_type_confusion");
}

#[test]
fn the_checklist_has_fifteen_rows_each_with_a_test_above() {
    let doc = checklist();
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 15, "ANCHORS.md §2.3 has 15 rows");
    let source = include_str!("rfc8725.rs");
    for r in rows {
        let test = format!("fn r{:02}_{}()", r["row"].as_u64().unwrap(), r["threat"].as_str().unwrap());
        assert!(source.contains(&test), "no test {test} for row {}", r["row"]);
    }
}
