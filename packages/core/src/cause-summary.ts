import { LIMITS } from './limits.js';
import type { Redactor } from './redact.js';
import { isObjectLike, readProp, readString } from './safe-read.js';

/** All that `toJSON()` and `util.inspect` show of a cause: never its config, headers or request. */
export interface QuivoErrorCauseSummary {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/**
 * The cause in a few words, scrubbed. An AxiosError's `config.headers` holds the token, a
 * fetch error's cause the socket; none of that is read, only `name`, `message` and `code`.
 */
export function summariseCause(cause: unknown, redactor: Redactor): QuivoErrorCauseSummary {
  if (!isObjectLike(cause)) {
    const text = typeof cause === 'string' ? cause : String(cause);
    return { name: cause === null ? 'null' : typeof cause, message: redactor.scrubCapped(text, LIMITS.message) };
  }
  const name = readString(cause, 'name') ?? constructorName(cause) ?? 'Object';
  const message = redactor.scrubCapped(readString(cause, 'message') ?? '', LIMITS.message);
  const rawCode = readProp(cause, 'code');
  const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? redactor.scrubCapped(String(rawCode), LIMITS.token) : undefined;
  return { name: redactor.scrubCapped(name, LIMITS.token), message, ...(code === undefined ? {} : { code }) };
}

function constructorName(value: object): string | undefined {
  return readString(readProp(value, 'constructor'), 'name');
}
