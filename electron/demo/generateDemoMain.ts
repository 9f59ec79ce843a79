// `npm run demo:generate`: rewrites resources/demo/demo-capture.jsonl from the generator.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_CAPTURE_PATH, generateDemoCapture } from './generateDemoCapture.js';

const out = path.resolve(process.argv[2] ?? DEMO_CAPTURE_PATH);
const text = generateDemoCapture();
writeFileSync(out, text);
const lines = text.split('\n').length - 1;
const sha = createHash('sha256').update(text).digest('hex');
process.stdout.write(`${out}: ${lines} lines, ${text.length} bytes, sha256 ${sha}\n`);
