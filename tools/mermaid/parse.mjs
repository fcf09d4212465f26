// Check Mermaid diagrams with Mermaid's own parser: `node parse.mjs FILE...` (or stdin).
// Mermaid expects a browser; jsdom supplies the window and DOMPurify it imports.
// Exit 0 when every diagram parses, 1 with the parser's message otherwise, 2 on bad usage.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = window;
globalThis.document = window.document;
for (const name of ["Element", "HTMLElement", "SVGElement", "DOMParser", "Node"]) {
  globalThis[name] ??= window[name];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

const files = process.argv.slice(2);
const inputs = files.length ? files.map((f) => [f, readFileSync(f, "utf8")]) : [["<stdin>", readFileSync(0, "utf8")]];
let failed = 0;
for (const [name, text] of inputs) {
  try {
    const result = await mermaid.parse(text);
    console.log(`${name}: ok (${result.diagramType})`);
  } catch (error) {
    failed += 1;
    console.log(`${name}: ${String(error.message ?? error).split("\n").slice(0, 6).join("\n  ")}`);
  }
}
process.exit(failed ? 1 : 0);
