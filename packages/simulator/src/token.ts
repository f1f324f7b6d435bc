import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { SimulatorClock } from './clock.js';

export type TokenStatus = 'valid' | 'expired' | 'invalid';

/** What `POST /login` hands out. */
export interface IssuedToken {
  readonly token: string;
  /** The JWT `exp` claim, in seconds since the epoch. */
  readonly exp: number;
}

interface TokenRecord {
  readonly exp: number;
  readonly generation: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
// Keeps memory flat in long benchmark runs; only tokens already past `exp` are dropped.
const PRUNE_AT = 100_000;

/**
 * Issues JWT-shaped tokens and recognises only its own. Verification is a map lookup, so the
 * hot path does no crypto; the HMAC (done once per login) only makes the tokens look real.
 */
export class TokenIssuer {
  readonly #secret = randomBytes(32);
  readonly #issued = new Map<string, TokenRecord>();
  readonly #clock: SimulatorClock;
  readonly #lifetimeSeconds: number;
  // Tokens of a generation at or below these marks count as expired / unknown.
  #generation = 0;
  #expiredThrough = -1;
  #revokedThrough = -1;

  constructor(clock: SimulatorClock, lifetimeSeconds: number) {
    this.#clock = clock;
    this.#lifetimeSeconds = lifetimeSeconds;
  }

  issue(subject: string): IssuedToken {
    if (this.#issued.size >= PRUNE_AT) this.#pruneExpired();
    const iat = Math.floor(this.#clock.now() / 1000);
    const exp = iat + this.#lifetimeSeconds;
    const payload = Buffer.from(
      JSON.stringify({ sub: subject, iat, exp, jti: randomUUID(), iss: 'quivo-simulator', token_use: 'id' }),
    ).toString('base64url');
    const signature = createHmac('sha256', this.#secret).update(`${HEADER}.${payload}`).digest('base64url');
    const token = `${HEADER}.${payload}.${signature}`;
    this.#issued.set(token, { exp, generation: this.#generation });
    return { token, exp };
  }

  verify(token: string): TokenStatus {
    const record = this.#issued.get(token);
    if (record === undefined || record.generation <= this.#revokedThrough) return 'invalid';
    if (record.generation <= this.#expiredThrough || this.#clock.now() >= record.exp * 1000) return 'expired';
    return 'valid';
  }

  /** Every token issued so far now answers "The incoming token has expired". */
  expireAll(): void {
    this.#expiredThrough = this.#generation;
    this.#generation += 1;
  }

  /** Every token issued so far is now unknown ("Unauthorized"). */
  revokeAll(): void {
    this.#revokedThrough = this.#generation;
    this.#generation += 1;
  }

  #pruneExpired(): void {
    const nowSeconds = this.#clock.now() / 1000;
    for (const [token, record] of this.#issued) {
      if (record.exp <= nowSeconds) this.#issued.delete(token);
    }
  }
}
