"""negative.json: every way a token can be malformed, each refused at the step of the order of
checks it breaks (size, segments, base64url, header, algorithm, key, MAC, payload)."""

from vector_kit import *  # noqa: F403 (the shared builders)

# ---------------------------------------------------------------------------------------------
# negative.json: structure, encoding, header, algorithm, signature and payload rules


def sized_token(total=None, header_len=None):
    """A valid HS256 token of exactly `total` bytes, or with a header segment of `header_len`."""
    for kid_pad in range(4):
        header = dict(H, kid="k" + "x" * kid_pad)
        for n in range(0, 20000):
            if header_len is not None:
                hh = dict(header, pad="h" * n)
                if len(seg(hh)) == header_len:
                    return tok(hh)
                if len(seg(hh)) > header_len:
                    break
            else:
                pp = dict(P, pad="p" * n)
                t = tok(header, pp)
                if len(t) == total:
                    return t
                if len(t) > total:
                    break
    raise AssertionError(f"no token of length {total} / header {header_len}")


def find_sig_with(char: str) -> str:
    for i in range(1000):
        t = tok(payload=dict(P, n=i))
        if char in parts(t)[2]:
            return t
    raise AssertionError(char)


def find_payload_with(char: str, length_mod4=None):
    for i in range(1000):
        # '?', '>' and '~' put ones in the high sextet bits, so '-' and '_' appear.
        pp = dict(P, n=i) if char is None else dict(P, n=i, q="?>~" * (1 + i % 3))
        s = seg(pp)
        if (char is None or char in s) and (length_mod4 is None or len(s) % 4 == length_mod4):
            return pp, s
    raise AssertionError(char)


def find_header_with(length_mod4):
    for i in range(100):
        hh = dict(H, kid="k" * i) if i else H
        s = seg(hh)
        if len(s) % 4 == length_mod4:
            return hh, s
    raise AssertionError(length_mod4)


def deep(n):
    """A payload whose `deep` member nests arrays so the document depth is n (top object = 1)."""
    return ('{"sub":"user-1","exp":%d,"deep":' % (T + 600)) + "[" * (n - 1) + "1" + "]" * (n - 1) + "}"


def payload_text(extra: str) -> str:
    """P as JSON text plus raw extra members (so invalid JSON can be spelled exactly)."""
    return '{"sub":"user-1","exp":%d%s}' % (T + 600, extra)


