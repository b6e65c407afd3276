#!/usr/bin/env bash
# GPU check: on a machine with a GPU and its Vulkan (Linux), Metal (macOS) or D3D12 (Windows)
# driver, times `ddrl bench learn` on the webgpu backend beside the wasm (CPU) backend and
# prints both. Fails (exit 1) when WebGPU finds no adapter or only a fallback one (a
# software rasteriser such as SwiftShader or lavapipe), whose figures say nothing about a GPU.
#
#   scripts/gpu-check.sh                      # every workload, no PyTorch reference
#   scripts/gpu-check.sh --workload bc_step/impala,gm_paper/impala
#
# Extra arguments go to both `ddrl bench learn` runs. Needs `npm install` done (the optional
# packages webgpu and @tensorflow/tfjs-backend-webgpu installed).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The adapter first: a fallback one fails the check before the long benchmark.
if ! DDRL_BACKEND=webgpu node bin/ddrl.js about --json --db "$work/check.sqlite" >"$work/about.json"; then
  echo "gpu-check: the webgpu backend could not start (the reason is above)." >&2
  exit 1
fi
node -e '
  const info = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).tensorflow;
  const a = info.gpuAdapter;
  if (!a) { console.error("gpu-check: backend " + info.backend + " has no GPU adapter."); process.exit(1); }
  const name = a.vendor + " " + a.architecture + (a.description ? " (" + a.description + ")" : "");
  if (a.fallback) { console.error("gpu-check: the WebGPU adapter is a fallback one (" + name + "): no GPU driver is in use."); process.exit(1); }
  console.log("gpu-check: WebGPU adapter " + name);
' "$work/about.json"

node bin/ddrl.js bench learn --backend webgpu --json --no-reference "$@" >"$work/webgpu.jsonl"
node bin/ddrl.js bench learn --backend wasm --json --no-reference "$@" >"$work/wasm.jsonl"

node -e '
  const fs = require("fs");
  const rows = (file) => fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line));
  const gpu = rows(process.argv[1]);
  const cpu = new Map(rows(process.argv[2]).map((r) => [r.workload, r]));
  if (gpu.some((r) => r.fallback_adapter !== false)) { console.error("gpu-check: a workload ran on a fallback adapter."); process.exit(1); }
  console.log("workload            webgpu ms     wasm ms   wasm/webgpu");
  for (const r of gpu) {
    const c = cpu.get(r.workload);
    console.log(r.workload.padEnd(18) + String(r.ms.toFixed(1)).padStart(11) + String(c ? c.ms.toFixed(1) : "-").padStart(12) + (c ? (c.ms / r.ms).toFixed(2) : "-").padStart(14));
  }
' "$work/webgpu.jsonl" "$work/wasm.jsonl"
