// Builds a small castle in a running voxd and renders it: the README's example.
//   node dist/examples/quickstart.js [endpoint] [out.png]
import { writeFileSync } from "node:fs";

import { edits, VoxdClient } from "../src";

export async function buildAndRender(endpoint?: string): Promise<Uint8Array> {
  const voxd = new VoxdClient(endpoint);
  try {
    const castle = await voxd.createProject("castle");
    const stone = 0xb4aa96ff, roof = 0xa03c32ff; // 0xRRGGBBAA
    // One atomic undo step: the walls, a hollow inside, and a roof.
    await voxd.batch(castle, [
      edits.drawShape("box", { min: [0, 0, 0], max: [31, 31, 15] }, stone),
      edits.drawShape("box", { min: [2, 2, 1], max: [29, 29, 15] }, stone, { mode: "subtract" }),
      edits.drawShape("sphere", { min: [4, 4, 12], max: [27, 27, 30] }, roof),
    ]);
    // Pipelined: four towers sent at once, answered in order for this project.
    const towers = [[0, 0], [24, 0], [0, 24], [24, 24]].map(([x, y]) =>
      voxd.drawShape(castle, "cylinder", { min: [x, y, 0], max: [x + 7, y + 7, 23] }, stone));
    await Promise.all(towers);
    const png = await voxd.render(castle, { view: "iso", width: 256, height: 256 });
    if (!("data" in png)) throw new Error("expected the PNG inline");
    await voxd.closeProject(castle);
    return png.data;
  } finally {
    voxd.close();
  }
}

if (require.main === module) {
  buildAndRender(process.argv[2]).then((png) => {
    writeFileSync(process.argv[3] ?? "castle.png", png);
    console.log(`wrote ${png.length} bytes`);
  }, (error) => {
    console.error(error);
    process.exit(1);
  });
}
