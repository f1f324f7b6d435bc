/**
 * Whether `value` can go out as an HTTP header value as it is: no control character but tab (a
 * CR or LF would split the header), nothing beyond Latin-1. Clients refuse anything else with
 * an error that quotes the value, which for a token or API key is the secret itself.
 */
export function isHeaderValue(value: string): boolean {
  return !/[^\t\x20-\x7e\x80-\xff]/.test(value);
}
