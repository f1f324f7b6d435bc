/**
 * Whether `value` can go out as an HTTP header value: once the whitespace at its ends is
 * trimmed, as fetch and axios trim it (a key read from a file ends in a newline), no control
 * character but tab (a CR or LF inside would split the header), nothing beyond Latin-1.
 * Clients refuse anything else with an error that quotes the value, which for a token or an
 * API key is the secret itself.
 */
export function isHeaderValue(value: string): boolean {
  return !/[^\t\x20-\x7e\x80-\xff]/.test(value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ''));
}
