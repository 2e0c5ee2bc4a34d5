#!/usr/bin/env python3
"""Turns one JMH run of bench/target/benchmarks.jar into the tables of docs/BENCHMARKS.md.

usage: bench/summarize.py target/bench/jmh-result.json target/bench/jmh-output.txt

The optimizer-step benchmark prints, per (preset, n), the matrix-product flops the optimizer issued per step (LATHER-GEMM
lines, counted by Tensors.gemmFlops: exactly the products that ran, split by precision; a syrk Gram matrix counts the
d(d+1)k flops of the triangle it computes). The GEMM benchmark of the same run
gives ND4J's float32/float64 GEMM rate at the same n. GEMM-bound time = flops32/rate32 + flops64/rate64; the fraction
reported is GEMM-bound time / measured step time (1.0 = the step costs no more than its matrix products would at the
measured GEMM rate)."""
import json, re, sys

results = json.load(open(sys.argv[1]))
log = open(sys.argv[2]).read()
ms = {}
for r in results:
    name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
    params = tuple(sorted(r.get("params", {}).items()))
    ms[(name, params)] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])

gemm_rate = {}
print("## GEMM (ND4J, square n×n·n×n)\n\n| n | precision | ms/op | GFLOP/s |\n|---|---|---|---|")
for (name, params), (score, err) in sorted(ms.items()):
    if name == "GemmBenchmark.gemm":
        p = dict(params); n = int(p["n"])
        rate = 2 * n ** 3 / (score / 1e3) / 1e9
        gemm_rate[(n, p["precision"])] = rate
        print(f"| {n} | {p['precision']} | {score:.3f} ± {err:.3f} | {rate:.1f} |")

print("\n## Eigensolver (float64 symmetric n×n)\n\n| benchmark | params | ms/op |\n|---|---|---|")
for (name, params), (score, err) in sorted(ms.items()):
    if name.startswith("EigensolverBenchmark"):
        print(f"| {name} | {dict(params)} | {score:.1f} ± {err:.1f} |")

fresh = ms.get(("AllocationBenchmark.copyIntoFreshArray", ()))
reused = ms.get(("AllocationBenchmark.copyIntoReusedArray", ()))
if fresh and reused:
    print("\n## Allocation (1024² float64 copy)\n\n| into | ms/op |\n|---|---|")
    print(f"| a fresh array (`dup`) | {fresh[0]:.2f} ± {fresh[1]:.2f} |")
    print(f"| a reused array (`assign`) | {reused[0]:.2f} ± {reused[1]:.2f} |")
    print(f"\nA fresh array costs {fresh[0] / reused[0]:.0f}× the copy into a reused one.")

flops = {}
for m in re.finditer(r"LATHER-GEMM preset=(\S+) n=(\d+) steps=\d+ gemm_gflop_per_step_f32=([\d.]+) gemm_gflop_per_step_f64=([\d.]+)"
                     r"(?: eigendecompositions_per_step=([\d.]+))?", log):
    flops[(m.group(1), int(m.group(2)))] = (float(m.group(3)), float(m.group(4)), float(m.group(5) or "nan"))

# ALGORITHMS.md §9.5 counts a symmetric eigendecomposition with vectors as c·d³ flops, c ≈ 9–10; the lower end is used
EIGH_FLOPS_PER_CUBE = 9

# The reference implementation's matrix-product work per step for one square n×n block, in units of n³ flops, from the
# cost formulas of ALGORITHMS.md §9.5 (what distributed_shampoo issues; the PyTorch figures of issue #2 are fractions of
# this work): factors 2·2n³ for every Shampoo variant; root-inverse preconditioning 2·2n³ plus forming Q·diag·Qᵀ for two
# factors every F = 10 steps (2·2n³/10); EShampoo 3·2·2n³ (rotate G, rotate H, unrotate); per-factor (#264) 2·2n³ for
# the eigenvalue EMA (O·Q) plus 2·(2n³ + 2n³) for forming and applying Q·diag·Qᵀ per mode every step.
REFERENCE_WORK_PER_CUBE = {"shampoo": 8 + 0.4, "eshampoo": 16, "per-factor-ema": 16}

print("\n## One optimizer step (square n×n float32 parameter, F = 10, amortized eigendecomposition included)\n")
print("| preset | n | ms/step | GEMM GFLOP/step (f32 + f64) | GEMM GFLOP per s of step | GEMM-bound ms | **fraction of GEMM bound** "
      "| eigh/step | bound incl. eigh ms | fraction incl. eigh | reference's GEMM work, ms at the f32 rate | fraction of it |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (name, params), (score, err) in sorted(ms.items(), key=lambda kv: (dict(kv[0][1]).get("preset", ""), int(dict(kv[0][1]).get("n", 0)))):
    if name != "OptimizerStepBenchmark.step":
        continue
    p = dict(params); n = int(p["n"]); preset = p["preset"]
    f32, f64, eigh = flops.get((preset, n), (float("nan"),) * 3)
    bound = f32 / gemm_rate[(n, "float32")] * 1e3 + f64 / gemm_rate[(n, "float64")] * 1e3
    achieved = (f32 + f64) / (score / 1e3)
    inclusive = bound + eigh * EIGH_FLOPS_PER_CUBE * n ** 3 / 1e9 / gemm_rate[(n, "float64")] * 1e3
    ref = REFERENCE_WORK_PER_CUBE.get(preset)
    ref_ms = ref * n ** 3 / 1e9 / gemm_rate[(n, "float32")] * 1e3 if ref else float("nan")
    print(f"| {preset} | {n} | {score:.2f} ± {err:.2f} | {f32:.3f} + {f64:.3f} | {achieved:.1f} | {bound:.2f} | **{bound / score:.0%}** "
          f"| {eigh:.2f} | {inclusive:.2f} | {inclusive / score:.0%} | {ref_ms:.2f} | {ref_ms / score:.0%} |")
