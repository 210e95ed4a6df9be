// `npx tsx scripts/db-call-sites.ts [--list]`: what moving the catalog to a server database
// (libSQL/sqld or PostgreSQL, whose clients are asynchronous) would change in the production code
// (src/, bot/, commands/, db/). With TypeScript's own type checker it counts the calls that run a
// query on better-sqlite3 or drizzle (each would need an `await`), the transactions (synchronous
// callbacks today), and the functions that would turn async: those that run a query, and, to a
// fixpoint, every function that calls one of them.

import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PRODUCTION = ['src/', 'bot/', 'commands/', 'db/'];
const LIST = process.argv.includes('--list');

// Methods that touch the database, by the library that declares the receiver's type.
const SQLITE_RUNS = new Set(['get', 'all', 'run', 'iterate']);
const SQLITE_DATABASE = new Set(['prepare', 'exec', 'pragma', 'transaction', 'backup']);
const DRIZZLE_RUNS = new Set(['get', 'all', 'run', 'values', 'execute', 'transaction']);

type Kind = 'better-sqlite3 statement run' | 'better-sqlite3 prepare/exec/pragma' | 'transaction' | 'drizzle query run';

const config = ts.getParsedCommandLineOfConfigFile(resolve(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
const program = ts.createProgram(config.fileNames, config.options);
const checker = program.getTypeChecker();
const isProduction = (file: ts.SourceFile) => PRODUCTION.some((dir) => relative(ROOT, file.fileName).startsWith(dir));

/** Which library declares a type (its symbol's first declaration), if one we count. */
function libraryOf(type: ts.Type): 'sqlite' | 'drizzle' | null {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
  if (file.includes('/better-sqlite3/')) return 'sqlite';
  if (file.includes('/drizzle-orm/')) return 'drizzle';
  return null;
}

function kindOf(call: ts.CallExpression): Kind | null {
  if (!ts.isPropertyAccessExpression(call.expression)) return null;
  const method = call.expression.name.text;
  const library = libraryOf(checker.getTypeAtLocation(call.expression.expression));
  if (library === 'sqlite') {
    if (method === 'transaction') return 'transaction';
    if (SQLITE_RUNS.has(method)) return 'better-sqlite3 statement run';
    if (SQLITE_DATABASE.has(method)) return 'better-sqlite3 prepare/exec/pragma';
  }
  if (library === 'drizzle' && DRIZZLE_RUNS.has(method)) return method === 'transaction' ? 'transaction' : 'drizzle query run';
  return null;
}

/** The named function or method a node belongs to: callbacks count as part of the function that passes them. */
function unitOf(node: ts.Node): ts.Node | null {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isFunctionDeclaration(at) || ts.isMethodDeclaration(at) || ts.isConstructorDeclaration(at) || ts.isGetAccessorDeclaration(at)) return at;
    if ((ts.isArrowFunction(at) || ts.isFunctionExpression(at)) && (ts.isVariableDeclaration(at.parent) || ts.isPropertyAssignment(at.parent) || ts.isPropertyDeclaration(at.parent))) return at;
  }
  return null;
}

function nameOf(unit: ts.Node): string {
  const file = relative(ROOT, unit.getSourceFile().fileName);
  const named = (unit as { name?: ts.Node }).name ?? (unit.parent as { name?: ts.Node }).name;
  const owner = ts.findAncestor(unit.parent, ts.isClassDeclaration)?.name?.text;
  return `${file}: ${owner ? `${owner}.` : ''}${named?.getText() ?? '(module)'}`;
}

interface CallRecord {
  node: ts.CallExpression;
  kind: Kind | null;
  unit: ts.Node | null;
  target: ts.Node | null;
}

const records: CallRecord[] = [];
for (const file of program.getSourceFiles()) {
  if (file.isDeclarationFile || !isProduction(file)) continue;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const kind = kindOf(node);
      const declaration = kind ? undefined : checker.getResolvedSignature(node)?.declaration;
      records.push({ node, kind, unit: unitOf(node), target: declaration && !ts.isJSDocSignature(declaration) ? declaration : null });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

const database = records.filter((r) => r.kind !== null);
const sites = new Map<Kind, number>();
for (const r of database) sites.set(r.kind!, (sites.get(r.kind!) ?? 0) + 1);
const files = new Set(database.map((r) => relative(ROOT, r.node.getSourceFile().fileName)));
const async = new Set(database.map((r) => r.unit).filter((u): u is ts.Node => u !== null));
const direct = async.size;
// Callers of a function that turns async turn async too (through calls the checker resolves; a
// call through an interface is not followed, so this is a lower bound).
let awaitedCalls = 0;
for (let grew = true; grew; ) {
  grew = false;
  awaitedCalls = 0;
  for (const { unit, target } of records) {
    if (!target || !async.has(target)) continue;
    awaitedCalls++;
    if (unit && !async.has(unit)) {
      async.add(unit);
      grew = true;
    }
  }
}
// Transactions: better-sqlite3's, and our wrappers that pass a callback on to one (Catalog.transaction).
const wrappers = new Set(database.filter((r) => r.kind === 'transaction' && r.node.arguments[0] && ts.isIdentifier(r.node.arguments[0])).map((r) => r.unit));
const transactions = records.filter((r) => r.kind === 'transaction' || (r.target !== null && wrappers.has(r.target)));
const within = (node: ts.Node, call: ts.CallExpression) => call.arguments.some((arg) => node.pos >= arg.pos && node.end <= arg.end && node.getSourceFile() === arg.getSourceFile());
const awaitedInside = records.filter(
  (r) => (r.kind !== null && r.kind !== 'transaction') || (r.target !== null && async.has(r.target) && !wrappers.has(r.target)),
).filter((r) => transactions.some((t) => t.node !== r.node && within(r.node, t.node)));

const total = database.length;
console.log(`Database calls in ${PRODUCTION.join(', ')} (production code), by TypeScript's type checker:`);
for (const [kind, count] of [...sites].sort((a, b) => b[1] - a[1])) console.log(`  ${kind.padEnd(36)} ${String(count).padStart(5)}`);
console.log(`  ${'= call sites that change'.padEnd(36)} ${String(total).padStart(5)}  in ${direct} functions, ${files.size} files (each awaited, or gone with prepare)`);
console.log(
  `Transactions (synchronous callbacks today): ${transactions.length}, through ${wrappers.size} wrappers; calls inside them that would need await: ${awaitedInside.length}`,
);
console.log(`Functions that would become async (with their callers, to a fixpoint): ${async.size}; calls to them that would need await: ${awaitedCalls}`);
if (LIST) for (const name of [...async].map(nameOf).sort()) console.log(`  ${name}`);
