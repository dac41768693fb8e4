// Starts the real voxd ($VOXD_BIN) on a private ipc endpoint with its --root in a temporary directory, like
// tests/daemon/voxd_harness.py.
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export class Daemon {
  readonly dir = mkdtempSync(join(tmpdir(), "voxd-ts-"));
  readonly root = join(this.dir, "root");
  readonly endpoint = `ipc://${join(this.dir, "voxd.sock")}`;
  private process: ChildProcess | undefined;
  private stderr = "";

  async start(...extraArgs: string[]): Promise<void> {
    const bin = process.env.VOXD_BIN;
    if (!bin) throw new Error("VOXD_BIN is not set (ctest sets it to the voxd built in this run)");
    // --ephemeral: a state store of its own is not what these tests are about, and the default one is shared.
    const child = spawn(bin, ["--endpoint", this.endpoint, "--root", this.root, "--workers", "2", "--ephemeral",
                              "--log-level", "warn", ...extraArgs], { stdio: ["ignore", "pipe", "pipe"] });
    this.process = child;
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("voxd did not start within 30 s")), 30_000);
      lines.once("line", (line) => { clearTimeout(timer); resolve(line); });
      child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`voxd exited (${code}): ${this.stderr}`)); });
    });
    if (!first.includes("listening on")) throw new Error(`voxd did not start: ${first} ${this.stderr}`);
  }

  /** SIGSTOP, then waits until every thread has stopped (delivery is asynchronous: a reply could still go out). */
  async pause(): Promise<void> {
    const pid = this.process!.pid!;
    this.process!.kill("SIGSTOP");
    const threads = () => readdirSync(`/proc/${pid}/task`);
    const stopped = (tid: string) => /^\d+ \(.*\) T/.test(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
    for (const deadline = Date.now() + 5000; !threads().every(stopped); ) {
      if (Date.now() > deadline) throw new Error("voxd did not stop within 5 s");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  resume(): void { this.process?.kill("SIGCONT"); }

  /** Stops voxd with SIGTERM; resolves with its exit code and what it wrote to stderr. */
  async stop(): Promise<{ code: number | null; stderr: string }> {
    const child = this.process!;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    const code = await exited;
    rmSync(this.dir, { recursive: true, force: true });
    return { code, stderr: this.stderr };
  }
}
