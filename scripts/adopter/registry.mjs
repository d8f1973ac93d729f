// A package registry for one scope, serving the packed tarballs the way a
// company's private registry would serve published versions. The adopter
// portal's .yarnrc.yml points the scope at it; every other package comes from
// the usual registry.
//
//   node registry.mjs <folder of .tgz files> <port file>
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [folder, portFile] = process.argv.slice(2);

/** The package.json inside an npm tarball (a gzipped tar, `package/` first). */
function readPackageJson(tarball) {
  const tar = gunzipSync(tarball);
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = tar
      .toString('utf8', offset, offset + 100)
      .replace(/\0.*$/s, '');
    const size = parseInt(tar.toString('utf8', offset + 124, offset + 136), 8);
    if (name === 'package/package.json') {
      return JSON.parse(
        tar.toString('utf8', offset + 512, offset + 512 + size),
      );
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no package/package.json in the tarball');
}

const packages = new Map();
for (const file of readdirSync(folder).filter(f => f.endsWith('.tgz'))) {
  const tarball = readFileSync(join(folder, file));
  const manifest = readPackageJson(tarball);
  packages.set(manifest.name, { file, tarball, manifest });
}

const server = createServer((req, res) => {
  const path = decodeURIComponent(req.url.split('?')[0]).slice(1);
  const tarballMatch = path.match(/^-\/(.+\.tgz)$/);
  if (tarballMatch) {
    const entry = [...packages.values()].find(p => p.file === tarballMatch[1]);
    if (entry) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(entry.tarball);
      return;
    }
  }
  const entry = packages.get(path);
  if (!entry) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
    return;
  }
  const { manifest, tarball, file } = entry;
  const { port } = server.address();
  const packument = {
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        dist: {
          tarball: `http://127.0.0.1:${port}/-/${file}`,
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${createHash('sha512')
            .update(tarball)
            .digest('base64')}`,
        },
      },
    },
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(packument));
});

server.listen(0, '127.0.0.1', () => {
  writeFileSync(portFile, String(server.address().port));
  console.log(`registry for ${[...packages.keys()].join(', ')}`);
});
