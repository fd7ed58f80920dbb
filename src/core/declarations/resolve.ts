// Evaluates the small part of the Bicep, ARM and Terraform expression languages that names and settings are
// usually built from: parameters and variables with literal values, string interpolation, concat/format and
// resource-name references. Anything else (uniqueString, resourceGroup(), conditions, loop variables) is
// "unresolved" with a reason a person can act on. Pure; no regex with nested quantifiers.

export type Scalar = string | boolean | number;
export type Resolved = { ok: true; value: Scalar } | { ok: false; reason: string };

export type Namespace = 'param' | 'var' | 'resource';

/** Looks a name up in the file's scope (parameters with the parameter file applied, variables, resource symbols). */
export type ScopeLookup = (ns: Namespace, name: string) => Resolved | undefined;

export type ExpressionFormat = 'bicep' | 'arm' | 'terraform';

const MAX_DEPTH = 12;

export const ok = (value: Scalar): Resolved => ({ ok: true, value });
export const fail = (reason: string): Resolved => ({ ok: false, reason });

/** A string entry's value: literal unless it interpolates `${...}` (Bicep, Terraform) or is an ARM `[...]` expression. */
export function resolveString(format: ExpressionFormat, text: string, scope: ScopeLookup, depth = 0): Resolved {
  if (format === 'arm') {
    if (text.startsWith('[[')) return ok(text.slice(1));
    if (text.startsWith('[') && text.endsWith(']')) return resolveArm(text.slice(1, -1), scope, depth);
    return ok(text);
  }
  if (!text.includes('${')) return ok(text);
  return interpolate(format, text, scope, depth);
}

/** An unquoted expression as written (Bicep `siteName`, Terraform `var.app_name`). */
export function resolveExpression(format: ExpressionFormat, text: string, scope: ScopeLookup, depth = 0): Resolved {
  if (depth > MAX_DEPTH) return fail('the value refers to itself or nests too deep');
  const t = text.trim();
  if (format === 'arm') return resolveString('arm', t, scope, depth);
  if (t === 'true' || t === 'false') return ok(t === 'true');
  if (/^-?\d{1,15}(?:\.\d{1,15})?$/.test(t)) return ok(Number(t));
  const q = t[0];
  if ((q === "'" && format === 'bicep') || (q === '"' && format === 'terraform')) {
    if (t.length >= 2 && t.endsWith(q) && !t.slice(1, -1).includes(q)) return resolveString(format, t.slice(1, -1), scope, depth + 1);
  }
  // Parsers hand interpolated strings over as expressions without their quotes.
  if (t.includes('${')) return interpolate(format, t, scope, depth + 1);
  if (t.includes('?') && t.includes(':')) return fail(`it depends on a condition (${clip(t)})`);
  return format === 'bicep' ? bicepReference(t, scope) : terraformReference(t, scope);
}

function bicepReference(t: string, scope: ScopeLookup): Resolved {
  if (/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(t)) {
    return scope('param', t) ?? scope('var', t) ?? scope('resource', t) ?? fail(`'${t}' is not a parameter or variable of this file (a loop variable or a name known only at deployment)`);
  }
  const member = /^([A-Za-z_][A-Za-z0-9_]{0,99})\.name$/.exec(t);
  if (member) return scope('resource', member[1]) ?? fail(`'${t}' refers to a resource this file does not name literally`);
  return callReason(t) ?? fail(`'${clip(t)}' is an expression known only at deployment`);
}

function terraformReference(t: string, scope: ScopeLookup): Resolved {
  const v = /^(var|local)\.([A-Za-z_][A-Za-z0-9_-]{0,99})$/.exec(t);
  if (v) {
    const r = v[1] === 'var' ? scope('param', v[2]) : scope('var', v[2]);
    return r ?? fail(`'${t}' is not declared in this module`);
  }
  if (/^(?:count\.index|each\.(?:key|value))/.test(t)) return fail(`it uses the loop variable ${t.split('.').slice(0, 2).join('.')}: one resource per item`);
  const res = /^([a-z][a-z0-9_]{0,99}\.[A-Za-z_][A-Za-z0-9_-]{0,99})\.name$/.exec(t);
  if (res) return scope('resource', res[1]) ?? fail(`'${t}' refers to a resource this module does not name literally`);
  return callReason(t) ?? fail(`'${clip(t)}' is an expression known only at deployment`);
}

/** `${...}` pieces of a Bicep or Terraform string. */
function interpolate(format: ExpressionFormat, text: string, scope: ScopeLookup, depth: number): Resolved {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const close = matchingBrace(text, open + 2);
    if (close < 0) return fail('an interpolation is not closed');
    const inner = resolveExpression(format, text.slice(open + 2, close), scope, depth + 1);
    if (!inner.ok) return inner;
    out += String(inner.value);
    i = close + 1;
  }
  return ok(out);
}

function matchingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

const DEPLOYMENT_FUNCTIONS = /^(uniqueString|resourceGroup|subscription|deployment|newGuid|utcNow|guid|reference|resourceId|environment|take|substring|replace|toLower|toUpper|copyIndex|first|last|split|join|coalesce|if|tenant|managementGroup|lower|upper|format|substr|random_string|random_id|random_pet|md5|sha1|sha256)\s*\(/i;

function callReason(t: string): Resolved | undefined {
  const m = DEPLOYMENT_FUNCTIONS.exec(t);
  if (!m) return undefined;
  if (/^copyIndex/i.test(m[1])) return fail('it uses copyIndex(): one resource per loop iteration');
  return fail(`it uses ${m[1]}(), known only at deployment`);
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

// ---- ARM template expressions --------------------------------------------------------------------------------

type Token = { t: 'str' | 'num' | 'id' | 'punct'; v: string };

function tokenizeArm(src: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) return undefined;
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
    } else if ('(),.[]'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_\-]/.test(src[j])) j++;
      if (j === i) return undefined;
      const word = src.slice(i, j);
      out.push({ t: /^-?\d/.test(word) ? 'num' : 'id', v: word });
      i = j;
    }
  }
  return out;
}

function resolveArm(src: string, scope: ScopeLookup, depth: number): Resolved {
  if (depth > MAX_DEPTH) return fail('the value refers to itself or nests too deep');
  const tokens = tokenizeArm(src);
  if (!tokens) return fail('the template expression does not parse');
  let pos = 0;
  const skipAccessors = () => {
    for (;;) {
      if (tokens[pos]?.v === '.' && tokens[pos + 1]?.t === 'id') pos += 2;
      else if (tokens[pos]?.v === '[') {
        let depth = 0;
        while (pos < tokens.length) {
          const v = tokens[pos++].v;
          if (v === '[') depth++;
          else if (v === ']' && --depth === 0) break;
        }
      } else return;
    }
  };
  const parse = (): Resolved => {
    const tok = tokens[pos++];
    if (!tok) return fail('the template expression ends early');
    if (tok.t === 'str') return ok(tok.v);
    if (tok.t === 'num') return ok(Number(tok.v));
    if (tok.t !== 'id') return fail('the template expression does not parse');
    const name = tok.v;
    if (name === 'true' || name === 'false') return ok(name === 'true');
    if (tokens[pos]?.v !== '(') return fail(`'${name}' is not a value`);
    pos++;
    const args: Resolved[] = [];
    while (tokens[pos] && tokens[pos].v !== ')') {
      args.push(parse());
      if (tokens[pos]?.v === ',') pos++;
      else if (tokens[pos]?.v !== ')') return fail('the template expression does not parse');
    }
    pos++;
    // A property or index after a call (reference(...).outputs, parameters('o').name) needs deployment data.
    if (tokens[pos]?.v === '.' || tokens[pos]?.v === '[') {
      skipAccessors();
      const first = args.find((a) => !a.ok);
      return first && !/^(?:parameters|variables)$/i.test(name) ? first : fail(`it reads a property of ${name}(), known only at deployment`);
    }
    return call(name, args, scope);
  };
  const r = parse();
  if (r.ok && pos < tokens.length) return fail('the template expression does not parse');
  return r;
}

function call(name: string, args: Resolved[], scope: ScopeLookup): Resolved {
  const l = name.toLowerCase();
  const bad = args.find((a) => !a.ok);
  if (l === 'parameters' || l === 'variables') {
    if (bad) return bad;
    const key = String((args[0] as { value: Scalar } | undefined)?.value ?? '');
    return scope(l === 'parameters' ? 'param' : 'var', key) ?? fail(`${l}('${key}') is not declared in this template`);
  }
  if (l === 'concat' || l === 'format' || l === 'tolower' || l === 'toupper') {
    if (bad) return bad;
    const vals = args.map((a) => String((a as { value: Scalar }).value));
    if (l === 'concat') return ok(vals.join(''));
    if (l === 'tolower') return ok((vals[0] ?? '').toLowerCase());
    if (l === 'toupper') return ok((vals[0] ?? '').toUpperCase());
    return ok((vals[0] ?? '').replace(/\{(\d{1,2})\}/g, (_m, n: string) => vals[Number(n) + 1] ?? ''));
  }
  return callReason(`${name}(`) ?? fail(`it uses ${name}(), known only at deployment`);
}
