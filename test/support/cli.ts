// Runs the CLI in-process with captured output, for the CLI's unit tests.
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';

export class Capture extends Writable {
  text = '';
  _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

export function runCli(args: string[]): { code: number; out: string; err: string } {
  const out = new Capture();
  const err = new Capture();
  const code = main(args, out, err);
  return { code, out: out.text, err: err.text };
}
