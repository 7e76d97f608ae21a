// The public-key examples of the RFCs, with their source: RFC 7515 Appendix A.2 (RS256) and A.3
// (ES256), RFC 8037 Appendix A.1/A.4 (Ed25519), and RFC 7520 §4.1 (RS256), §4.2 (PS384), §4.3
// (ES512), the last three as Wycheproof carries them (json_web_signature_test.json tcIds 345,
// 346, 347, RFC 7520's Figures 13, 20 and 27). Only the public halves of the keys are kept.

/** RFC 7515 A.2.1: the RSA key (n, e) of the RS256 example, and A.2.1's JWS. */
export const RFC7515_A2 = {
  source: 'RFC 7515 Appendix A.2',
  jwk: {
    kty: 'RSA',
    n: 'ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ',
    e: 'AQAB',
  },
  alg: 'RS256',
  token:
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw',
  // The claims set of RFC 7515 §3.3, exp 1300819380 (2011-03-22T18:43:00Z).
  payload: { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true },
  now: 1300819370,
}

/** RFC 7515 A.3.1: the P-256 key (x, y) of the ES256 example, and its JWS (ECDSA is randomised: this is A.3's signature). */
export const RFC7515_A3 = {
  source: 'RFC 7515 Appendix A.3',
  jwk: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  },
  alg: 'ES256',
  token:
    'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q',
  payload: { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true },
  now: 1300819370,
}

/** RFC 8037 A.1 (the Ed25519 key) and A.4 (its JWS over "Example of Ed25519 signing"). */
export const RFC8037_A4 = {
  source: 'RFC 8037 Appendix A.1, A.4',
  jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
  alg: 'EdDSA',
  token:
    'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg',
  // The payload is text, not a JWT claims set.
  text: 'Example of Ed25519 signing',
}

/** RFC 7520 §4.1–§4.3 by the Wycheproof tcId that carries each (json_web_signature_test.json). */
export const RFC7520 = [
  { source: 'RFC 7520 §4.1 (Figure 13)', tcId: 345, alg: 'RS256' },
  { source: 'RFC 7520 §4.2 (Figure 20)', tcId: 346, alg: 'PS384' },
  { source: 'RFC 7520 §4.3 (Figure 27)', tcId: 347, alg: 'ES512' },
]