def negative_cases():
    out = []
    add = out.append
    good = tok()
    h, p, s = parts(good)

    # Step 1: size caps.
    t16385 = sized_token(total=16385)
    t16384 = sized_token(total=16384)
    add(case("token_over_default_max_token_bytes_is_too_large", STEP1, t16385, TOO_LARGE))
    add(case("token_of_exactly_default_max_token_bytes_is_accepted", STEP1, t16384, ok(t16384)))
    add(case("garbage_over_the_size_cap_is_too_large_before_parsing", STEP1, "a" * 16385, TOO_LARGE))
    t257, t256 = sized_token(total=257), sized_token(total=256)
    add(case("token_over_configured_max_token_bytes_is_too_large", STEP1, t257, TOO_LARGE,
             options=opts(maxTokenBytes=256)))
    add(case("token_of_exactly_configured_max_token_bytes_is_accepted", STEP1, t256, ok(t256),
             options=opts(maxTokenBytes=256)))
    th_over, th_max = sized_token(header_len=8194), sized_token(header_len=8192)
    add(case("header_segment_over_8192_bytes_is_too_large", STEP1, th_over, TOO_LARGE))
    add(case("header_segment_of_exactly_8192_bytes_is_accepted", STEP1, th_max, ok(th_max)))
    add(case("oversized_header_is_too_large_before_base64_checks", STEP1, ("!" * 8193) + f".{p}.{s}",
             TOO_LARGE))

    # Step 1: exactly three segments, header and payload non-empty.
    detached = tok(pseg="")
    for name, t in [
        ("empty_token_is_invalid", ""),
        ("one_segment_is_invalid", h),
        ("two_segments_are_invalid", f"{h}.{p}"),
        ("four_segments_are_invalid", f"{h}.{p}.{s}.{s}"),
        ("trailing_dot_making_four_segments_is_invalid", good + "."),
        ("five_segment_jwe_shape_is_invalid", f"{h}.{p}.{p}.{p}.{s}"),
        ("empty_header_segment_is_invalid", f".{p}.{s}"),
        ("empty_payload_segment_detached_content_is_invalid", detached),
        ("only_dots_is_invalid", ".."),
    ]:
        add(case(name, STEP1, t, JWS_INVALID))

    # Step 2: strict base64url (the MAC is computed over the exact, malformed text).
    _, h2 = find_header_with(2)
    pp2, p2 = find_payload_with(None, 2)
    add(case("padding_on_signature_is_invalid", STEP2, good + "=", JWS_INVALID))
    add(case("padding_on_payload_is_invalid", STEP2, tok(pseg=p2 + "=="), JWS_INVALID))
    add(case("padding_on_header_is_invalid", STEP2, tok(hseg=h2 + "=="), JWS_INVALID))
    add(case("space_inside_header_is_invalid", STEP2, tok(hseg=h[:10] + " " + h[10:]), JWS_INVALID))
    add(case("line_break_inside_payload_is_invalid", STEP2, tok(pseg=p[:20] + "\r\n" + p[20:]),
             JWS_INVALID))
    add(case("tab_inside_signature_is_invalid", STEP2, f"{h}.{p}.{s[:5]}\t{s[5:]}", JWS_INVALID))
    add(case("trailing_newline_is_invalid", STEP2, good + "\n", JWS_INVALID))
    add(case("leading_space_is_invalid", STEP2, " " + good, JWS_INVALID))
    add(case("trailing_space_is_invalid", STEP2, good + " ", JWS_INVALID))
    t_dash, t_under = find_sig_with("-"), find_sig_with("_")
    std_plus = t_dash.rsplit(".", 1)[0] + "." + parts(t_dash)[2].replace("-", "+")
    std_slash = t_under.rsplit(".", 1)[0] + "." + parts(t_under)[2].replace("_", "/")
    add(case("standard_alphabet_plus_in_signature_is_invalid", STEP2, std_plus, JWS_INVALID))
    add(case("standard_alphabet_slash_in_signature_is_invalid", STEP2, std_slash, JWS_INVALID))
    pp_u, p_u = find_payload_with("_")
    add(case("standard_alphabet_slash_in_payload_is_invalid", STEP2, tok(pseg=p_u.replace("_", "/")),
             JWS_INVALID))
    add(case("non_canonical_trailing_bits_in_signature_are_invalid", STEP2, f"{h}.{p}.{non_canonical(s)}",
             JWS_INVALID))
    add(case("non_canonical_trailing_bits_in_header_are_invalid", STEP2, tok(hseg=non_canonical(h2)),
             JWS_INVALID))
    add(case("non_canonical_trailing_bits_in_payload_are_invalid", STEP2, tok(pseg=non_canonical(p2)),
             JWS_INVALID))
    _, p0 = find_payload_with(None, 0)
    add(case("segment_of_impossible_length_is_invalid", STEP2, tok(pseg=p0 + "A"), JWS_INVALID))
    add(case("non_ascii_character_in_header_is_invalid", STEP2, tok(hseg=h[:-1] + "\u00e9"), JWS_INVALID))
    add(case("percent_encoded_character_is_invalid", STEP2, tok(pseg=p[:8] + "%3D" + p[8:]), JWS_INVALID))
    add(case("bad_signature_encoding_is_reported_before_alg_none", STEP2,
             f"{seg({'alg': 'none'})}.{p}.{non_canonical(s)}", JWS_INVALID))

    # Step 3: the header.
    header_invalid = [
        ("header_array_is_invalid", '["HS256"]'),
        ("header_string_is_invalid", '"HS256"'),
        ("header_not_json_is_invalid", "alg=HS256"),
        ("header_empty_object_without_alg_is_invalid", "{}"),
        ("header_without_alg_is_invalid", '{"typ":"JWT"}'),
        ("header_alg_number_is_invalid", '{"alg":256}'),
        ("header_alg_null_is_invalid", '{"alg":null}'),
        ("header_alg_array_is_invalid", '{"alg":["HS256"]}'),
        ("header_alg_object_is_invalid", '{"alg":{"name":"HS256"}}'),
        ("header_duplicate_alg_is_invalid", '{"alg":"none","alg":"HS256"}'),
        ("header_duplicate_alg_via_unicode_escape_is_invalid", '{"alg":"HS256","\\u0061lg":"none"}'),
        ("header_duplicate_kid_is_invalid", '{"alg":"HS256","kid":"a","kid":"b"}'),
        ("header_kid_number_is_invalid", '{"alg":"HS256","kid":1}'),
        ("header_typ_null_is_invalid", '{"alg":"HS256","typ":null}'),
        ("header_cty_number_is_invalid", '{"alg":"HS256","cty":1}'),
        ("header_trailing_comma_is_invalid", '{"alg":"HS256",}'),
        ("header_single_quotes_are_invalid", "{'alg':'HS256'}"),
        ("header_trailing_data_is_invalid", '{"alg":"HS256"}x'),
        ("header_two_objects_are_invalid", '{"alg":"HS256"}{"alg":"none"}'),
        ("header_with_byte_order_mark_is_invalid", '\ufeff{"alg":"HS256"}'),
        ("header_lone_surrogate_escape_is_invalid", '{"alg":"HS256","x":"\\ud800"}'),
        ("header_nesting_deeper_than_32_is_invalid", '{"alg":"HS256","x":' + "[" * 32 + "]" * 32 + "}"),
    ]
    for name, text in header_invalid:
        add(case(name, STEP3, tok(header=text), JWS_INVALID))
    add(case("header_invalid_utf8_is_invalid", STEP3, tok(header=b'{"alg":"HS256","x":"\xff"}'), JWS_INVALID))
    add(case("header_overlong_utf8_is_invalid", STEP3, tok(header=b'{"alg":"HS256","x":"\xc0\xaf"}'),
             JWS_INVALID))
    t = tok(header='{"alg":"HS\\u0032\\u0035\\u0036","typ":"JWT"}')
    add(case("escaped_alg_is_read_after_unescaping", "RFC 8259 §7", t, ok(t)))
    t = tok(header={"alg": "HS256", "typ": "JWT", "x": "[" * 31})
    add(case("brackets_inside_header_strings_are_not_nesting", STEP3, t, ok(t)))

    # Step 3: crit, b64, nested JWTs.
    not_supported = [
        ("crit_naming_a_claim_is_not_supported", {"alg": "HS256", "crit": ["exp"], "exp": T + 600}),
        ("crit_empty_array_is_not_supported", {"alg": "HS256", "crit": []}),
        ("crit_not_an_array_is_not_supported", {"alg": "HS256", "crit": "b64"}),
        ("crit_b64_false_unencoded_payload_is_not_supported", {"alg": "HS256", "b64": False, "crit": ["b64"]}),
        ("b64_false_without_crit_is_not_supported", {"alg": "HS256", "b64": False}),
        ("b64_string_true_is_not_supported", {"alg": "HS256", "b64": "true"}),
        ("b64_null_is_not_supported", {"alg": "HS256", "b64": None}),
        ("cty_jwt_nested_token_is_not_supported", {"alg": "HS256", "cty": "JWT"}),
        ("cty_lowercase_jwt_is_not_supported", {"alg": "HS256", "cty": "jwt"}),
        ("cty_application_jwt_is_not_supported", {"alg": "HS256", "cty": "application/jwt"}),
        ("crit_is_refused_before_the_alg_allowlist", {"alg": "none", "crit": ["x"]}),
    ]
    for name, header in not_supported:
        add(case(name, STEP3_CRIT if "before" not in name else ORDER, tok(header=header), NOT_SUPPORTED))
    t = tok(header={"alg": "HS256", "b64": True})
    add(case("b64_true_is_accepted", "RFC 7797 §3", t, ok(t)))
    t = tok(header={"alg": "HS256", "cty": "json"})
    add(case("cty_other_than_jwt_is_accepted", "RFC 7515 §4.1.10", t, ok(t)))

    # Step 3: URL and embedded-key headers are ignored, never fetched, never used.
    attacker_headers = {
        "alg": "HS256",
        "typ": "JWT",
        "jku": "https://attacker.example/jwks.json",
        "x5u": "https://attacker.example/cert.pem",
        "x5c": ["MIIBattacker"],
        "jwk": {"kty": "oct", "k": b64u(ATTACKER.encode())},
    }
    t = tok(header=attacker_headers)
    add(case("jku_x5u_x5c_jwk_headers_are_ignored", STEP3_IGNORED, t, ok(t)))
    add(case("embedded_jwk_is_never_used_as_the_key", STEP3_IGNORED, tok(header=attacker_headers,
                                                                       secret=ATTACKER), BAD_SIG))
    add(case("jku_with_unknown_kid_is_not_fetched", STEP3_IGNORED,
             tok(header=dict(attacker_headers, kid="attacker-key"), secret=ATTACKER), NO_KEY,
             keys=[key("HS256", S256, kid="k1")]))

    # Step 4: the algorithm allowlist (alg none in every spelling, other algorithms).
    for name, alg in [
        ("alg_none_lowercase_is_refused", "none"),
        ("alg_none_capitalised_is_refused", "None"),
        ("alg_none_uppercase_is_refused", "NONE"),
        ("alg_none_mixed_case_is_refused", "nOnE"),
    ]:
        add(case(name, STEP4_ALG, tok(header={"alg": alg, "typ": "JWT"}, sig=""), ALG_NOT_ALLOWED))
    add(case("alg_none_with_a_valid_hmac_attached_is_refused", STEP4_ALG,
             tok(header={"alg": "none"}, alg="HS256"), ALG_NOT_ALLOWED))
    add(case("alg_hs384_not_in_algorithms_is_refused", STEP4_ALG,
             tok(header={"alg": "HS384", "typ": "JWT"}, secret=S384), ALG_NOT_ALLOWED))
    add(case("alg_hs512_not_in_algorithms_is_refused", STEP4_ALG,
             tok(header={"alg": "HS512"}, secret=S512), ALG_NOT_ALLOWED,
             keys=[K256, K384], options={"algorithms": ["HS256", "HS384"]}))
    for name, alg in [
        ("alg_rs256_key_confusion_is_refused", "RS256"),
        ("alg_es256_is_refused", "ES256"),
        ("alg_ps256_is_refused", "PS256"),
        ("alg_eddsa_is_refused", "EdDSA"),
        ("alg_lowercase_hs256_is_refused", "hs256"),
        ("alg_hs256_with_trailing_space_is_refused", "HS256 "),
        ("alg_hs256_with_nul_is_refused", "HS256\u0000"),
        ("alg_empty_string_is_refused", ""),
        ("alg_dir_is_refused", "dir"),
    ]:
        add(case(name, STEP4_ALG, tok(header={"alg": alg, "typ": "JWT"}, alg="HS256"), ALG_NOT_ALLOWED))

    # Step 5: the MAC.
    sig = sig_of(good)
    add(case("signature_one_byte_short_fails", STEP5, set_sig(good, sig[:-1]), BAD_SIG))
    add(case("signature_one_byte_long_fails", STEP5, set_sig(good, sig + b"\x00"), BAD_SIG))
    add(case("signature_with_one_bit_flipped_fails", STEP5,
             set_sig(good, sig[:-1] + bytes([sig[-1] ^ 1])), BAD_SIG))
    add(case("empty_signature_fails", STEP5, f"{h}.{p}.", BAD_SIG))
    add(case("all_zero_signature_fails", STEP5, set_sig(good, bytes(32)), BAD_SIG))
    add(case("signature_with_another_key_fails", STEP5, tok(secret=S256B), BAD_SIG))
    add(case("signature_over_header_only_fails", STEP5, set_sig(good, mac("HS256", S256, h)), BAD_SIG))
    add(case("signature_over_decoded_json_fails", STEP5,
             set_sig(good, hmac.new(S256.encode(), raw(H) + b"." + raw(P), hashlib.sha256).digest()), BAD_SIG))
    tampered = f"{h}.{seg(dict(P, sub='admin'))}.{s}"
    add(case("tampered_payload_with_original_signature_fails", STEP5, tampered, BAD_SIG))
    add(case("hs256_length_signature_on_hs512_token_fails", STEP5,
             tok(header={"alg": "HS512"}, secret=S512, alg="HS256"), BAD_SIG,
             keys=[K512], options={"algorithms": ["HS512"]}))
    add(case("hs512_signature_truncated_to_hs256_length_fails", STEP5,
             set_sig(tok(), mac("HS512", S256, f"{h}.{p}")[:32]), BAD_SIG))
    add(case("forged_expired_token_reports_signature_not_expiry", ORDER,
             tok(payload=dict(P, iat=T - 7200, exp=T - 3600), secret=ATTACKER), BAD_SIG))
    add(case("forged_token_with_wrong_issuer_reports_signature", ORDER,
             tok(payload=dict(P, iss="https://attacker.example"), secret=ATTACKER), BAD_SIG,
             options=opts(issuer="https://issuer.example")))
    add(case("forged_token_with_bad_payload_reports_signature", ORDER, tok(payload="[1]", secret=ATTACKER),
             BAD_SIG))

    # Step 6: the payload is a strict JSON object (all of these carry a valid MAC).
    exp = T + 600
    payload_invalid = [
        ("payload_array_is_invalid", "[1,2]"),
        ("payload_string_is_invalid", '"user-1"'),
        ("payload_number_is_invalid", "1700000600"),
        ("payload_null_is_invalid", "null"),
        ("payload_true_is_invalid", "true"),
        ("payload_not_json_is_invalid", "sub=user-1"),
        ("payload_trailing_comma_is_invalid", payload_text(",")),
        ("payload_trailing_comma_in_array_is_invalid", payload_text(',"aud":["a",]')),
        ("payload_leading_zero_is_invalid", '{"sub":"user-1","exp":0%d}' % exp),
        ("payload_nan_is_invalid", payload_text(',"x":NaN')),
        ("payload_infinity_is_invalid", payload_text(',"x":Infinity')),
        ("payload_plus_sign_number_is_invalid", payload_text(',"x":+1')),
        ("payload_bare_fraction_is_invalid", payload_text(',"x":.5')),
        ("payload_single_quotes_are_invalid", "{'sub':'user-1','exp':%d}" % exp),
        ("payload_comment_is_invalid", payload_text("/* c */")),
        ("payload_unquoted_name_is_invalid", '{sub:"user-1","exp":%d}' % exp),
        ("payload_raw_control_character_in_string_is_invalid", payload_text(',"x":"a\tb"')),
        ("payload_invalid_escape_is_invalid", payload_text(',"x":"\\x41"')),
        ("payload_lone_high_surrogate_escape_is_invalid", payload_text(',"x":"\\ud800"')),
        ("payload_lone_low_surrogate_escape_is_invalid", payload_text(',"x":"\\udc00"')),
        ("payload_high_surrogate_then_non_surrogate_is_invalid", payload_text(',"x":"\\ud800\\u0041"')),
        ("payload_two_objects_are_invalid", payload_text("") + "{}"),
        ("payload_trailing_data_is_invalid", payload_text("") + "x"),
        ("payload_with_byte_order_mark_is_invalid", "\ufeff" + payload_text("")),
        ("payload_unterminated_is_invalid", payload_text("")[:-1]),
        ("payload_duplicate_exp_is_invalid", '{"exp":%d,"sub":"user-1","exp":%d}' % (T - 3600, exp)),
        ("payload_duplicate_sub_is_invalid", payload_text(',"sub":"admin"')),
        ("payload_duplicate_via_unicode_escape_is_invalid", payload_text(',"\\u0073ub":"admin"')),
        ("payload_duplicate_nested_member_is_invalid", payload_text(',"ctx":{"role":"user","role":"admin"}')),
        ("payload_duplicate_member_in_array_object_is_invalid", payload_text(',"a":[{"k":1,"k":2}]')),
        ("payload_nesting_deeper_than_32_is_invalid", deep(33)),
        ("payload_nesting_of_1000_is_invalid", deep(1000)),
    ]
    for name, text in payload_invalid:
        src = STEP6_DUP if "duplicate" in name else STEP6
        add(case(name, src, tok(payload=text), JWT_INVALID))
    for name, data in [
        ("payload_invalid_utf8_is_invalid", b'{"sub":"\xff","exp":%d}' % exp),
        ("payload_truncated_utf8_sequence_is_invalid", b'{"sub":"\xc3","exp":%d}' % exp),
        ("payload_overlong_utf8_is_invalid", b'{"sub":"\xc0\xaf","exp":%d}' % exp),
        ("payload_utf8_encoded_surrogate_is_invalid", b'{"sub":"\xed\xa0\x80","exp":%d}' % exp),
    ]:
        add(case(name, "RFC 7519 §7.2 step 8 (UTF-8) and RFC 3629", tok(payload=data), JWT_INVALID))
    for name, text in [
        ("payload_nesting_of_exactly_32_is_accepted", deep(32)),
        ("payload_with_surrounding_whitespace_is_accepted", " \r\n\t" + payload_text("") + " \n"),
        ("payload_unicode_escapes_are_accepted", payload_text(',"name":"\\u00e9\\ud83d\\ude00\\/\\"\\\\"')),
        ("payload_utf8_text_is_accepted", payload_text(',"name":"Zo\u00eb \u2603 \U0001f600"')),
        ("payload_same_name_in_different_objects_is_accepted", payload_text(',"a":{"k":1},"b":{"k":2}')),
    ]:
        t = tok(payload=text)
        add(case(name, STEP6, t, ok(t)))
    return out


