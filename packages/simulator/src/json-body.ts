/** The body as a JSON object, or undefined when it is empty, not JSON, or not an object. */
export function parseJsonObject(body: Buffer | null): Record<string, unknown> | undefined {
  if (body === null || body.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
