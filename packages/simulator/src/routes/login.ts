import { GATEWAY } from '../gateway-responses.js';
import { parseJsonObject } from '../json-body.js';
import { jsonReply, type Reply } from '../reply.js';
import type { Route } from '../router.js';
import type { StatsRecorder } from '../stats.js';
import type { TokenIssuer } from '../token.js';

const INVALID_CREDENTIALS: Reply = jsonReply(401, { message: 'Invalid username or password' });

/** `POST /login`: `{ username, password }` in, `{ Token }` out. Guarded by the API key only. */
export function loginRoutes(deps: {
  passwords: ReadonlyMap<string, string>;
  tokens: TokenIssuer;
  stats: StatsRecorder;
}): Route[] {
  const handle = ({ body }: { body: Buffer | null }): Reply => {
    const credentials = parseJsonObject(body);
    if (credentials === undefined) return GATEWAY.invalidBody;
    const { username, password } = credentials;
    if (typeof username !== 'string' || typeof password !== 'string' || deps.passwords.get(username) !== password) {
      return INVALID_CREDENTIALS;
    }
    const { token } = deps.tokens.issue(username);
    deps.stats.loggedIn();
    return jsonReply(200, { Token: token });
  };
  return [{ method: 'POST', template: '/login', key: 'POST /login', auth: 'api-key', handle }];
}
