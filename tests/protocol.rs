//! The wire protocol (src/protocol/) against its checked-in description,
//! `tests/vectors/protocol.json`, table by table, read here with serde_json, independently of
//! the generator (`examples/protocol.rs`, whose `--check` also compares the generated JS). So a
//! protocol number changed in Rust and not regenerated fails `cargo test` as well as `make lint`;
//! and the tables keep their shape (unique numbers, one layout per operation, one bit per warning).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use jwt_wasm::protocol::{self, err, jwe_refusal, key_problem, op, opt, reason, slot, warn};
use serde_json::{json, Value};

const HOW: &str =
    "regenerate with `cargo run --example protocol` (protocol numbers change only in src/protocol.rs)";

fn description() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("vectors").join("protocol.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; {HOW}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}; {HOW}", path.display()))
}

/// `(name, number)` pairs of a table of the description.
fn pairs(doc: &Value, table: &str, number: &str) -> Vec<(String, u64)> {
    let rows = doc[table].as_array().unwrap_or_else(|| panic!("protocol.json has no {table}; {HOW}"));
    rows.iter().map(|r| (r["name"].as_str().unwrap().to_owned(), r[number].as_u64().unwrap())).collect()
}

fn lower<T: Copy + Into<u64>>(all: &[(&str, T)]) -> Vec<(String, u64)> {
    all.iter().map(|(name, n)| (name.to_ascii_lowercase(), (*n).into())).collect()
}

#[test]
fn protocol_json_describes_src_protocol_rs() {
    let doc = description();
    assert_eq!(pairs(&doc, "ops", "op"), lower(op::ALL), "ops; {HOW}");
    let options: Vec<(String, u64)> = opt::ALL
        .iter()
        .map(|(name, n)| (name.to_ascii_lowercase().replace('_', ""), u64::from(*n)))
        .collect();
    let in_file: Vec<(String, u64)> =
        pairs(&doc, "options", "kind").into_iter().map(|(name, n)| (name.to_ascii_lowercase(), n)).collect();
    assert_eq!(in_file, options, "option kinds; {HOW}");
    let algorithms: Vec<(String, u64)> =
        protocol::ALGORITHMS.iter().enumerate().map(|(i, a)| (a.name().to_owned(), i as u64)).collect();
    assert_eq!(pairs(&doc, "algorithms", "index"), algorithms, "algorithms; {HOW}");
    let slots: Vec<(String, u64)> =
        lower(&slot::ALL.iter().map(|(n, s)| (*n, *s as u64)).collect::<Vec<_>>());
    assert_eq!(pairs(&doc, "slots", "slot"), slots, "inspect slots; {HOW}");
    assert_eq!(pairs(&doc, "warnings", "bit"), lower(warn::ALL), "warning bits; {HOW}");
    let errors: Vec<Value> = err::ALL
        .iter()
        .map(|(_, e)| json!({ "number": e.number, "code": e.code, "message": e.message }))
        .collect();
    assert_eq!(doc["errors"], Value::Array(errors), "errors; {HOW}");
    let reasons: Vec<Value> = reason::ALL
        .iter()
        .map(|(_, r)| {
            let digit = char::from(r.digit).to_string();
            json!({ "digit": digit, "name": r.name, "message": r.message, "phrase": r.phrase })
        })
        .collect();
    assert_eq!(doc["reasons"], Value::Array(reasons), "reasons; {HOW}");
    let problems: Vec<Value> = key_problem::ALL
        .iter()
        .map(|(_, k)| json!({ "digit": char::from(k.digit).to_string(), "name": k.name, "message": k.message }))
        .collect();
    assert_eq!(doc["key_problems"], Value::Array(problems), "key problems; {HOW}");
    let refusals: Vec<Value> = jwe_refusal::ALL
        .iter()
        .map(|(_, r)| {
            let letter = char::from(r.letter).to_string();
            json!({ "letter": letter, "number": r.error.number, "name": r.name, "message": r.message })
        })
        .collect();
    assert_eq!(doc["jwe_refusals"], Value::Array(refusals), "JWE refusals; {HOW}");
    let names = |table: &str| -> Vec<String> {
        doc[table].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names("jwe_algorithms"), protocol::JWE_ALGS.map(|a| a.name.to_owned()), "JWE algs; {HOW}");
    assert_eq!(names("jwe_encryptions"), protocol::JWE_ENCS.map(|e| e.name.to_owned()), "JWE encs; {HOW}");
    assert_eq!(doc["separator"], json!(protocol::SEP), "separator; {HOW}");
    assert_eq!(doc["absent"], json!(protocol::ABSENT), "absent; {HOW}");
}

