// Drives voxd-mcp with the official MCP TypeScript SDK client (@modelcontextprotocol/sdk, installed by
// scripts/install-mcp-sdk.sh) against a voxd this test starts, and checks results through voxctl.
// Usage: node mcp_sdk_test.cjs SDK_DIR VOXD VOXD_MCP VOXCTL
'use strict';
const assert = require('node:assert/strict');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { createRequire } = require('node:module');

const [sdkDir, voxdPath, mcpPath, voxctlPath] = process.argv.slice(2);
const sdkRequire = createRequire(path.join(sdkDir, 'package.json'));
let Client, StdioClientTransport;
try {
  ({ Client } = sdkRequire('@modelcontextprotocol/sdk/client/index.js'));
  ({ StdioClientTransport } = sdkRequire('@modelcontextprotocol/sdk/client/stdio.js'));
} catch (e) {
  console.error(`the MCP SDK is not installed in ${sdkDir}: run scripts/install-mcp-sdk.sh (${e.message})`);
  process.exit(1);
}
const Ajv = sdkRequire('ajv');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'voxd-mcp-test-'));
const endpoint = `ipc://${tmp}/voxd.sock`;
const voxctl = (...args) => execFileSync(voxctlPath, ['--endpoint', endpoint, ...args], { encoding: 'utf8' }).trim();

function parse(result) {
  assert.notEqual(result.isError, true, `tool failed: ${JSON.stringify(result.content)}`);
  return JSON.parse(result.content[0].text);
}

// PNG: signature, IHDR size, and the IDAT stream inflates to exactly the rows IHDR describes.
function checkPng(base64, width, height) {
  const png = Buffer.from(base64, 'base64');
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  let offset = 8;
  const idat = [];
  let w = 0, h = 0, channels = 0;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('latin1');
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      w = data.readUInt32BE(0); h = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth 8');
      channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[data[9]];
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  assert.equal(w, width); assert.equal(h, height);
  assert.equal(zlib.inflateSync(Buffer.concat(idat)).length, height * (1 + width * channels));
}

// The top-left pixel of an RGBA PNG as "rrggbbaa": every PNG row filter adds 0 to the first pixel of the first row.
function firstPixel(base64) {
  const png = Buffer.from(base64, 'base64');
  const idat = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.subarray(offset + 4, offset + 8).toString('latin1') === 'IHDR') assert.equal(png[offset + 8 + 9], 6, 'RGBA');
    if (png.subarray(offset + 4, offset + 8).toString('latin1') === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  return zlib.inflateSync(Buffer.concat(idat)).subarray(1, 5).toString('hex');
}

