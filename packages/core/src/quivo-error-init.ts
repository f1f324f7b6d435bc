import type { QuivoErrorCauseSummary } from './cause-summary.js';
import type { AttemptRecord, QuivoErrorCode, QuivoErrorSource, QuivoOutcome } from './error-types.js';

/** Everything a `QuivoError` holds. Traits left out are derived from `code`, `status` and `method`. */
export interface QuivoErrorInit {
  code: QuivoErrorCode;
  /** Scrubbed of credentials and cut to about 1 KB; empty gives a default such as `HTTP 401 Unauthorized`. */
  message: string;
  /** @default from the code: `network` for NETWORK, `client` for client-side codes, else `backend` */
  source?: QuivoErrorSource | undefined;
  status?: number | undefined;
  /** @default transient, and the request never ran or its method is idempotent (no 4xx but THROTTLED) */
  retryable?: boolean | undefined;
  /** @default true for THROTTLED, 5xx but 501/505, 408, 425, NETWORK and TIMEOUT */
  transient?: boolean | undefined;
  /** @default from the code, status and source; see `QuivoOutcome` */
  outcome?: QuivoOutcome | undefined;
  requestId?: string | undefined;
  gatewayErrorType?: string | undefined;
  method?: string | undefined;
  /** Kept without userinfo and with credential query values replaced by `[REDACTED]`. */
  url?: string | URL | undefined;
  /** @default 1 */
  attempts?: number | undefined;
  /** @default [] */
  trail?: readonly AttemptRecord[] | undefined;
  /** Kept redacted and capped (strings to 8 KB; objects only when small, else their JSON text, cut). */
  body?: unknown;
  cause?: unknown;
  /** Secret values (API key, token, password) to scrub from every text of the error. Not kept. */
  secrets?: readonly string[] | undefined;
}

/** What `toJSON()` returns: only fields that are safe to log. */
export interface QuivoErrorJSON {
  name: 'QuivoError';
  code: QuivoErrorCode;
  message: string;
  status?: number;
  source: QuivoErrorSource;
  retryable: boolean;
  transient: boolean;
  outcome: QuivoOutcome;
  requestId?: string;
  gatewayErrorType?: string;
  method?: string;
  url?: string;
  attempts: number;
  trail: readonly AttemptRecord[];
  body?: unknown;
  cause?: QuivoErrorCauseSummary;
}
