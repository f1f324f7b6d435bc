/**
 * Keeps README code blocks equal to the examples they are copied from, so the READMEs cannot
 * show code that does not run.
 *
 * A fenced block preceded by a marker line (blank lines may sit between them)
 *
 *     <!-- snippet: examples/axios-service.mjs#axios-service -->
 *     ```js
 *     ...
 *     ```
 *
 * must equal the lines between `// #region axios-service` and `// #endregion` in that file,
 * with their common indentation removed (region markers nested inside are left out).
 * Trailing whitespace is ignored. A marker without a block, a missing file or region, or a
 * block that differs fails the check. A README without markers passes.
 *
 * Run: node examples/check-readme-snippets.mjs [README ...]
 *      (default: README.md and examples/README.md; paths relative to the repository root)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = /^\s*<!--\s*snippet:\s*(\S+?)#([\w.-]+)\s*-->\s*$/;
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})/;

const readmes = process.argv.length > 2 ? process.argv.slice(2) : ['README.md', 'examples/README.md'];
/** @type {string[]} */
const problems = [];
let checked = 0;

for (const readme of readmes) {
  const path = resolve(root, readme);
  if (!existsSync(path)) {
    if (process.argv.length > 2) problems.push(`${readme}: no such file`);
    continue;
  }
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i] ?? '');
    if (!marker) continue;
    const [, file = '', region = ''] = marker;
    const where = `${relative(root, path)}:${i + 1} (${file}#${region})`;
    const block = readFence(lines, i + 1);
    if (!block) {
      problems.push(`${where}: the marker is not followed by a fenced code block`);
      continue;
    }
    const expected = readRegion(resolve(root, file), region);
    if (typeof expected === 'object') {
      problems.push(`${where}: ${expected.error}`);
      continue;
    }
    checked += 1;
    const actual = normalise(block);
    if (actual !== expected) problems.push(`${where}: the block differs from the region\n${firstDifference(expected, actual)}`);
  }
}

if (problems.length > 0) {
  console.error(`README snippets out of date (${problems.length}):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(checked === 0 ? 'no snippet markers found; nothing to check' : `${checked} README snippets match their examples`);

/**
 * The body of the fenced block starting at or after `from` (only blank lines before it).
 * @param {string[]} lines @param {number} from
 * @returns {string[] | undefined}
 */
function readFence(lines, from) {
  let i = from;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  const open = FENCE_OPEN.exec(lines[i] ?? '');
  if (!open) return undefined;
  const [, indent = '', fence = ''] = open;
  // A closing fence: the same character, at least as many, nothing after it (CommonMark).
  const close = new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`);
  const body = [];
  for (i += 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (close.test(line)) return body;
    body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
  }
  return undefined; // unclosed
}

/**
 * @param {string} file @param {string} name
 * @returns {string | { error: string }}
 */
function readRegion(file, name) {
  if (!existsSync(file)) return { error: `${relative(root, file)} does not exist` };
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const start = lines.findIndex((line) => new RegExp(`^\\s*//\\s*#region\\s+${escape(name)}\\s*$`).test(line));
  if (start < 0) return { error: `no "// #region ${name}" in ${relative(root, file)}` };
  const body = [];
  let depth = 1;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*\/\/\s*#region\b/.test(line)) {
      depth += 1;
      continue;
    }
    if (/^\s*\/\/\s*#endregion\b/.test(line)) {
      depth -= 1;
      if (depth === 0) return normalise(body);
      continue;
    }
    body.push(line);
  }
  return { error: `"// #region ${name}" in ${relative(root, file)} has no #endregion` };
}

/** Trailing whitespace off, common indentation off, blank lines at both ends off. @param {string[]} lines */
function normalise(lines) {
  const trimmed = lines.map((line) => line.trimEnd());
  while (trimmed.length > 0 && trimmed[0] === '') trimmed.shift();
  while (trimmed.length > 0 && trimmed.at(-1) === '') trimmed.pop();
  const indents = trimmed.filter((line) => line !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return trimmed.map((line) => line.slice(common)).join('\n');
}

/** @param {string} expected @param {string} actual */
function firstDifference(expected, actual) {
  const want = expected.split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `    line ${i + 1} of the block\n    example: ${want[i] ?? '(end)'}\n    README:  ${got[i] ?? '(end)'}`;
  }
  return '';
}

/** @param {string} text */
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
