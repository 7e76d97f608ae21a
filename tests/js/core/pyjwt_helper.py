"""PyJWT as an interop oracle for tests/js/core/interop.test.mjs.

Reads a JSON list of requests on stdin and writes a JSON list of results, one per request:

  {"op": "sign", "alg": "HS256", "secret": <base64url>, "payload": {...}, "headers": {...}?}
      -> {"token": "..."}
  {"op": "verify", "alg": "HS256", "secret": <base64url>, "token": "...", "now": <seconds>,
   "audience": "..."?, "issuer": "..."?, "require": ["exp", ...]?}
      -> {"header": {...}, "payload": {...}}  or  {"error": "<PyJWT exception class name>"}

PyJWT reads the clock itself (`datetime.now` in jwt.api_jwt) and has no parameter for it, so
`verify` pins it by giving that module, in this process only, a datetime whose now() is `now`.
"""

import base64
import json
import sys
from datetime import datetime

import jwt
import jwt.api_jwt


class _PinnedDatetime(datetime):
    pinned = None

    @classmethod
    def now(cls, tz=None):
        if cls.pinned is None:
            raise RuntimeError("pyjwt_helper: the clock is not pinned")
        return datetime.fromtimestamp(cls.pinned, tz)


jwt.api_jwt.datetime = _PinnedDatetime


def _key(secret):
    return base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))


def _handle(req):
    op = req["op"]
    if op == "sign":
        token = jwt.encode(req["payload"], _key(req["secret"]), algorithm=req["alg"], headers=req.get("headers"))
        return {"token": token}
    if op == "verify":
        _PinnedDatetime.pinned = req["now"]
        try:
            out = jwt.decode_complete(
                req["token"],
                _key(req["secret"]),
                algorithms=[req["alg"]],
                audience=req.get("audience"),
                issuer=req.get("issuer"),
                options={"require": req.get("require", ["exp"])},
            )
        except jwt.PyJWTError as e:
            return {"error": type(e).__name__}
        finally:
            _PinnedDatetime.pinned = None
        return {"header": out["header"], "payload": out["payload"]}
    raise ValueError(f"unknown op {op!r}")


def main():
    requests = json.load(sys.stdin)
    json.dump([_handle(r) for r in requests], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
