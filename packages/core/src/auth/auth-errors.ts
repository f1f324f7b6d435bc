import { QuivoError } from '../quivo-error.js';

/** The error every request waiting for a failed login gets. */
export function authFailed(message: string, cause: unknown, secrets: readonly string[] = []): QuivoError {
  return new QuivoError({
    code: 'AUTH_FAILED',
    message,
    source: 'client',
    retryable: false,
    transient: false,
    outcome: 'not-executed',
    cause,
    secrets,
  });
}

/** Why a login failed, in words, with any configured secret scrubbed out. */
export function loginFailureCause(cause: unknown, secrets: readonly string[]): string {
  const detail = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'unknown error';
  let text = `login failed: ${detail}`;
  for (const secret of secrets) if (secret.length > 0) text = text.split(secret).join('[REDACTED]');
  return text.length > 1024 ? `${text.slice(0, 1021)}...` : text;
}
