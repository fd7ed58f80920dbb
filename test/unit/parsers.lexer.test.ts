import * as assert from 'node:assert/strict';
import type { ParsedDocument } from '../../src/core/model';
import { parseBicep } from '../../src/core/parsers/bicep';
import { TokenType, tokenize, type Lexicon } from '../../src/core/parsers/lexer';
import { parseTerraform } from '../../src/core/parsers/terraform';

// The lexer and token cursor the Bicep and Terraform readers share: what each language keeps of its own.

const value = (doc: ParsedDocument, path: string) => doc.entries.find((e) => e.path.join('.') === path);

describe('parsers: shared lexer and cursor', () => {
  it('tokenizes with a language lexicon: `#` comments, `-` in names and exponents only when the language has them', () => {
    const plain: Lexicon = { hashComments: false, dashInIdentifiers: false, exponents: false, twoChar: new Set(), literal: () => undefined };
    const hcl: Lexicon = { ...plain, hashComments: true, dashInIdentifiers: true, exponents: true };
    const text = 'a-b 1e5 # note';
    const kinds = (lex: Lexicon) => {
      const comments: ParsedDocument['comments'] = [];
      const toks = tokenize(text, lex, comments, []);
      return { toks: toks.map((t) => text.slice(t.s, t.e)), comments: comments.length, last: toks[toks.length - 1].t };
    };
    assert.deepEqual(kinds(plain), { toks: ['a', '-', 'b', '1', 'e5', '#', 'note', ''], comments: 0, last: TokenType.EOF });
    assert.deepEqual(kinds(hcl), { toks: ['a-b', '1e5', ''], comments: 1, last: TokenType.EOF });
  });

  it('reads each language its own string escapes and templates', () => {
    const bicep = parseBicep("var a = 'caf\\u{E9}'\nvar b = 'x\\u00e9'\nvar c = '${'{'}'\n", 'bicep');
    assert.equal(value(bicep, 'var.a')?.value, 'café');
    assert.equal(value(bicep, 'var.b')?.value, 'xu00e9'); // not a Bicep escape: the character itself
    assert.equal(value(bicep, 'var.c')?.valueType, 'expression');
    const tf = parseTerraform('a = "caf\\u00e9"\nb = "$${x}"\nc = "%{ if x }y%{ endif }"\nd = "\\u{E9}"\n', 'terraform');
    assert.equal(value(tf, 'a')?.value, 'café');
    assert.equal(value(tf, 'b')?.value, '${x}'); // `$${` is a literal `${`
    assert.equal(value(tf, 'c')?.valueType, 'expression'); // a `%{` directive is a template
    assert.equal(value(tf, 'd')?.value, 'u{E9}');
  });

  it('ends an unterminated Bicep interpolation at the line end, while an HCL template continues', () => {
    const bicep = parseBicep("var a = '${x\nvar b = 'ok'\n", 'bicep');
    assert.equal(value(bicep, 'var.b')?.value, 'ok');
    const tf = parseTerraform('a = "${\n  x\n}"\nb = "ok"\n', 'terraform');
    assert.equal(value(tf, 'a')?.valueType, 'expression');
    assert.equal(value(tf, 'b')?.value, 'ok');
    assert.deepEqual(tf.errors, []);
  });

  it('stops an unclosed call at the next declaration in both languages', () => {
    const bicep = parseBicep("var a = concat('x',\nparam p string = 'kept'\n", 'bicep');
    assert.equal(value(bicep, 'param.p')?.value, 'kept');
    const tf = parseTerraform('locals {\n  a = merge({},\n}\nvariable "v" {\n  default = "kept"\n}\n', 'terraform');
    assert.equal(value(tf, 'variable.v.default')?.value, 'kept');
  });

  it('keeps string content ranges inside the quotes for one-line, multi-line and heredoc strings', () => {
    const bicepText = "var a = 'one'\nvar b = '''\ntwo'''\n";
    const bicep = parseBicep(bicepText, 'bicep');
    for (const [path, content] of [['var.a', 'one'], ['var.b', '\ntwo']]) {
      const e = value(bicep, path)!;
      assert.equal(bicepText.slice(e.contentStart, e.contentEnd), content);
    }
    const tfText = 'a = "one"\nb = <<EOT\ntwo\nEOT\n';
    const tf = parseTerraform(tfText, 'terraform');
    for (const [path, content] of [['a', 'one'], ['b', 'two\n']]) {
      const e = value(tf, path)!;
      assert.equal(tfText.slice(e.contentStart, e.contentEnd), content);
    }
  });
});
