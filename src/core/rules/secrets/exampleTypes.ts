// True- and false-positive examples, kept in each secret rule's module as data. test/unit/ruleExamples.test.ts
// runs every rule's examples and fails when a SECRET-* rule has none. The repository never holds a whole
// secret: `{secret}` in a text is filled in at test time from test/support/fakeSecrets.ts or from pieces.

/** How the test builds the secret that replaces `{secret}`. */
export type ExampleSecret =
  /** fakeSecret(kind, seed): a well-formed fake key of that kind (checksums included). */
  | { fake: string; seed?: number; uriEncode?: boolean }
  /** A sample value joined from pieces (public sample passwords, GUIDs). */
  | { pieces: string[] };

export interface SecretExample {
  /** What the example shows; the test title. */
  name: string;
  /** File name the text is scanned as (decides the file kind). */
  file: string;
  /** The document; `{secret}` stands for the secret. */
  text: string;
  /** The secret (positives: the rule must report exactly its text; negatives: a secret-looking value that must not be reported there). */
  secret?: ExampleSecret;
  /** Positives: the kind the finding must name, when the label matters. */
  kind?: string;
  /** Negatives: secret rules that may still report something here (default: none may). */
  allow?: string[];
}

export interface RuleExamples {
  /** Reported by this rule, over exactly the secret. */
  positives: SecretExample[];
  /** Not reported by this rule, nor (unless allowed) by any other secret rule. */
  negatives: SecretExample[];
}
