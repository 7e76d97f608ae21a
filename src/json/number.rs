//! Number literals of the JSON reader: their `f64` value, without `str::parse`.

/// Powers of ten that `f64` represents exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// The value of a number literal already checked against the JSON grammar.
///
/// Exact (correctly rounded) whenever the significand has at most 15 significant digits and
/// the decimal exponent lies within ±22 (Clinger's fast path): every timestamp a JWT carries,
/// milliseconds included. Beyond that it is within a few units in the last place, overflows
/// to infinity (which claim typing refuses) and underflows to zero. It replaces `str::parse`,
/// whose tables cost about 10 KB of wasm.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
pub(super) fn number_value(text: &[u8]) -> f64 {
    let (negative, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut mantissa: u64 = 0;
    let mut exp10: i64 = 0;
    let mut digits = 0u32;
    let mut in_fraction = false;
    let mut iter = body.iter();
    for &c in iter.by_ref() {
        match c {
            b'0'..=b'9' => {
                if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    if mantissa != 0 {
                        digits += 1;
                    }
                    if in_fraction {
                        exp10 -= 1;
                    }
                } else if !in_fraction {
                    exp10 += 1;
                }
            }
            b'.' => in_fraction = true,
            _ => break,
        }
    }
    // The exponent part, if any (the grammar guarantees digits follow).
    let mut exp_part: i64 = 0;
    let mut exp_negative = false;
    for &c in iter {
        match c {
            b'-' => exp_negative = true,
            b'0'..=b'9' => exp_part = (exp_part * 10 + i64::from(c - b'0')).min(100_000),
            _ => {}
        }
    }
    exp10 += if exp_negative { -exp_part } else { exp_part };
    let m = mantissa as f64;
    let value = if mantissa == 0 {
        0.0
    } else if mantissa < (1 << 53) && (-22..=22).contains(&exp10) {
        let p = EXACT_POW10.get(exp10.unsigned_abs() as usize).copied().unwrap_or(1.0);
        if exp10 < 0 {
            m / p
        } else {
            m * p
        }
    } else if exp10 > 308 + 19 {
        f64::INFINITY
    } else if exp10 < -343 {
        0.0
    } else {
        let mut v = m;
        let mut e = exp10;
        while e > 22 {
            v *= 1e22;
            e -= 22;
        }
        while e < -22 {
            v /= 1e22;
            e += 22;
        }
        let p = EXACT_POW10.get(e.unsigned_abs() as usize).copied().unwrap_or(1.0);
        if e < 0 {
            v / p
        } else {
            v * p
        }
    };
    if negative {
        -value
    } else {
        value
    }
}
