// Shared test helpers (outside test/ so the runner does not count this file as a test): load the locale catalogs and list the UI's source files (no DOM needed).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC_DIR = join(UI_DIR, 'src');

export function loadCatalog(locale) {
  return JSON.parse(readFileSync(join(SRC_DIR, 'locales', `${locale}.json`), 'utf8'));
}

export const catalogs = { 'zh-CN': loadCatalog('zh-CN'), en: loadCatalog('en') };

/** Every file under `dir` whose name ends with `ext`, recursively. */
export function filesUnder(dir, ext) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

export function read(path) {
  return readFileSync(path, 'utf8');
}
