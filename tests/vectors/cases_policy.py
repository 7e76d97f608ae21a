"""keys.json, claims.json and policy.json: key rules (length, one algorithm, kid), typed
registered claims, and the policy (exp, nbf, iat, iss, aud, sub, typ, required claims)."""

from vector_kit import *  # noqa: F403 (the shared builders)

# ---------------------------------------------------------------------------------------------
# keys.json: key selection (step 4) and key lengths (RFC 7518 §3.2)


def keys_cases():
    out = []
    add = out.append
    ka, kb = key("HS256", S256, kid="a"), key("HS256", S256B, kid="b")
    kless = key("HS256", S256B)

    def kt(kid, secret=S256, alg="HS256", payload=None):
        header = {"alg": alg, "typ": "JWT"}
        if kid is not None:
            header["kid"] = kid
        return tok(header=header, payload=payload, secret=secret)

    t = kt("b", S256B)
    add(case("kid_exact_match_selects_that_key", STEP4_KEY, t, ok(t), keys=[ka, kb]))
    t = kt("a", S256)
    add(case("kid_exact_match_selects_the_first_key_too", STEP4_KEY, t, ok(t), keys=[ka, kb]))
    add(case("kid_naming_one_key_signed_with_another_fails", STEP4_KEY, kt("a", S256B), BAD_SIG,
             keys=[ka, kb]))
    add(case("kid_match_is_case_sensitive", STEP4_KEY, kt("A"), NO_KEY, keys=[ka, kb]))
    add(case("kid_with_surrounding_space_does_not_match", STEP4_KEY, kt(" a"), NO_KEY, keys=[ka, kb]))
    add(case("kid_path_traversal_is_only_compared", STEP4_KEY, kt("../../a"), NO_KEY, keys=[ka, kb]))
    add(case("kid_url_is_not_fetched", STEP4_KEY, kt("https://attacker.example/key", ATTACKER), NO_KEY,
             keys=[ka, kb]))
    add(case("kid_sql_injection_is_only_compared", STEP4_KEY, kt("a' OR '1'='1"), NO_KEY, keys=[ka, kb]))
    t = tok(header='{"alg":"HS256","kid":"\\u0062"}', secret=S256B)
    add(case("escaped_kid_matches_after_unescaping", STEP4_KEY, t, ok(t), keys=[ka, kb]))
    t = kt("unknown", S256B)
    add(case("unknown_kid_falls_back_to_the_single_kidless_key", STEP4_KEY, t, ok(t), keys=[ka, kless]))
    add(case("unknown_kid_fallback_does_not_accept_a_named_key_signature", STEP4_KEY, kt("unknown", S256),
             BAD_SIG, keys=[ka, kless]))
    t = kt("", S256B)
    add(case("empty_kid_falls_back_to_the_kidless_key", STEP4_KEY, t, ok(t), keys=[ka, kless]))
    add(case("unknown_kid_without_a_kidless_key_is_refused", STEP4_KEY, kt("c"), NO_KEY, keys=[ka, kb]))
    add(case("no_kid_with_two_named_candidates_is_refused", STEP4_KEY, kt(None), NO_KEY, keys=[ka, kb]))
    add(case("no_kid_with_a_named_and_a_kidless_candidate_is_refused", STEP4_KEY, kt(None, S256B), NO_KEY,
             keys=[ka, kless]))
    t = kt(None)
    add(case("no_kid_with_a_single_named_key_is_accepted", STEP4_KEY, t, ok(t), keys=[ka]))
    t = kt(None, S256B)
    add(case("no_kid_with_a_single_kidless_key_is_accepted", STEP4_KEY, t, ok(t), keys=[kless]))
    k256n, k384n = key("HS256", S256, kid="k256"), key("HS384", S384, kid="k384")
    both = {"algorithms": ["HS256", "HS384"]}
    add(case("kid_of_a_key_of_another_alg_does_not_match", STEP4_KEY, kt("k384", S384), NO_KEY,
             keys=[k256n, k384n], options=both))
    t = kt("k384", S384, alg="HS384")
    add(case("hs384_token_selects_the_hs384_key", STEP4_KEY, t, ok(t), keys=[k256n, k384n], options=both))
    same256, same384 = key("HS256", S256, kid="same"), key("HS384", S384, kid="same")
    t = kt("same", S384, alg="HS384")
    add(case("same_kid_on_two_algs_is_selected_by_alg", STEP4_KEY, t, ok(t), keys=[same256, same384],
             options=both))
    add(case("hs384_token_macd_with_the_hs256_keys_secret_fails", STEP4_KEY, kt("same", S256, alg="HS384"),
             BAD_SIG, keys=[same256, same384], options=both))
    add(case("allowed_alg_without_a_key_of_that_alg_is_refused", STEP4_KEY,
             tok(header={"alg": "HS256"}, secret=S512), NO_KEY,
             keys=[K512], options={"algorithms": ["HS256", "HS512"]}))
    add(case("alg_allowlist_is_checked_before_key_selection", ORDER, kt("nope", S384, alg="HS384"),
             ALG_NOT_ALLOWED, keys=[ka, kb]))
    add(case("unknown_kid_is_reported_before_the_signature", ORDER, kt("nope", ATTACKER), NO_KEY,
             keys=[ka, kb]))

    # Key lengths: refused when the verifier is built (ERR_KEY_INVALID), whatever the token.
    def klen(name, alg, secret, expect_ok, b64=False):
        sbytes = b64u_decode(secret) if b64 else secret_bytes(secret)
        t = tok(header={"alg": alg, "typ": "JWT"}, secret=sbytes)
        k = key(alg, secret, b64=b64)
        o = {"algorithms": [alg]}
        add(case(name, KEYLEN, t, ok(t) if expect_ok else KEY_INVALID, keys=[k], options=o))

    klen("hs256_key_of_31_bytes_is_refused", "HS256", "k" * 31, False)
    klen("hs256_key_of_32_bytes_is_accepted", "HS256", "k" * 32, True)
    klen("hs384_key_of_47_bytes_is_refused", "HS384", "k" * 47, False)
    klen("hs384_key_of_48_bytes_is_accepted", "HS384", "k" * 48, True)
    klen("hs512_key_of_63_bytes_is_refused", "HS512", "k" * 63, False)
    klen("hs512_key_of_64_bytes_is_accepted", "HS512", "k" * 64, True)
    klen("hs512_key_long_enough_only_for_hs256_is_refused", "HS512", "k" * 32, False)
    klen("empty_utf8_key_is_refused", "HS256", "", False)
    klen("empty_base64url_key_is_refused", "HS256", "", False, b64=True)
    klen("short_binary_key_is_refused", "HS256", b64u(hashlib.sha256(b"vector").digest()[:16]), False, b64=True)
    klen("binary_key_of_32_bytes_is_accepted", "HS256", b64u(hashlib.sha256(b"vector").digest()), True,
         b64=True)
    klen("utf8_key_length_counts_bytes_not_characters", "HS256", "\u00e9" * 16, True)
    klen("utf8_key_of_31_bytes_in_16_characters_is_refused", "HS256", "\u00e9" * 15 + "x", False)
    t = tok(header={"alg": "HS256", "kid": "a"})
    add(case("one_short_key_refuses_the_whole_ring", KEYLEN, t, KEY_INVALID,
             keys=[ka, key("HS256", "short", kid="b")]))
    add(case("duplicate_kid_for_the_same_alg_is_refused", "jwt-wasm: KeyRing::new (ambiguous keys)", t,
             KEY_INVALID, keys=[ka, key("HS256", S256B, kid="a")]))
    add(case("two_kidless_keys_for_the_same_alg_are_refused", "jwt-wasm: KeyRing::new (ambiguous keys)",
             tok(), KEY_INVALID, keys=[K256, key("HS256", S256B)]))
    return out


