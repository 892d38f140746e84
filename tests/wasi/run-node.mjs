// run-node.mjs: runs a WASI command under Node's node:wasi, with the same
// command line as wlab-wasi-run, so the wasi suite can compare the two.
//   node --no-warnings run-node.mjs [--dir HOST::GUEST]... [--env K=V]... MODULE [ARG]...
// Exit: the guest's exit code (0 when _start returns).
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let i = 0;
for (; i < argv.length && argv[i].startsWith('--'); i += 2) {
	const v = argv[i + 1];
	if (argv[i] === '--dir') {
		const [host, guest] = v.includes('::') ? v.split('::') : [v, v];
		preopens[guest] = host;
	} else if (argv[i] === '--env') {
		const eq = v.indexOf('=');
		env[v.slice(0, eq)] = v.slice(eq + 1);
	} else {
		console.error(`run-node.mjs: unknown option ${argv[i]}`);
		process.exit(2);
	}
}
const wasi = new WASI({ version: 'preview1', args: argv.slice(i), env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(argv[i]));
// getImportObject() is Node 18.17+/20; older ones have only wasiImport.
const imports = wasi.getImportObject ? wasi.getImportObject() : { wasi_snapshot_preview1: wasi.wasiImport };
const instance = await WebAssembly.instantiate(module, imports);
process.exitCode = wasi.start(instance);
