-- The demo's users (www/seed.mjs writes the rows): the login, an opaque random id that becomes
-- the token's `sub`, and the PBKDF2-HMAC-SHA256 salt and hash of www/password.js. No name, no
-- e-mail: nothing personal is stored, so nothing personal can reach a token.
CREATE TABLE IF NOT EXISTS users (
  login TEXT PRIMARY KEY,
  sub TEXT NOT NULL,
  salt BLOB NOT NULL,
  hash BLOB NOT NULL
);