async function connect(args) {
  // The whole environment, not the SDK's short default list: the sanitizer options must reach voxd-mcp.
  const transport = new StdioClientTransport({ command: mcpPath, args, env: { ...process.env }, stderr: 'inherit' });
  const client = new Client({ name: 'voxd-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function main() {
  // --ephemeral: the state store is not what this test is about, and the default one is the user's.
  const daemon = spawn(voxdPath, ['--endpoint', endpoint, '--root', tmp, '--log-level', 'warn', '--ephemeral'],
    { stdio: 'inherit' });
  try {
    for (let i = 0; ; ++i) {
      try { voxctl('ping'); break; } catch (e) { if (i > 50) throw e; await new Promise(r => setTimeout(r, 100)); }
    }
    const c = await connect(['--endpoint', endpoint]);
    assert.equal(c.getServerVersion().name, 'voxd-mcp');
    assert.ok(c.getServerCapabilities().tools);
    await c.ping();

    const { tools } = await c.listTools();
    const ajv = new Ajv({ strict: false });
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.ok(t.description.length > 10, t.name);
      ajv.compile(t.inputSchema);  // throws when the schema is not valid JSON Schema
    }
    const names = new Set(tools.map(t => t.name));
    const called = new Set();
    const call = async (name, args) => { called.add(name); return c.callTool({ name, arguments: args }); };

    const { project: p } = parse(await call('project_create', { name: 'house' }));
    assert.match(voxctl('list'), new RegExp(`house`));
    assert.equal(parse(await call('voxels_set', { project: p, voxels: [[0, 0, 0, '#ff0000'], [1, 0, 0, '#00ff00'], [2, 0, 0, '#0000ff80']] })).changed_voxels, 3);
    assert.equal(voxctl('count', String(p)), '3');
    assert.equal(voxctl('get', String(p), '1', '0', '0'), '00ff00ff');
    assert.deepEqual(parse(await call('voxels_get', { project: p, positions: [[0, 0, 0], [5, 5, 5]] })).colors, ['#ff0000ff', null]);
    const page = parse(await call('voxels_read_box', { project: p, min: [-4, -4, -4], max: [4, 4, 4] }));
    assert.equal(page.voxels, 3); assert.equal(page.done, true);
    assert.deepEqual(page.by_color['#ff0000ff'], [0, 0, 0]);
    assert.equal(parse(await call('voxels_remove', { project: p, positions: [[2, 0, 0]] })).changed_voxels, 1);
    assert.equal(voxctl('count', String(p)), '2');
    const summary = parse(await call('project_summary', { project: p }));
    assert.equal(summary.voxels, 2); assert.ok(summary.undo_depth >= 2);
    assert.deepEqual(summary.bounding_box, { min: [0, 0, 0], max: [1, 0, 0] });
    assert.equal(summary.palette.length, 2);

    // Open projects as resources: a summary (JSON) and a render (PNG) each, through the SDK's resource API.
    assert.ok(c.getServerCapabilities().resources);
    const { resources } = await c.listResources();
    const summaryUri = `voxd://project/${p}/summary`;
    assert.ok(resources.some(r => r.uri === summaryUri && r.mimeType === 'application/json'), JSON.stringify(resources));
    const read = await c.readResource({ uri: summaryUri });
    assert.equal(JSON.parse(read.contents[0].text).voxels, 2);
    const picture = await c.readResource({ uri: `voxd://project/${p}/render/top.png` });
    assert.equal(picture.contents[0].mimeType, 'image/png');
    checkPng(picture.contents[0].blob, 512, 512);
    const { resourceTemplates } = await c.listResourceTemplates();
    assert.equal(resourceTemplates.length, 2);
    assert.ok(resourceTemplates.some(t => t.uriTemplate.endsWith('/render/{view}.png{?yaw,pitch,distance,perspective,ambient_occlusion,shadows,edges,background,width,height}')));
    for (const uri of ['voxd://project/999999/summary', `voxd://project/${p}/render/sideways.png`, 'file:///etc/passwd']) {
      await assert.rejects(c.readResource({ uri }), e => e.code === -32002, uri);
    }

    parse(await call('shape_draw', { project: p, shape: 'box', min: [0, 0, 0], max: [3, 3, 3], color: '#808080' }));
    assert.equal(voxctl('count', String(p)), '64');
    parse(await call('shape_draw', { project: p, shape: 'sphere', min: [0, 0, 0], max: [3, 3, 3], color: '#000000', mode: 'subtract' }));
    const afterSubtract = Number(voxctl('count', String(p)));
    assert.ok(afterSubtract < 64 && afterSubtract > 0);
    parse(await call('line_draw', { project: p, from: [10, 0, 0], to: [14, 0, 0], color: '#ffff00' }));
    assert.equal(voxctl('get', String(p), '12', '0', '0'), 'ffff00ff');
    parse(await call('flood_fill', { project: p, seed: [10, 0, 0], color: '#00ffff' }));
    assert.equal(voxctl('get', String(p), '14', '0', '0'), '00ffffff');
    parse(await call('region_move', { project: p, min: [10, 0, 0], max: [14, 0, 0], offset: [0, 5, 0], copy: true }));
    assert.equal(voxctl('get', String(p), '12', '5', '0'), '00ffffff');
    assert.equal(voxctl('get', String(p), '12', '0', '0'), '00ffffff');

    const bbox = parse(await call('query_bounding_box', { project: p })).bounding_box;
    assert.equal(voxctl('bbox', String(p)), [...bbox.min, ...bbox.max].join(' '));
    assert.equal(String(parse(await call('query_count', { project: p })).voxels), voxctl('count', String(p)));
    const hist = parse(await call('query_histogram', { project: p }));
    assert.equal(hist.entries[0].color.slice(1), voxctl('histogram', String(p)).split('\n')[0].split(' ')[0]);
    assert.ok(parse(await call('query_unique_colors', { project: p })).colors.includes('#00ffffff'));
    assert.equal(parse(await call('query_find_by_color', { project: p, color: '#00ffff' })).positions.length, 10);

    const { layer } = parse(await call('layer_add', { project: p, name: 'roof' }));
    assert.ok(layer > 0);
    parse(await call('layer_rename', { project: p, layer, name: 'roof2' }));
    parse(await call('layer_select', { project: p, layer }));
    parse(await call('voxels_set', { project: p, voxels: [[0, 9, 0, '#123456']] }));
    parse(await call('layer_set_visible', { project: p, layer, visible: false }));
    parse(await call('layer_set_visible', { project: p, layer, visible: true }));
    const { layer: dup } = parse(await call('layer_duplicate', { project: p, layer }));
    parse(await call('layer_move', { project: p, layer: dup, index: 0 }));
    parse(await call('layer_merge', { project: p, upper: layer, lower: dup }));
    parse(await call('layer_clear', { project: p, layer: dup }));
    const layers = parse(await call('layer_list', { project: p })).layers;
    assert.ok(layers.every(l => l.name !== 'roof2'));
    const { layer: tmpLayer } = parse(await call('layer_add', { project: p, name: 'scratch' }));
    parse(await call('layer_remove', { project: p, layer: tmpLayer }));
    assert.ok(!voxctl('layer', 'list', String(p)).includes('scratch'));

    const before = voxctl('count', String(p));
    const batch = parse(await call('batch', { project: p, operations: [
      { tool: 'voxels_set', arguments: { voxels: [[20, 0, 0, '#ff00ff']] } },
      { tool: 'line_draw', arguments: { from: [20, 1, 0], to: [20, 3, 0], color: '#ff00ff' } }] }));
    assert.deepEqual(batch.results, [1, 3]);
    assert.equal(Number(voxctl('count', String(p))), Number(before) + 4);
    parse(await call('undo', { project: p }));  // the whole batch is one step
    assert.equal(voxctl('count', String(p)), before);
    parse(await call('redo', { project: p }));
    assert.equal(Number(voxctl('count', String(p))), Number(before) + 4);
    const failed = await call('batch', { project: p, operations: [
      { tool: 'voxels_set', arguments: { voxels: [[30, 0, 0, '#ff00ff']] } },
      { tool: 'layer_remove', arguments: { layer: 99999 } }] });
    assert.equal(failed.isError, true);
    assert.equal(Number(voxctl('count', String(p))), Number(before) + 4, 'a failed batch changes nothing');

    const render = await call('render', { project: p, width: 96, height: 64 });
    assert.equal(render.content[1].type, 'image'); assert.equal(render.content[1].mimeType, 'image/png');
    checkPng(render.content[1].data, 96, 64);
    // Several views: one contact sheet by default (cells of the asked size, 4-pixel gaps), or one image each.
    const sheet = await call('render', { project: p, views: ['front', 'top'], width: 32, height: 40 });
    assert.equal(sheet.content.filter(x => x.type === 'image').length, 1);
    assert.match(sheet.content[0].text, /2 columns x 1 rows.* front top$/);
    checkPng(sheet.content[1].data, 32 * 2 + 4, 40);
    const grid = await call('render', { project: p, views: ['iso', 'front', 'top', 'right'], width: 32, height: 40 });
    checkPng(grid.content[1].data, 32 * 2 + 4, 40 * 2 + 4);
    const separate = await call('render', { project: p, views: ['front', 'top'], width: 32, height: 40, layout: 'separate' });
    assert.equal(separate.content.filter(x => x.type === 'image').length, 2);
    checkPng(separate.content[3].data, 32, 40);

    // The free camera and the look options. yaw 0 / pitch 0 is the front view, pixel for pixel.
    const image = async args => {
      const r = await call('render', { project: p, width: 48, height: 48, ...args });
      assert.notEqual(r.isError, true, JSON.stringify(r.content));
      checkPng(r.content[1].data, 48, 48);
      return r;
    };
    const front = (await image({ view: 'front' })).content[1].data;
    const level = await image({ yaw: 0, pitch: 0 });  // camera keys alone mean view "free"
    assert.equal(level.content[0].text, 'view free(yaw=0,pitch=0)');
    assert.equal(level.content[1].data, front);
    assert.equal((await image({ view: 'free', yaw: 0, pitch: 0, distance: 0, perspective: false })).content[1].data, front);
    const iso = (await image({})).content[1].data;
    assert.equal((await image({ view: 'free' })).content[1].data, iso, 'the free camera defaults to the iso angles');
    const looks = [{ yaw: 200, pitch: -30 }, { yaw: 120, pitch: 10, distance: 40, perspective: true },
                   { ambient_occlusion: false }, { shadows: false }];
    for (const look of looks) assert.notEqual((await image(look)).content[1].data, iso, JSON.stringify(look));
    // Edges show where a voxel is at least 4 pixels across.
    const big = async args => (await call('render', { project: p, width: 200, height: 200, ...args })).content[1].data;
    assert.notEqual(await big({ edges: true }), await big({}));
    assert.equal(firstPixel(iso), '00000000', 'transparent by default');
    assert.equal(firstPixel((await image({ background: '#204060' })).content[1].data), '204060ff');
    assert.equal(firstPixel((await image({ background: '#20406080', edges: true })).content[1].data), '20406080');
    assert.equal(firstPixel((await image({ background: 'transparent' })).content[1].data), '00000000');
    // In a sheet, views may be free cameras; the top-level camera keys fill in what an entry leaves out.
    const mixed = await call('render', { project: p, views: ['front', { yaw: 0 }, 'free'], pitch: 0, width: 48, height: 48,
                                         layout: 'separate', background: '#ffffff' });
    assert.deepEqual(mixed.content.filter(x => x.type === 'text').map(x => x.text),
                     ['view front', 'view free(yaw=0,pitch=0)', 'view free(pitch=0)']);
    assert.equal(mixed.content[1].data, mixed.content[3].data);
    const cameras = await call('render', { project: p, views: [{ yaw: 30 }, { yaw: 60, perspective: true }], width: 32, height: 32 });
    assert.match(cameras.content[0].text, /free\(yaw=30\) free\(yaw=60,perspective\)$/);
    checkPng(cameras.content[1].data, 32 * 2 + 4, 32);
    // The render resource takes the same options as a query.
    const viaUri = await c.readResource({ uri: `voxd://project/${p}/render/free.png?yaw=0&pitch=0&width=48&height=48` });
    assert.equal(viaUri.contents[0].blob, front);
    const tinted = await c.readResource({ uri: `voxd://project/${p}/render/top.png?width=8&height=8&background=%23204060&edges=true&shadows=false` });
    checkPng(tinted.contents[0].blob, 8, 8);
    assert.equal(firstPixel(tinted.contents[0].blob), '204060ff');
    for (const query of ['yaw=400', 'yaw=ten', 'edges=yes', 'zoom=2', 'yaw=1&yaw=2']) {
      await assert.rejects(c.readResource({ uri: `voxd://project/${p}/render/free.png?${query}` }), e => e.code === -32002, query);
    }
    await assert.rejects(c.readResource({ uri: `voxd://project/${p}/render/top.png?yaw=10` }), e => e.code === -32002);

    const saved = parse(await call('project_save', { project: p, path: 'house.gox' }));
    assert.ok(saved.bytes > 0 && fs.existsSync(path.join(tmp, 'house.gox')));
    const exported = parse(await call('project_export', { project: p, format: 'obj' }));
    assert.match(Buffer.from(exported.data_base64, 'base64').toString('latin1'), /^(#|v |o |mtllib)/m);
    const { project: opened } = parse(await call('project_open', { path: 'house.gox' }));
    assert.equal(voxctl('count', String(opened)), voxctl('count', String(p)));
    const vox = parse(await call('project_save', { project: p, format: 'vox' }));
    const { project: inline } = parse(await call('project_open', { data_base64: vox.data_base64, name: 'inline' }));
    assert.ok(Number(voxctl('count', String(inline))) > 0);
    const { project: copy } = parse(await call('project_copy', { project: p, name: 'copy' }));
    assert.equal(voxctl('count', String(copy)), voxctl('count', String(p)));
    assert.ok(parse(await call('project_list', {})).projects.some(x => x.project === copy));
    for (const h of [opened, inline, copy]) parse(await call('project_close', { project: h }));
    assert.ok(!voxctl('list').includes('inline'));

    for (const name of names) assert.ok(called.has(name), `tool ${name} was not called`);

    // Bad arguments: tool results with isError, never a protocol error or a crash.
    const bad = [
      ['voxels_set', { project: p, voxels: [[0, 0, 'x', '#ff0000']] }],
      ['voxels_set', { project: p, voxels: [[0, 0, 0, 'red']] }],
      ['voxels_set', { project: p }],
      ['shape_draw', { project: p, min: [0, 0, 0], max: [1, 1, 1], color: '#fff', mode: 'nope' }],
      ['project_summary', { project: 987654 }],
      ['project_summary', { project: -1 }],
      ['render', { project: p, width: 0 }],
      ['render', { project: p, view: 'sideways' }],
      ['render', { project: p, views: ['iso', 'top'], layout: 'mosaic' }],
      ['render', { project: p, yaw: 400 }],
      ['render', { project: p, pitch: -91 }],
      ['render', { project: p, pitch: '10' }],
      ['render', { project: p, distance: 0.5 }],
      ['render', { project: p, distance: 2e6 }],
      ['render', { project: p, perspective: 'yes' }],
      ['render', { project: p, view: 'top', yaw: 10 }],
      ['render', { project: p, views: ['top', 'front'], yaw: 10 }],
      ['render', { project: p, views: [{ yaw: 10, zoom: 2 }] }],
      ['render', { project: p, views: [{ pitch: 100 }] }],
      ['render', { project: p, views: [42] }],
      ['render', { project: p, views: [] }],
      ['render', { project: p, view: 'iso', views: ['top'] }],
      ['render', { project: p, background: 'blue' }],
      ['render', { project: p, background: 255 }],
      ['render', { project: p, edges: 'true' }],
      ['layer_remove', { project: p, layer: 424242 }],
      ['project_open', { data_base64: '!!!' }],
      ['voxels_read_box', { project: p, min: [0, 0, 0], max: [1, 1, 1], cursor: 'AAAA' }],
      ['batch', { project: p, operations: [{ tool: 'render' }] }],
    ];
    for (const [name, args] of bad) {
      const r = await c.callTool({ name, arguments: args });
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)} should fail`);
      assert.ok(r.content[0].text.length > 0);
    }
    const summaryAfter = parse(await call('project_summary', { project: p }));
    assert.ok(summaryAfter.voxels > 0, 'the server still works after bad calls');

    // Two servers at once, each on its own project, both visible to voxctl.
    const c2 = await connect(['--endpoint', endpoint]);
    const [a, b] = await Promise.all([c.callTool({ name: 'project_create', arguments: { name: 'alpha' } }),
                                      c2.callTool({ name: 'project_create', arguments: { name: 'beta' } })]).then(r => r.map(x => parse(x).project));
    await Promise.all([
      c.callTool({ name: 'shape_draw', arguments: { project: a, min: [0, 0, 0], max: [1, 1, 1], color: '#ff0000' } }),
      c2.callTool({ name: 'shape_draw', arguments: { project: b, min: [0, 0, 0], max: [2, 2, 2], color: '#00ff00' } })]);
    assert.equal(voxctl('count', String(a)), '8');
    assert.equal(voxctl('count', String(b)), '27');
    await c2.close();

    // Without a daemon on the default endpoint, voxd-mcp starts a private one (next to itself) and stops it.
    const lonely = new StdioClientTransport({ command: mcpPath, args: [],
      // The private voxd keeps its store under tmp, not in the user's state directory.
      env: { ...process.env, VOXD_ENDPOINT: `ipc://${tmp}/nobody.sock`, XDG_STATE_HOME: `${tmp}/state` }, stderr: 'pipe' });
    const c3 = new Client({ name: 'voxd-mcp-test', version: '1.0.0' });
    await c3.connect(lonely);
    const solo = parse(await c3.callTool({ name: 'project_create', arguments: { name: 'solo' } })).project;
    parse(await c3.callTool({ name: 'voxels_set', arguments: { project: solo, voxels: [[1, 2, 3, '#abcdef']] } }));
    assert.ok(!voxctl('list').includes('solo'), 'the private daemon is not the shared one');
    await c3.close();
    await c.close();
    console.log(`ok: ${tools.length} tools called, ${bad.length} bad calls answered with isError`);
  } finally {
    daemon.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), e => { console.error(e); process.exit(1); });
