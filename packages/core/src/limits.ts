/**
 * Size limits of what a `QuivoError` keeps. An error is built on every failed attempt, from
 * bodies of any size, so everything is cut to these before it is parsed or scanned.
 */
export const LIMITS = {
  /** Longest `message`, in UTF-16 code units. */
  message: 1024,
  /** Longest kept text body. */
  bodyText: 8192,
  /** A kept object body must serialise to at most this many characters, else its JSON text is kept, cut. */
  bodyJson: 8192,
  /** Bytes of a binary body that are decoded; the rest is never looked at. */
  decodeBytes: 65_536,
  /** Characters of a text body that are parsed as JSON or scanned for a message. */
  parseChars: 65_536,
  /** Longest kept `url`. */
  url: 2048,
  /** Longest `requestId`, `gatewayErrorType`, cause name or code. */
  token: 256,
  /** Objects and arrays visited when copying or scanning a body. */
  walkNodes: 2000,
  /** Nesting levels visited when copying or scanning a body. */
  walkDepth: 16,
} as const;

/**
 * Cuts `text` to at most `max` code units, marking the cut with `…`. Never splits a
 * surrogate pair, and cutting a cut text again changes nothing.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
