// node.mjs: the same example in Node: read the module, instantiate it with the
// import object, greet a name (argv[3], default "World"), print the greeting.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { makeImports, greet } from './greet.mjs';

const wasmPath = process.argv[2] || fileURLToPath(new URL('./hello.wasm', import.meta.url));
const name = process.argv[3] ?? 'World';
let instance;
const imports = makeImports(() => instance, (text) => console.log(text));
({ instance } = await WebAssembly.instantiate(await readFile(wasmPath), imports));
greet(instance, name);
