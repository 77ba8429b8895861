// Text the player shows, computed from plain values: no DOM here, so Node can test it too.
//
// - `formatReply(value, argv)`: a reply as redis-cli prints it, from the JS value the engine
//   returned (see README: status and bulk strings both arrive as JS strings, so the command
//   decides which one a string was).
// - `formatCommand(argv)`: a command as it would be typed into redis-cli.
// - `inspect(value)`: a value as Node's console.log / util.inspect shows it.
// - `compareStated(expect, actual, mode)`: a course's stated output against the real value.

// ---------------------------------------------------------------------------------------------
// redis-cli
// ---------------------------------------------------------------------------------------------

/** A string (or bytes) as redis-cli quotes it: printable ASCII as is, \\ \" \n \r \t \a \b, else \xHH. */
export function repr(text) {
  const bytes = text instanceof Uint8Array ? text : new TextEncoder().encode(String(text));
  let out = '"';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x07) out += '\\a';
    else if (b === 0x08) out += '\\b';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** One argument as typed into redis-cli: bare when that reads back the same, quoted otherwise. */
export function quoteArg(arg) {
  if (arg instanceof Uint8Array) {
    const plain = arg.length > 0 && arg.every((b) => b > 0x20 && b < 0x7f && b !== 0x22 && b !== 0x27 && b !== 0x5c);
    return plain ? String.fromCharCode(...arg) : repr(arg);
  }
  const text = typeof arg === 'string' ? arg : String(arg);
  if (text !== '' && /^[\x21-\x7e]+$/.test(text) && !/["'\\]/.test(text)) return text;
  return repr(text);
}

export function formatCommand(argv) {
  return argv.map(quoteArg).join(' ');
}

// Commands whose string reply is a status (+OK, +PONG, +string...), not a bulk string.
const STATUS_COMMANDS = new Set([
  'set', 'setex', 'psetex', 'mset', 'ltrim', 'lset', 'hmset', 'rename', 'flushall', 'flushdb',
  'select', 'swapdb', 'watch', 'unwatch', 'multi', 'discard', 'auth', 'quit', 'reset', 'restore',
  'save', 'bgsave', 'bgrewriteaof', 'type', 'pfmerge', 'readonly', 'readwrite', 'migrate',
  'clock.freeze', 'clock.resume', 'clock.set',
]);
const STATUS_SUBCOMMANDS = new Set([
  'config set', 'config resetstat', 'config rewrite', 'client setname', 'client kill',
  'client pause', 'client unpause', 'client reply', 'client no-evict', 'client no-touch',
  'script flush', 'script kill', 'function flush', 'function delete', 'function restore',
  'function kill', 'xgroup create', 'xgroup setid', 'memory purge', 'debug object',
]);

/** True when a string reply of `argv` is a status reply. */
export function isStatusReply(argv, value) {
  if (!argv?.length) return false;
  const name = String(argv[0]).toLowerCase();
  if (name === 'ping') return argv.length === 1;
  if (name === 'exec') return value === 'OK' || value === 'PONG' || value === 'QUEUED';
  if (name === 'set') return !argv.slice(3).some((a) => String(a).toLowerCase() === 'get');
  if (STATUS_COMMANDS.has(name)) return true;
  if (argv.length > 1 && STATUS_SUBCOMMANDS.has(`${name} ${String(argv[1]).toLowerCase()}`)) return true;
  return value === 'QUEUED';
}

function formatInto(lines, value, argv, prefix, first) {
  // `first` is the text already on the current line (an index label), `prefix` the indentation
  // of the following lines.
  if (value === null || value === undefined) return lines.push(`${first}(nil)`);
  if (typeof value === 'number' || typeof value === 'bigint') return lines.push(`${first}(integer) ${value}`);
  if (typeof value === 'boolean') return lines.push(`${first}(integer) ${value ? 1 : 0}`);
  if (typeof value === 'string') {
    return lines.push(first + (isStatusReply(argv, value) ? value.split('\0')[0] : repr(value)));
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return lines.push(`${first}(empty array)`);
    const width = String(value.length).length;
    const inner = prefix + ' '.repeat(width + 2);
    value.forEach((item, i) => {
      const label = `${String(i + 1).padStart(width)}) `;
      // Elements of an array reply are never status replies, except inside EXEC's.
      const itemArgv = argv && String(argv[0]).toLowerCase() === 'exec' ? ['exec'] : null;
      formatInto(lines, item, itemArgv, inner, i === 0 ? first + label : prefix + label);
    });
    return undefined;
  }
  if (typeof value === 'object') {
    if (typeof value.error === 'string') return lines.push(`${first}(error) ${value.error.split('\0')[0]}`);
    if (Array.isArray(value.replies)) {
      value.replies.forEach((r, i) => formatInto(lines, r, argv, prefix, i === 0 ? first : prefix));
      return undefined;
    }
    if (value.blocked === true) return undefined;
  }
  return lines.push(first + String(value));
}

/** redis-cli's text for a reply (no trailing newline); "" for a command still blocked. */
export function formatReply(value, argv = null) {
  const lines = [];
  formatInto(lines, value, argv, '', '');
  return lines.join('\n');
}

/**
 * How long a blocking command waits, in ms (0 = forever), from its usage text in the command
 * table (`blpop key [key ...] timeout`: the timeout is the last argument), or null when the
 * command does not block.
 */
export function blockingTimeoutMs(argv, usage) {
  if (!usage || !/\btimeout\b/.test(usage)) return null;
  const words = usage.split(/\s+/);
  const at = words.indexOf('timeout');
  const raw = at === 0 ? argv[1] : argv[argv.length - 1];
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

// ---------------------------------------------------------------------------------------------
// Node's util.inspect, as console.log uses it (no colours, depth 2, breakLength 80, compact 3)
// ---------------------------------------------------------------------------------------------

const BREAK_LENGTH = 80;
const COMPACT = 3;
const MAX_DEPTH = 2;
const MAX_ARRAY = 100;
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

function escapeString(text, quote) {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** A string in quotes as util.inspect picks them: ' unless the text has one, then " or `. */
export function quoteString(text) {
  let quote = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) quote = '"';
    else if (!text.includes('`') && !text.includes('${')) quote = '`';
  }
  return quote + escapeString(text, quote) + quote;
}

function formatKey(key) {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return IDENTIFIER.test(key) ? key : quoteString(key);
}

function formatNumber(n) {
  return Object.is(n, -0) ? '-0' : String(n);
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case 'string': {
      // Long strings with line breaks are split into concatenated lines, as Node does.
      if (value.length > 16 && value.length > BREAK_LENGTH - ctx.indentationLvl - 4) {
        const parts = value.split(/(?<=\n)/);
        if (parts.length > 1) {
          return parts.map(quoteString).join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`);
        }
      }
      return quoteString(value);
    }
    case 'number': return formatNumber(value);
    case 'bigint': return `${value}n`;
    case 'boolean': return String(value);
    case 'undefined': return 'undefined';
    case 'symbol': return value.toString();
    default: return String(value);
  }
}

function isBelowBreakLength(output, start, base) {
  let total = output.length + start;
  if (total + output.length > BREAK_LENGTH) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > BREAK_LENGTH) return false;
  }
  return base === '' || !base.includes('\n');
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (value && value.length > MAX_ARRAY && output.length > MAX_ARRAY) outputLength -= 1;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < BREAK_LENGTH
      && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((BREAK_LENGTH - ctx.indentationLvl) / actualMax),
      COMPACT * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        str += padStart ? cell.padStart(maxLineLength[j - i]) : cell.padEnd(maxLineLength[j - i]);
      }
      str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace) : output[j];
      tmp.push(str);
    }
    if (outputLength < output.length) tmp.push(output[outputLength]);
    return tmp;
  }
  return output;
}

function reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, value) {
  const entries = output.length;
  if (isArray && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - recurseTimes < COMPACT && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(output, start, base)) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) {
        return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function constructorName(value) {
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return null;
  const ctor = proto.constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : '';
}

function formatValue(ctx, value, recurseTimes) {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);
  if (ctx.seen.includes(value)) return '[Circular *1]';
  return formatRaw(ctx, value, recurseTimes);
}

function formatRaw(ctx, value, recurseTimes) {
  const name = constructorName(value);
  let braces;
  let base = '';
  let isArray = false;
  let entries = []; // [key text or null, value] pairs
  let formatter = null;

  if (typeof value === 'function') {
    const src = Function.prototype.toString.call(value);
    if (src.startsWith('class')) return `[class ${value.name || '(anonymous)'}]`;
    const kind = value.constructor?.name === 'AsyncFunction' ? 'AsyncFunction' : 'Function';
    return value.name ? `[${kind}: ${value.name}]` : `[${kind} (anonymous)]`;
  }
  if (Array.isArray(value)) {
    isArray = true;
    const prefix = name !== 'Array' ? `${name === null ? '[Array: null prototype]' : name}(${value.length}) ` : '';
    braces = [`${prefix}[`, ']'];
    if (value.length === 0) return `${braces[0]}]`;
    formatter = () => {
      const out = [];
      const shown = Math.min(value.length, MAX_ARRAY);
      let holes = 0;
      for (let i = 0; i < shown; i++) {
        if (!Object.prototype.hasOwnProperty.call(value, i)) {
          holes += 1;
          continue;
        }
        if (holes) {
          out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
          holes = 0;
        }
        out.push(formatValue(ctx, value[i], recurseTimes + 1));
      }
      if (holes) out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
      if (value.length > shown) out.push(`... ${value.length - shown} more item${value.length - shown > 1 ? 's' : ''}`);
      for (const key of Object.keys(value)) {
        if (!/^\d+$/.test(key)) out.push(`${formatKey(key)}: ${formatValue(ctx, value[key], recurseTimes + 1)}`);
      }
      return out;
    };
  } else if (value instanceof Map) {
    braces = [`Map(${value.size}) {`, '}'];
    if (value.size === 0) return `Map(0) {}`;
    formatter = () => [...value].map(([k, v]) => `${formatValue(ctx, k, recurseTimes + 1)} => ${formatValue(ctx, v, recurseTimes + 1)}`);
  } else if (value instanceof Set) {
    braces = [`Set(${value.size}) {`, '}'];
    if (value.size === 0) return `Set(0) {}`;
    isArray = true;
    formatter = () => [...value].map((v) => formatValue(ctx, v, recurseTimes + 1));
  } else if (value instanceof Error) {
    const stack = value.stack && value.stack.includes(value.message) ? value.stack : `${value.name}: ${value.message}`;
    const keys = Object.keys(value);
    if (keys.length === 0) return stack;
    base = stack;
    braces = ['{', '}'];
    entries = keys.map((k) => [formatKey(k), value[k]]);
  } else if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  } else if (value instanceof RegExp) {
    return String(value);
  } else if (typeof value.then === 'function' && name === 'Promise') {
    return 'Promise { <pending> }';
  } else {
    const keys = Object.keys(value);
    const prefix = name === null ? '[Object: null prototype] ' : name !== 'Object' ? `${name} ` : '';
    braces = [`${prefix}{`, '}'];
    if (keys.length === 0) return `${prefix}{}`;
    entries = keys.map((k) => [formatKey(k), value[k]]);
  }

  if (recurseTimes > MAX_DEPTH) {
    if (isArray && !(value instanceof Set)) return '[Array]';
    return `[${name === null ? 'Object: null prototype' : name || 'Object'}]`;
  }
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  if (formatter) {
    ctx.indentationLvl += 2;
    output = formatter();
    ctx.indentationLvl -= 2;
  } else {
    output = entries.map(([key, v]) => {
      ctx.indentationLvl += 2;
      const text = formatValue(ctx, v, recurseTimes + 1);
      ctx.indentationLvl -= 2;
      return `${key}: ${text}`;
    });
  }
  ctx.seen.pop();
  return reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, isArray ? value : undefined);
}

/** A value as Node's util.inspect shows it with console.log's defaults. */
export function inspect(value) {
  const ctx = { seen: [], indentationLvl: 0, currentDepth: 0 };
  return formatValue(ctx, value, 0);
}

/** What console.log prints for its arguments (strings bare, %s %d %i %f %j %o %O %c %%). */
export function formatLogArgs(args) {
  if (args.length === 0) return '';
  let rest = args;
  let head = '';
  if (typeof args[0] === 'string' && args.length > 1 && args[0].includes('%')) {
    let i = 1;
    head = args[0].replace(/%([sdifjoOc%])/g, (m, c) => {
      if (c === '%') return '%';
      if (i >= args.length) return m;
      const a = args[i++];
      switch (c) {
        case 's': return typeof a === 'string' ? a : typeof a === 'object' && a !== null ? inspect(a) : formatPrimitive({ indentationLvl: 0 }, a);
        case 'd': case 'i': return typeof a === 'object' ? 'NaN' : String(c === 'i' ? Math.trunc(Number(a)) : Number(a));
        case 'f': return String(parseFloat(a));
        case 'j': try { return JSON.stringify(a); } catch { return '[Circular]'; }
        case 'c': return '';
        default: return inspect(a);
      }
    });
    rest = args.slice(i);
    return [head, ...rest.map((a) => (typeof a === 'string' ? a : inspect(a)))].join(' ');
  }
  return rest.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Stated outputs
// ---------------------------------------------------------------------------------------------

/** The value "…" in a stated output stands for anything (the course elides it). */
export const ANYTHING = '\u2026';

function plain(value) {
  // Prototypes do not matter for a comparison: null-prototype objects equal plain ones.
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value)) out[k] = plain(value[k]);
    return out;
  }
  return value;
}

function deepEqual(expect, actual) {
  if (expect === ANYTHING) return true;
  if (Array.isArray(expect)) {
    return Array.isArray(actual) && expect.length === actual.length
      && expect.every((e, i) => deepEqual(e, actual[i]));
  }
  if (expect && typeof expect === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const ek = Object.keys(expect);
    const ak = Object.keys(actual);
    return ek.length === ak.length && ek.every((k) => Object.prototype.hasOwnProperty.call(actual, k) && deepEqual(expect[k], actual[k]));
  }
  return Object.is(expect, actual) || (expect === 0 && actual === 0);
}

function sortedKey(v) {
  return JSON.stringify(v);
}

/**
 * Compares a stated output with the real value. Modes: `deep` (the default), `prefix` (the
 * course shows the first elements of an array and "..."), `oneOf` (`expect` lists the values the
 * course allows). Returns `{ equal, sameMembers }`: `sameMembers` is true when arrays differ
 * only in order (a set's members, say).
 */
export function compareStated(expect, actual, mode = 'deep') {
  const real = plain(actual);
  if (mode === 'oneOf') return { equal: expect.some((e) => deepEqual(e, real)), sameMembers: false };
  if (mode === 'prefix') {
    const equal = Array.isArray(real) && real.length >= expect.length
      && expect.every((e, i) => deepEqual(e, real[i]));
    return { equal, sameMembers: false };
  }
  const equal = deepEqual(expect, real);
  let sameMembers = false;
  if (!equal && Array.isArray(expect) && Array.isArray(real) && expect.length === real.length) {
    const a = expect.map(sortedKey).sort();
    const b = real.map(sortedKey).sort();
    sameMembers = a.every((x, i) => x === b[i]);
  }
  return { equal, sameMembers };
}
