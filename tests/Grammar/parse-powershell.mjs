// Parses PowerShell files with the tree-sitter-powershell grammar (WebAssembly build, no native addon) and prints
// one JSON document: { "grammar": version, "files": [ { "path", "errors": [ { "kind", "line", "column", "text" } ] } ] }.
// Lines and columns are 1-based. Usage: node parse-powershell.mjs <file>...   or   node parse-powershell.mjs --stdin <name>
// node parse-powershell.mjs --data <file.psd1> prints the data file's value (hashtables, arrays, strings, numbers,
// $true/$false/$null) as JSON, so tests read a manifest through the grammar rather than by text search.
// Exit code: 0 when every file parsed cleanly, 1 when any has an ERROR or MISSING node, 2 on a usage or load failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';

// V8 otherwise recompiles the 1 MB grammar module in optimising tiers in the background and waits for that at exit:
// seconds of CPU for a parse that takes milliseconds. The baseline compiler alone is plenty for this.
setFlagsFromString('--liftoff-only');
const { Parser, Language } = await import('web-tree-sitter');

const require = createRequire(import.meta.url);

async function loadGrammar() {
  await Parser.init();
  const wasm = require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
  const language = await Language.load(wasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

// A syntax error shows as an ERROR node (unparsable text) or a MISSING node (a token the parser had to invent,
// such as a closing brace). Walk the whole tree: hasError on the root says that one exists, not where.
function findErrors(root, source) {
  const errors = [];
  const cursor = root.walk();
  let descend = true;
  for (;;) {
    const node = cursor.currentNode;
    if (descend && (node.isError || node.isMissing || node.type === 'ERROR')) {
      errors.push({
        kind: node.isMissing ? 'MISSING' : 'ERROR',
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.isMissing ? node.type : source.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 60)),
      });
    }
    if (descend && node.hasError && cursor.gotoFirstChild()) {
      continue;
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) {
      break;
    }
    descend = false;
  }
  return errors;
}

// Only what a data file (Import-PowerShellDataFile) allows; anything else is an error, not a guess.
function toData(node, source) {
  switch (node.type) {
    case 'hash_literal_expression': {
      const result = {};
      const body = node.namedChildren.find((c) => c.type === 'hash_literal_body');
      for (const entry of body ? body.namedChildren.filter((c) => c.type === 'hash_entry') : []) {
        const key = entry.namedChildren.find((c) => c.type === 'key_expression');
        const value = entry.namedChildren.find((c) => c.type !== 'key_expression' && c.type !== 'comment');
        result[stringValue(key, source)] = toData(value, source);
      }
      return result;
    }
    case 'array_expression': {
      const list = node.childForFieldName('statements');
      const items = [];
      for (const statement of list ? list.namedChildren.filter((c) => c.type !== 'comment') : []) {
        const value = toData(statement, source);
        Array.isArray(value) ? items.push(...value) : items.push(value);
      }
      return items;
    }
    case 'array_literal_expression': {
      const parts = node.namedChildren.filter((c) => c.type !== 'comment');
      return parts.length === 1 ? toData(parts[0], source) : parts.map((c) => toData(c, source));
    }
    case 'string_literal':
    case 'key_expression':
      return stringValue(node, source);
    case 'integer_literal':
    case 'decimal_integer_literal':
      return Number(source.slice(node.startIndex, node.endIndex));
    case 'variable': {
      const name = source.slice(node.startIndex, node.endIndex).toLowerCase();
      if (name === '$true') return true;
      if (name === '$false') return false;
      if (name === '$null') return null;
      break;
    }
    default: {
      const children = node.namedChildren.filter((c) => c.type !== 'comment');
      if (children.length === 1) {
        return toData(children[0], source);
      }
    }
  }
  const at = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
  throw new Error(`not a data value at ${at}: ${node.type} '${source.slice(node.startIndex, node.startIndex + 40)}'`);
}

function stringValue(node, source) {
  const raw = source.slice(node.startIndex, node.endIndex);
  if (raw.startsWith("'") && raw.endsWith("'")) {
    return raw.slice(1, -1).replace(/''/g, "'");
  }
  if (raw.startsWith('"') && raw.endsWith('"')) {
    const inner = raw.slice(1, -1);
    if (/[$`]/.test(inner)) {
      throw new Error(`expandable string in a data file: ${raw}`);
    }
    return inner.replace(/""/g, '"');
  }
  return raw;
}

function parseOne(parser, path, source) {
  // The grammar reads the text, not the bytes: drop a UTF-8 byte order mark, which Windows PowerShell files often carry.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const tree = parser.parse(text);
  try {
    return { path, errors: findErrors(tree.rootNode, text) };
  } finally {
    tree.delete();
  }
}

async function main(args) {
  if (args.length === 0) {
    process.stderr.write('usage: node parse-powershell.mjs <file>... | --stdin <name>\n');
    return 2;
  }
  const parser = await loadGrammar();
  if (args[0] === '--data') {
    const source = readFileSync(args[1], 'utf8').replace(/^\uFEFF/, '');
    const tree = parser.parse(source);
    const errors = findErrors(tree.rootNode, source);
    if (errors.length > 0) {
      throw new Error(`${args[1]}: syntax error at ${errors[0].line}:${errors[0].column}`);
    }
    process.stdout.write(JSON.stringify(toData(tree.rootNode, source), null, 1) + '\n');
    return 0;
  }
  const version = JSON.parse(readFileSync(require.resolve('tree-sitter-powershell/package.json'), 'utf8')).version;
  const files = args[0] === '--stdin'
    ? [parseOne(parser, args[1] ?? '<stdin>', readFileSync(0, 'utf8'))]
    : args.map((path) => parseOne(parser, path, readFileSync(path, 'utf8')));
  process.stdout.write(JSON.stringify({ grammar: version, files }, null, 1) + '\n');
  return files.some((f) => f.errors.length > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`parse-powershell: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