# ---------------------------------------------------------------------------------------------
# claims.json: registered claims typed strictly (step 6)


def claims_cases():
    out = []
    add = out.append
    exp = T + 600
    wrong_numeric = [
        ("string", '"%d"' % exp),
        ("null", "null"),
        ("bool", "true"),
        ("array", "[%d]" % exp),
        ("object", '{"t":%d}' % exp),
        ("overflowing_number", "1e400"),
        ("negative_overflowing_number", "-1e400"),
    ]
    for claim in ["exp", "nbf", "iat"]:
        for label, value in wrong_numeric:
            if claim == "exp":
                text = '{"sub":"user-1","exp":%s}' % value
            else:
                text = '{"sub":"user-1","exp":%d,"%s":%s}' % (exp, claim, value)
            add(case(f"{claim}_as_{label}_is_invalid", "RFC 7519 §2 NumericDate; " + STEP6_TYPED,
                     tok(payload=text), claim_err(claim, "invalid")))
    wrong_string = [("number", "42"), ("null", "null"), ("array", '["x"]'), ("object", '{"v":"x"}'),
                    ("bool", "false")]
    for claim in ["iss", "sub", "jti"]:
        for label, value in wrong_string:
            text = '{"exp":%d,"%s":%s}' % (exp, claim, value)
            add(case(f"{claim}_as_{label}_is_invalid", "RFC 7519 §4.1 StringOrURI; " + STEP6_TYPED,
                     tok(payload=text), claim_err(claim, "invalid")))
    for label, value in [("number", "42"), ("null", "null"), ("array_with_a_number", '["api",1]'),
                         ("nested_array", '[["api"]]'), ("object", '{"0":"api"}'), ("bool", "true")]:
        text = '{"exp":%d,"aud":%s}' % (exp, value)
        add(case(f"aud_as_{label}_is_invalid", "RFC 7519 §4.1.3; " + STEP6_TYPED, tok(payload=text),
                 claim_err("aud", "invalid"), options=opts(audience="api")))
    add(case("null_exp_is_invalid_even_when_not_required", STEP6_TYPED,
             tok(payload='{"sub":"user-1","exp":null}'), claim_err("exp", "invalid"),
             options=opts(requiredClaims=["sub"])))
    add(case("escaped_exp_name_is_still_typed", STEP6_TYPED, tok(payload='{"\\u0065xp":"never"}'),
             claim_err("exp", "invalid")))
    add(case("escaped_exp_name_is_still_enforced", STEP6_TYPED,
             tok(payload='{"\\u0065xp":%d}' % (T - 10)), expired()))
    add(case("claim_typing_comes_before_policy", ORDER,
             tok(payload='{"iss":"https://other.example","exp":"soon"}'), claim_err("exp", "invalid"),
             options=opts(issuer="https://issuer.example")))
    for name, text in [
        ("fractional_exp_is_accepted", '{"sub":"user-1","exp":%d.5}' % exp),
        ("exponent_notation_exp_is_accepted", '{"sub":"user-1","exp":1.7000006e9}'),
        ("far_future_finite_exp_is_accepted", '{"sub":"user-1","exp":1e300}'),
        ("fractional_iat_and_nbf_are_accepted", '{"exp":%d,"iat":%d.25,"nbf":%d.75}' % (exp, T - 10, T - 10)),
        ("negative_nbf_is_accepted", '{"exp":%d,"nbf":-1}' % exp),
        ("aud_empty_array_is_well_typed_then_checked", '{"exp":%d,"aud":[],"iss":"","sub":"","jti":""}' % exp),
        ("custom_claims_are_not_typed", '{"exp":%d,"scope":42,"roles":[1,{"a":null}],"admin":"yes"}' % exp),
    ]:
        t = tok(payload=text)
        expect = ok(t)
        if name == "aud_empty_array_is_well_typed_then_checked":
            # Well typed, so the policy runs: an aud claim with no audience configured.
            expect = claim_err("aud", "check_failed")
        add(case(name, STEP6_TYPED, t, expect))
    add(case("negative_exp_is_expired", STEP6_TYPED, tok(payload='{"exp":-1}'), expired()))
    return out


