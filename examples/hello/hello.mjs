// hello.mjs: the browser side: fetch the module, instantiate it streaming with
// an import object, greet a name, and show the greeting on the page.
import { makeImports, greet } from './greet.mjs';

let instance;
const importObject = makeImports(() => instance, (text) => {
  console.log(text);
  const p = document.createElement('p');
  p.className = 'greeting';
  p.textContent = text;
  document.getElementById('out').append(p);
});

const source = fetch('./hello.wasm');
({ instance } = await WebAssembly.instantiateStreaming(source, importObject));
greet(instance, 'World');
