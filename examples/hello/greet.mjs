// greet.mjs: the import object and string passing shared by the browser and Node.
// Strings cross as (pointer, length) UTF-8 bytes in the module's exported memory.

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// Builds the import object; onGreeting receives each string the module sends.
export function makeImports(getInstance, onGreeting) {
  return {
    imports: {
      hello_from_js(ptr, len) {
        const bytes = new Uint8Array(getInstance().exports.memory.buffer, ptr, len);
        onGreeting(decoder.decode(bytes));
      },
    },
  };
}

// Copies name into the module's memory and calls hello_from_c with it.
export function greet(instance, name) {
  const { alloc, reset, hello_from_c, memory } = instance.exports;
  reset();
  const bytes = encoder.encode(name);
  const ptr = alloc(bytes.length);
  if (ptr === 0 && bytes.length > 0) throw new Error('alloc failed');
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  hello_from_c(ptr, bytes.length);
}
