// Grades answers with grader.wasm under Node, for the parity test: reads JSON lines
// {"key": "...", "answer": "..."} on stdin and writes one grade (the module's JSON) a line.
//   node scripts/wasm-grade.mjs grader.wasm < cases.jsonl
import fs from 'node:fs';
import readline from 'node:readline';

const bytes = fs.readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
const x = instance.exports;
const encoder = new TextEncoder(), decoder = new TextDecoder();
function put(text) {
  const data = encoder.encode(text);
  const pointer = x.grader_alloc(data.length);
  new Uint8Array(x.memory.buffer, pointer, data.length).set(data);
  return [pointer, data.length];
}
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  if (!line) continue;
  const { key, answer } = JSON.parse(line);
  const k = put(key), a = put(answer);
  const result = x.grader_grade(k[0], k[1], a[0], a[1]);
  x.grader_free(k[0]); x.grader_free(a[0]);
  const length = new DataView(x.memory.buffer).getUint32(result, true);
  out.push(decoder.decode(new Uint8Array(x.memory.buffer, result + 4, length)));
  x.grader_free(result);
}
process.stdout.write(out.join('\n') + '\n');
