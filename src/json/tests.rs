//! The reader against the grammar, duplicates, depth, typing and number values (and serde_json).

use super::number::number_value;
use super::reader::has_duplicates;
use super::*;

fn ok(s: &str) -> bool {
    parse_object(s).is_ok()
}

#[test]
fn accepts_strict_objects() {
    assert!(ok("{}"));
    assert!(ok(" {\"a\":1} "));
    assert!(ok(r#"{"a":[1,{"b":[true,false,null]},"x"],"c":-0.5e+3,"d":"\u00e9\ud83d\ude00"}"#));
}

#[test]
fn rejects_non_objects_and_trailing_data() {
    for s in ["[]", "1", "\"a\"", "null", "{}x", "{} {}", "", " "] {
        assert!(!ok(s), "{s}");
    }
}

#[test]
fn rejects_loose_syntax() {
    for s in [
        "{\"a\":1,}",
        "{'a':1}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":1e}",
        "{\"a\":+1}",
        "{\"a\":NaN}",
        "{\"a\":Infinity}",
        "{\"a\":tru}",
        "{\"a\":\"\t\"}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\udc00\"}",
        "{\"a\":\"\\ud800\\u0041\"}",
        "{\"a\" 1}",
        "{\"a\":[1,]}",
        "{/*c*/}",
        "{\"a\":1 \"b\":2}",
    ] {
        assert!(!ok(s), "{s}");
    }
}

#[test]
fn duplicate_names_are_rejected_after_unescaping() {
    assert!(!ok(r#"{"a":1,"a":2}"#));
    assert!(!ok(r#"{"a":1,"\u0061":2}"#));
    assert!(!ok(r#"{"x":{"a":1,"a":2}}"#));
    assert!(!ok(r#"{"x":[{"a":1,"a":2}]}"#));
    assert!(ok(r#"{"x":{"a":1},"y":{"a":2}}"#));
}

#[test]
fn duplicate_check_sorts_correctly() {
    let mut x: u32 = 7;
    for n in 0..300 {
        let owned: Vec<String> = (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                format!("k{}", x % 1000)
            })
            .collect();
        let mut names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut expected = names.clone();
        expected.sort_unstable();
        let expected_dup = expected.windows(2).any(|w| w[0] == w[1]);
        assert_eq!(has_duplicates(&mut names), expected_dup);
        assert_eq!(names, expected);
    }
}

#[test]
fn duplicates_are_found_on_both_sides_of_the_pairwise_limit() {
    // Up to 16 names are compared pairwise, more are sorted: every count around the limit, a
    // repeat at every pair of places, top level and nested, escaped or not.
    for n in 1..=20usize {
        let names: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
        let object = |names: &[String]| {
            let members: Vec<String> = names.iter().map(|k| format!("\"{k}\":1")).collect();
            format!("{{{}}}", members.join(","))
        };
        assert!(ok(&object(&names)), "{n} distinct names");
        assert!(ok(&format!("{{\"x\":{}}}", object(&names))), "{n} distinct nested names");
        for i in 0..n {
            for j in (i + 1)..n {
                let mut dup = names.clone();
                dup[j] = if j % 2 == 0 { names[i].clone() } else { names[i].replace('k', "\\u006b") };
                assert!(!ok(&object(&dup)), "{n} names, {i} repeated at {j}");
                assert!(!ok(&format!("{{\"x\":{}}}", object(&dup))), "nested: {n} names, {i} at {j}");
            }
        }
    }
}

#[test]
fn depth_is_bounded() {
    let deep_ok = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
    assert!(ok(&deep_ok));
    let too_deep = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(!ok(&too_deep));
    let huge = format!("{{\"a\":{}", "[".repeat(100_000));
    assert!(!ok(&huge));
}

#[test]
fn top_level_values_are_typed() {
    let m = parse_object(r#"{"s":"x","n":1.5,"a":["p","q"],"e":[],"m":[1,"x"],"b":true,"z":null,"o":{}}"#)
        .unwrap();
    let v: Vec<_> = m.into_iter().map(|m| m.value).collect();
    assert_eq!(v[0], Value::Str("x".into()));
    assert_eq!(v[1], Value::Num(1.5));
    assert_eq!(v[2], Value::Strings(vec!["p".into(), "q".into()]));
    assert_eq!(v[3], Value::Strings(vec![]));
    assert_eq!(v[4], Value::Other);
    assert_eq!(v[5], Value::Bool(true));
    assert_eq!(v[6], Value::Null);
    assert_eq!(v[7], Value::Other);
}

#[test]
fn numbers_overflowing_to_infinity_are_reported_as_such() {
    let m = parse_object(r#"{"n":1e400}"#).unwrap();
    assert_eq!(m[0].value, Value::Num(f64::INFINITY));
}

#[test]
fn numbers_are_read_exactly_on_the_fast_path_and_closely_beyond() {
    let cases = [
        "0",
        "-0",
        "1",
        "1732000000",
        "1732000000.5",
        "1732000000.123",
        "-12.25e-2",
        "1e22",
        "9007199254740991",
        "0.1",
        "1.5e300",
        "2.5e-300",
        "123456789012345678901234567890",
        "1e400",
        "-1e400",
        "1e-400",
        "0.000000000000000000000000000001",
        "1E+2",
    ];
    for c in cases {
        let ours = number_value(c.as_bytes());
        let exact: f64 = c.parse().unwrap();
        let close = ours == exact || ((ours - exact) / exact).abs() < 1e-14;
        assert!(close, "{c}: {ours} vs {exact}");
    }
    for c in ["1732000000", "1732000000.5", "1732000000.123", "4102444800.999", "0.1", "1e22", "-12.25e-2"] {
        assert_eq!(number_value(c.as_bytes()).to_bits(), c.parse::<f64>().unwrap().to_bits(), "{c}");
    }
}

#[test]
fn agrees_with_serde_json_on_valid_documents() {
    let docs = [r#"{"a":"\"\\\/\b\f\n\r\t","b":-12.25e-2,"c":[[],{}]}"#, r#"{"k\u00e9":"\ud834\udd1e"}"#];
    for d in docs {
        let ours = parse_object(d).unwrap();
        let theirs: serde_json::Map<String, serde_json::Value> = serde_json::from_str(d).unwrap();
        assert_eq!(ours.len(), theirs.len());
        for m in ours {
            let t = &theirs[m.name.as_ref()];
            match m.value {
                Value::Str(s) => assert_eq!(t.as_str(), Some(s.as_ref())),
                Value::Num(n) => assert_eq!(t.as_f64(), Some(n)),
                _ => {}
            }
        }
    }
}

#[test]
fn a_stop_byte_is_found_at_every_offset_of_a_long_string() {
    // The string scan goes eight bytes at a time: put each kind of byte that ends a plain run
    // at every offset (and every alignment) of strings up to three words long.
    for len in 0..26 {
        for at in 0..=len {
            let (head, tail) = ("x".repeat(at), "y".repeat(len - at));
            let doc = |mid: &str| format!("{{\"a\":\"{head}{mid}{tail}\",\"b\":\"é🔑\"}}");
            let value = |d: &str| match parse_object(d).map(|m| m.into_iter().next().map(|m| m.value)) {
                Ok(Some(Value::Str(s))) => Some(s.into_owned()),
                _ => None,
            };
            assert_eq!(value(&doc("")), Some(format!("{head}{tail}")), "{len} {at}");
            assert_eq!(value(&doc("\\n")), Some(format!("{head}\n{tail}")), "{len} {at}");
            assert_eq!(value(&doc("\\\"")), Some(format!("{head}\"{tail}")), "{len} {at}");
            assert_eq!(value(&doc("é🔑\u{7f}")), Some(format!("{head}é🔑\u{7f}{tail}")), "{len} {at}");
            for bad in ["\u{0}", "\u{1f}", "\n", "\t", "\"", "\\x"] {
                assert_eq!(value(&doc(bad)), None, "{len} {at} {bad:?}");
            }
        }
        let open = format!("{{\"a\":\"{}", "z".repeat(len));
        assert!(parse_object(&open).is_err(), "{len}");
    }
}
