// The password-hash seed of the demo's D1 (schema: migrations/0001_users.sql): prints the SQL
// that inserts one user, with a fresh random salt, a fresh opaque id and the PBKDF2 hash of
// password.js. `make demo` seeds demo / demo-password into the local database on first start;
// for your own database:
//   node seed.mjs alice 'a long passphrase' > seed.sql
//   npx wrangler d1 execute DB --remote --file seed.sql
import { randomBytes, randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { pbkdf2 } from './password.js'

const hex = (bytes) => Buffer.from(bytes).toString('hex')
const quote = (s) => `'${s.replace(/'/g, "''")}'`

/** The INSERT for one user (a login already present is left as it is). */
export async function seedSql(login, password) {
  if (!login || !password) throw new Error('usage: node seed.mjs LOGIN PASSWORD')
  const salt = randomBytes(16)
  const hash = await pbkdf2(password, salt)
  return `INSERT OR IGNORE INTO users (login, sub, salt, hash) VALUES (${quote(login)}, ${quote(randomUUID())}, X'${hex(salt)}', X'${hex(hash)}');\n`
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [login, password] = process.argv.slice(2)
  process.stdout.write(await seedSql(login, password))
}
