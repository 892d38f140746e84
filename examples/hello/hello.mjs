// hello.mjs: the browser side: fetch the module, instantiate it streaming with
// an import object, greet a name, and show the greeting on the page and in the
// console. The first name comes from ?name=... (default "World"); the form
// greets more.
import { makeImports, greet } from './greet.mjs';

const out = document.getElementById('out');
document.getElementById('hint').remove();  // this script runs, so the page is served

function show(text, className) {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  out.append(p);
}

let instance;
const importObject = makeImports(() => instance, (text) => {
  console.log(text);
  show(text, 'greeting');
});

try {
  // instantiateStreaming compiles while the bytes arrive; it needs the
  // response served as application/wasm (scripts/serve.py does that).
  const source = fetch('./hello.wasm');
  ({ instance } = await WebAssembly.instantiateStreaming(source, importObject));
  greet(instance, new URLSearchParams(location.search).get('name') ?? 'World');
} catch (e) {
  console.error(e);
  show(`${e}\nServe this directory over http, e.g. make serve or python3 scripts/serve.py build/examples/hello`, 'error');
}

document.getElementById('form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!instance)
    return;
  try {
    greet(instance, document.getElementById('name').value);
  } catch (e) {  // a name the module's 64 KiB arena cannot hold
    console.error(e);
    show(String(e), 'error');
  }
});