# ---------------------------------------------------------------------------------------------
# policy.json: step 7


def policy_cases():
    out = []
    add = out.append
    exp = T + 600

    def pt(payload=None, header=None):
        return tok(header=header, payload=payload)

    def good(name, source, t, now=T, **o):
        add(case(name, source, t, ok(t), options=opts(**o), now=now))

    def bad(name, source, t, expect, now=T, **o):
        add(case(name, source, t, expect, options=opts(**o), now=now))

    EXP = "RFC 7519 §4.1.4"
    NBF = "RFC 7519 §4.1.5"
    IAT = "RFC 7519 §4.1.6; jwt-wasm: a future iat is refused"
    AGE = "jwt-wasm: maxTokenAge (jose semantics) measured from iat"
    TOL = "jwt-wasm: clockTolerance applies to every time check"
    t = pt()
    good("exp_in_the_future_is_accepted", EXP, t)
    bad("now_equal_to_exp_is_expired", EXP, t, expired(), now=exp)
    good("half_a_second_before_exp_is_accepted", EXP, t, now=exp - 0.5)
    bad("long_expired_token_is_expired", EXP, t, expired(), now=exp + 86400)
    tf = pt('{"sub":"user-1","exp":%d.5}' % T)
    good("fractional_exp_just_before_is_accepted", EXP, tf, now=T + 0.25)
    bad("fractional_exp_reached_is_expired", EXP, tf, expired(), now=T + 0.5)
    good("clock_tolerance_extends_exp", TOL, t, now=exp + 29.5, clockTolerance=30)
    bad("clock_tolerance_on_exp_is_bounded", TOL, t, expired(), now=exp + 30, clockTolerance=30)

    tn = pt(dict(P, nbf=T + 100))
    bad("nbf_in_the_future_is_check_failed", NBF, tn, claim_err("nbf", "check_failed"))
    good("now_equal_to_nbf_is_accepted", NBF, tn, now=T + 100)
    good("clock_tolerance_applies_to_nbf", TOL, tn, now=T + 70, clockTolerance=30)
    bad("clock_tolerance_on_nbf_is_bounded", TOL, tn, claim_err("nbf", "check_failed"), now=T + 69.5,
        clockTolerance=30)

    ti = pt(dict(P, iat=T + 100))
    bad("iat_in_the_future_is_check_failed", IAT, ti, claim_err("iat", "check_failed"))
    good("iat_equal_to_now_is_accepted", IAT, ti, now=T + 100)
    good("clock_tolerance_applies_to_iat", TOL, ti, now=T + 70, clockTolerance=30)
    bad("clock_tolerance_on_iat_is_bounded", TOL, ti, claim_err("iat", "check_failed"), now=T + 69.5,
        clockTolerance=30)

    ta = pt(dict(P, iat=T, exp=T + 3600))
    good("max_token_age_boundary_is_accepted", AGE, ta, now=T + 300, maxTokenAge=300)
    bad("max_token_age_exceeded_is_expired_iat", AGE, ta, expired("iat"), now=T + 300.5, maxTokenAge=300)
    good("clock_tolerance_applies_to_max_token_age", TOL, ta, now=T + 310, maxTokenAge=300, clockTolerance=10)
    bad("clock_tolerance_on_max_token_age_is_bounded", TOL, ta, expired("iat"), now=T + 310.5,
        maxTokenAge=300, clockTolerance=10)
    bad("max_token_age_without_iat_is_missing_iat", AGE, pt({"sub": "user-1", "exp": exp}),
        claim_err("iat", "missing"), maxTokenAge=300)
    bad("max_token_age_without_iat_is_missing_iat_even_when_expired", AGE,
        pt({"sub": "user-1", "exp": T - 10}), claim_err("iat", "missing"), now=T, maxTokenAge=300)
    bad("exp_is_reported_before_max_token_age", POLICY_ORDER, ta, expired("exp"), now=T + 4000,
        maxTokenAge=300)
    bad("nbf_is_reported_before_exp", POLICY_ORDER, pt(dict(P, nbf=T + 100, exp=T + 50)),
        claim_err("nbf", "check_failed"), now=T + 60)

    ISS = "RFC 7519 §4.1.1 (exact match)"
    iss = "https://issuer.example"
    ts = pt(dict(P, iss=iss))
    good("issuer_exact_match_is_accepted", ISS, ts, issuer=iss)
    bad("issuer_mismatch_is_check_failed", ISS, ts, claim_err("iss", "check_failed"),
        issuer="https://other.example")
    bad("issuer_with_longer_token_value_is_not_a_match", ISS, pt(dict(P, iss=iss + ".attacker.example")),
        claim_err("iss", "check_failed"), issuer=iss)
    bad("issuer_prefix_in_token_is_not_a_match", ISS, pt(dict(P, iss="https://issuer")),
        claim_err("iss", "check_failed"), issuer=iss)
    bad("issuer_case_difference_is_not_a_match", ISS, pt(dict(P, iss="https://Issuer.example")),
        claim_err("iss", "check_failed"), issuer=iss)
    bad("issuer_trailing_slash_is_not_a_match", ISS, pt(dict(P, iss=iss + "/")),
        claim_err("iss", "check_failed"), issuer=iss)
    good("issuer_list_matches_any_entry", ISS, ts, issuer=["https://a.example", iss])
    bad("issuer_list_without_the_token_issuer_is_check_failed", ISS, ts, claim_err("iss", "check_failed"),
        issuer=["https://a.example", "https://b.example"])
    bad("issuer_configured_but_absent_is_missing", ISS, pt(), claim_err("iss", "missing"), issuer=iss)
    good("issuer_ignored_when_not_configured", ISS, ts)

    SUB = "RFC 7519 §4.1.2"
    good("subject_match_is_accepted", SUB, pt(), subject="user-1")
    bad("subject_mismatch_is_check_failed", SUB, pt(), claim_err("sub", "check_failed"), subject="user-2")
    bad("subject_prefix_is_not_a_match", SUB, pt(), claim_err("sub", "check_failed"), subject="user-10")
    bad("subject_configured_but_absent_is_missing", SUB, pt({"exp": exp}), claim_err("sub", "missing"),
        subject="user-1")

    AUD = "RFC 7519 §4.1.3"
    good("audience_string_matches_string_aud", AUD, pt(dict(P, aud="api")), audience="api")
    good("audience_string_found_in_aud_array", AUD, pt(dict(P, aud=["web", "api"])), audience="api")
    good("audience_list_matches_string_aud", AUD, pt(dict(P, aud="web")), audience=["api", "web"])
    good("audience_list_intersects_aud_array", AUD, pt(dict(P, aud=["x", "web"])), audience=["api", "web"])
    bad("audience_without_intersection_is_check_failed", AUD, pt(dict(P, aud=["x", "y"])),
        claim_err("aud", "check_failed"), audience=["api", "web"])
    bad("audience_mismatch_string_is_check_failed", AUD, pt(dict(P, aud="other")),
        claim_err("aud", "check_failed"), audience="api")
    bad("audience_case_difference_is_not_a_match", AUD, pt(dict(P, aud="API")),
        claim_err("aud", "check_failed"), audience="api")
    bad("audience_substring_is_not_a_match", AUD, pt(dict(P, aud="api2")), claim_err("aud", "check_failed"),
        audience="api")
    bad("audience_empty_aud_array_is_check_failed", AUD, pt(dict(P, aud=[])), claim_err("aud", "check_failed"),
        audience="api")
    bad("audience_configured_but_absent_is_missing", AUD, pt(), claim_err("aud", "missing"), audience="api")
    bad("aud_without_configured_audience_is_check_failed", AUD, pt(dict(P, aud="api")),
        claim_err("aud", "check_failed"))
    bad("aud_array_without_configured_audience_is_check_failed", AUD, pt(dict(P, aud=["api"])),
        claim_err("aud", "check_failed"))

    TYP = "RFC 7515 §4.1.9 and RFC 8725 §3.11 (typ, media-type normalised)"

    def th(typ):
        return pt(header={"alg": "HS256", "typ": typ} if typ is not None else {"alg": "HS256"})

    good("typ_jwt_matches_jwt", TYP, th("JWT"), typ="JWT")
    good("typ_application_jwt_matches_jwt", TYP, th("application/jwt"), typ="JWT")
    good("typ_lowercase_jwt_matches_jwt", TYP, th("jwt"), typ="JWT")
    good("typ_jwt_matches_configured_application_jwt", TYP, th("JWT"), typ="application/jwt")
    good("typ_application_at_jwt_matches_at_jwt", TYP, th("application/at+jwt"), typ="at+jwt")
    bad("typ_at_jwt_is_not_jwt", TYP, th("at+jwt"), claim_err("typ", "check_failed"), typ="JWT")
    bad("typ_jwt_is_not_at_jwt", TYP, th("JWT"), claim_err("typ", "check_failed"), typ="at+jwt")
    bad("typ_with_parameters_is_not_jwt", TYP, th("application/jwt; charset=utf-8"),
        claim_err("typ", "check_failed"), typ="JWT")
    bad("typ_text_plain_is_not_application_text_plain", TYP, th("text/plain"), claim_err("typ", "check_failed"),
        typ="application/text/plain")
    bad("typ_application_text_plain_is_not_text_plain", TYP, th("application/text/plain"),
        claim_err("typ", "check_failed"), typ="text/plain")
    bad("typ_application_jwt_slash_x_is_not_jwt", TYP, th("application/jwt/x"), claim_err("typ", "check_failed"),
        typ="JWT")
    good("typ_with_a_slash_compares_case_insensitively", TYP, th("Text/Plain"), typ="text/plain")
    good("typ_short_matches_configured_application_form", TYP, th("AT+JWT"), typ="application/at+jwt")
    bad("typ_required_but_absent_is_missing", TYP, th(None), claim_err("typ", "missing"), typ="JWT")
    good("typ_ignored_when_not_configured", TYP, th("anything/at-all"))
    good("absent_typ_accepted_when_not_configured", TYP, th(None))

    REQ = "jwt-wasm: requiredClaims (default [\"exp\"])"
    bad("exp_is_required_by_default", REQ, pt({"sub": "user-1"}), claim_err("exp", "missing"))
    bad("empty_payload_object_is_missing_exp", REQ, pt({}), claim_err("exp", "missing"))
    EMPTY = "jwt-wasm issue 8: an empty list never switches a check off"
    bad("empty_required_claims_is_refused", EMPTY, pt({"sub": "user-1"}), INVALID_OPTIONS, requiredClaims=[])
    bad("empty_issuer_list_is_refused", EMPTY, pt(dict(P, iss="https://any.example")), INVALID_OPTIONS, issuer=[])
    bad("empty_audience_list_is_refused", EMPTY, pt(dict(P, aud="api")), INVALID_OPTIONS, audience=[])
    bad("empty_issuer_value_is_refused", EMPTY, pt(dict(P, iss="")), INVALID_OPTIONS, issuer="")
    bad("empty_subject_is_refused", EMPTY, pt(dict(P, sub="")), INVALID_OPTIONS, subject="")
    bad("empty_typ_is_refused", EMPTY, pt(), INVALID_OPTIONS, typ="")
    good("custom_required_claims_replace_the_default", REQ, pt({"sub": "user-1"}), requiredClaims=["sub"])
    bad("custom_required_claim_absent_is_missing", REQ, pt(), claim_err("jti", "missing"),
        requiredClaims=["exp", "jti"])
    good("custom_required_claims_present_are_accepted", REQ, pt(dict(P, jti="id-1")),
         requiredClaims=["exp", "jti"])
    good("required_claim_present_as_null_counts_as_present", REQ, pt(dict(P, scope=None)),
         requiredClaims=["exp", "scope"])

    t_exp_iss = pt(dict(P, iss="https://other.example", exp=T - 10))
    bad("expired_token_with_wrong_issuer_is_issuer_check_failed", POLICY_ORDER, t_exp_iss,
        claim_err("iss", "check_failed"), issuer=iss)
    bad("expired_token_with_wrong_audience_is_audience_check_failed", POLICY_ORDER,
        pt(dict(P, aud="other", exp=T - 10)), claim_err("aud", "check_failed"), audience="api")
    bad("expired_token_with_wrong_subject_is_subject_check_failed", POLICY_ORDER, pt(dict(P, exp=T - 10)),
        claim_err("sub", "check_failed"), subject="user-2")
    bad("expired_token_with_wrong_typ_is_typ_check_failed", POLICY_ORDER,
        pt(dict(P, exp=T - 10), header={"alg": "HS256", "typ": "at+jwt"}), claim_err("typ", "check_failed"),
        typ="JWT")
    bad("expired_token_missing_a_required_claim_is_missing", POLICY_ORDER, pt(dict(P, exp=T - 10)),
        claim_err("jti", "missing"), requiredClaims=["exp", "jti"])
    bad("not_yet_valid_token_with_wrong_issuer_is_issuer_check_failed", POLICY_ORDER,
        pt(dict(P, iss="https://other.example", nbf=T + 100)), claim_err("iss", "check_failed"), issuer=iss)
    t_all = pt(dict(P, iss=iss, aud=["api"], jti="id-1", nbf=T - 5))
    good("all_checks_configured_and_passing", "RFC 7519 §4.1", t_all, now=T + 1, issuer=iss, audience="api",
         subject="user-1", typ="JWT", clockTolerance=5, maxTokenAge=60, requiredClaims=["exp", "jti"])
    return out


