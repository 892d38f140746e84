// run.mjs: runs a benchmark module's run() export in Node and prints its
// checksum as an unsigned 32-bit number. Usage: node run.mjs FILE.wasm
import { readFile } from 'node:fs/promises';

const bytes = await readFile(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
console.log(instance.exports.run() >>> 0);