#[test]
fn every_table_has_unique_numbers_and_the_layout_covers_every_operation() {
    let unique = |what: &str, numbers: Vec<u64>| {
        let set: BTreeSet<u64> = numbers.iter().copied().collect();
        assert_eq!(set.len(), numbers.len(), "{what} repeat a number: {numbers:?}");
    };
    unique("ops", op::ALL.iter().map(|(_, n)| u64::from(*n)).collect());
    unique("option kinds", opt::ALL.iter().map(|(_, n)| u64::from(*n)).collect());
    unique("errors", err::ALL.iter().map(|(_, e)| u64::from(e.number)).collect());
    unique("reasons", reason::ALL.iter().map(|(_, r)| u64::from(r.digit)).collect());
    unique("key problems", key_problem::ALL.iter().map(|(_, k)| u64::from(k.digit)).collect());
    unique("JWE refusals", jwe_refusal::ALL.iter().map(|(_, r)| u64::from(r.letter)).collect());
    assert!(jwe_refusal::ALL.iter().all(|(_, r)| r.letter.is_ascii_lowercase()), "a JWE refusal is a letter");
    assert!(
        jwe_refusal::ALL.iter().all(|(_, r)| err::ALL.iter().any(|(_, e)| *e == r.error)),
        "a JWE refusal is reported with an error of the table"
    );
    unique("warnings", warn::ALL.iter().map(|(_, b)| u64::from(*b)).collect());
    let slots: Vec<usize> = slot::ALL.iter().map(|(_, s)| *s).collect();
    assert_eq!(slots, (0..protocol::SLOTS).collect::<Vec<_>>(), "slots are 0..SLOTS, in order");
    assert!(warn::ALL.iter().all(|(_, b)| b.is_power_of_two()), "a warning is one bit");
    assert!(reason::ALL.iter().all(|(_, r)| r.digit.is_ascii_digit()), "a reason is one ASCII digit");
    assert!(err::ALL.iter().all(|(_, e)| e.number != 0), "0 means success");
    let laid_out: Vec<u8> = protocol::OPS.iter().map(|l| l.op).collect();
    assert_eq!(
        laid_out,
        op::ALL.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        "OPS lays out every op, in order"
    );
}

/// The house's 500-line rule for the module that declares the protocol: its shared part and each
/// capability's part (`src/protocol/{mod,jwe,keys}.rs`) stay files of one job, and `OPS` joins
/// their rows in op order.
#[test]
fn the_protocol_module_is_split_by_capability_each_file_under_500_lines() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("protocol");
    for name in ["mod.rs", "jwe.rs", "keys.rs"] {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let lines = text.lines().count();
        assert!(lines <= 500, "{} has {lines} lines (the house's limit is 500)", path.display());
    }
    let ops: Vec<u8> = protocol::OPS.iter().map(|l| l.op).collect();
    let mut sorted = ops.clone();
    sorted.sort_by_key(|&n| (n >= 20, n));
    assert_eq!(ops, sorted, "OPS lists the shared rows, then jwe's (10 to 16), then keys' (20 to 24)");
}

#[test]
fn the_ticket_gone_status_is_neither_success_nor_an_error_number() {
    let gone = protocol::JWE_TICKET_GONE;
    assert_ne!(gone, 0);
    assert!(err::ALL.iter().all(|(_, e)| e.number != gone), "JWE_TICKET_GONE is not an error number");
    assert_eq!(description()["jwe_ticket_gone"], json!(gone));
}
