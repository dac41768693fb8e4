// Validates glTF files with the Khronos glTF Validator (npm gltf-validator, installed by
// scripts/install-gltf-validator.sh). Prints every issue; exits 1 when a file has an error (or, with
// --no-warnings, a warning), 2 when the validator cannot be loaded.
//   node gltf_validate.cjs VALIDATOR_DIR [--no-warnings] FILE...
'use strict';
const fs = require('fs');
const path = require('path');

const [validatorDir, ...rest] = process.argv.slice(2);
const strict = rest.includes('--no-warnings');
const files = rest.filter((a) => a !== '--no-warnings');
let validator;
try {
  validator = require(path.join(path.resolve(validatorDir), 'node_modules', 'gltf-validator'));
} catch (e) {
  console.error(`gltf-validator is not installed in ${validatorDir}: run scripts/install-gltf-validator.sh (${e.message})`);
  process.exit(2);
}
if (files.length === 0) {
  console.error('usage: node gltf_validate.cjs VALIDATOR_DIR [--no-warnings] FILE...');
  process.exit(2);
}

(async () => {
  let failed = false;
  for (const file of files) {
    const report = await validator.validateBytes(new Uint8Array(fs.readFileSync(file)), {
      uri: path.basename(file),
      maxIssues: 100,
      // A relative uri (a .gltf's .bin) is read from the file's folder, percent-decoded as URIs are; one that
      // leaves the folder is a failure.
      externalResourceFunction: (uri) => {
        const dir = path.dirname(path.resolve(file));
        const target = path.resolve(dir, decodeURIComponent(uri));
        if (path.dirname(target) !== dir) {
          return Promise.reject(new Error(`external resource ${uri} is outside ${dir}`));
        }
        return fs.promises.readFile(target).then((data) => new Uint8Array(data));
      },
    });
    const { numErrors, numWarnings, numInfos, numHints, messages } = report.issues;
    const info = report.info || {};
    console.log(`${file}: ${numErrors} errors, ${numWarnings} warnings, ${numInfos} infos, ${numHints} hints; ` +
                `${info.drawCallCount ?? '?'} draw calls, ${info.totalVertexCount ?? '?'} vertices, ` +
                `${info.totalTriangleCount ?? '?'} triangles`);
    for (const m of messages) {
      console.log(`  [${['error', 'warning', 'info', 'hint'][m.severity] ?? m.severity}] ${m.code} ${m.pointer ?? ''}: ${m.message}`);
    }
    if (numErrors > 0 || (strict && numWarnings > 0)) {
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(`validation failed: ${e.stack || e}`);
  process.exit(1);
});
