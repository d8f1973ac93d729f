// Installs the plugins into the adopter portal by doing exactly what the
// READMEs' install sections say, so that the READMEs cannot drift from what
// works. A section is the fenced blocks between `<!-- install:<part> -->` and
// `<!-- /install -->`; every README that has a part must have the same one.
//
//   node install-from-readmes.mjs <repository> <portal>
//
// `sh` lines run in the portal's root; `ts` lines go into
// packages/backend/src/index.ts before `backend.start()`; `yaml` is merged
// into app-config.yaml.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [repository, portal] = process.argv.slice(2);
const { parseDocument } = createRequire(join(repository, 'package.json'))(
  'yaml',
);

// Each README and the install sections it must have.
const READMES = {
  'README.md': ['backend', 'frontend'],
  'plugins/api-tokens/README.md': ['frontend'],
  'plugins/api-tokens-backend/README.md': ['backend'],
  'plugins/api-tokens-node/README.md': ['backend'],
  'plugins/auth-backend-module-api-token-provider/README.md': ['backend'],
};
const MAX_CODE_LINES = 4;

const SECTION = /<!-- install:(\w+) -->\n([\s\S]*?)<!-- \/install -->/g;
const BLOCK = /```(\w+)\n([\s\S]*?)```/g;

const sections = new Map();
for (const [readme, parts] of Object.entries(READMES)) {
  const text = readFileSync(join(repository, readme), 'utf8');
  const found = [...text.matchAll(SECTION)];
  for (const part of parts) {
    if (!found.some(([, name]) => name === part)) {
      throw new Error(`${readme} has no install:${part} section`);
    }
  }
  for (const [, part, body] of found) {
    const seen = sections.get(part);
    if (seen && seen.body !== body) {
      throw new Error(
        `The ${part} install section of ${readme} differs from the one in ${seen.readme}`,
      );
    }
    sections.set(part, seen ?? { readme, body });
  }
}

function insertBefore(file, marker, lines) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(marker)) {
    throw new Error(`${file} has no "${marker}"`);
  }
  writeFileSync(file, text.replace(marker, `${lines.join('\n')}\n\n${marker}`));
}

for (const [part, { body }] of sections) {
  console.log(`\n# the ${part} install section`);
  for (const [, language, code] of body.matchAll(BLOCK)) {
    const lines = code
      .split('\n')
      .filter(l => l.trim() && !/^\s*(\/\/|#)/.test(l));
    console.log(lines.map(l => `  ${l}`).join('\n'));
    if (language === 'sh') {
      for (const line of lines) {
        execSync(line, { cwd: portal, stdio: 'inherit' });
      }
    } else if (language === 'ts') {
      if (lines.length > MAX_CODE_LINES) {
        throw new Error(
          `The ${part} install section has ${lines.length} lines of code; at most ${MAX_CODE_LINES}`,
        );
      }
      insertBefore(
        join(portal, 'packages/backend/src/index.ts'),
        'backend.start();',
        lines,
      );
    } else if (language === 'yaml') {
      const configFile = join(portal, 'app-config.yaml');
      const config = parseDocument(readFileSync(configFile, 'utf8'));
      const addition = parseDocument(code).toJS();
      for (const [key, value] of Object.entries(addition)) {
        const existing = config.get(key, true);
        config.set(key, mergeDeep(existing?.toJSON?.() ?? existing, value));
      }
      writeFileSync(configFile, config.toString());
    } else {
      throw new Error(
        `Unexpected ${language} block in the ${part} install section`,
      );
    }
  }
}

function mergeDeep(target, source) {
  if (
    typeof target !== 'object' ||
    target === null ||
    typeof source !== 'object' ||
    source === null
  ) {
    return source;
  }
  const merged = { ...target };
  for (const [key, value] of Object.entries(source)) {
    merged[key] = mergeDeep(target[key], value);
  }
  return merged;
}
