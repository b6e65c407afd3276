// Matrix product for tfjs's BatchMatMul: C[i] = op(A[i]) op(B[i]), A [batchA, M, K] (or
// [batchA, K, M] with transposeA), B [batchB, K, N] (or [batchB, N, K] with transposeB), a
// batch of 1 broadcast to the others. Tiles of MR rows x NV vectors of columns accumulate
// in registers over K: one broadcast element of A times one row segment of B per step. A is
// read through strides, so its transpose is free; B is read by rows, so a transposed B (and
// the ragged last columns of any B) is first copied into padded slabs, one per tile column.
#pragma once
#include <cstddef>
#include <cstring>

#include "scratch.h"
#include "simd.h"
#include "thread_pool.h"

namespace ddrl {
namespace DDRL_ISA {
namespace {

struct MatmulOperands {
  const float* a;
  size_t aRowStride, aColStride;  // op(A)[r][kk] = a[r * aRowStride + kk * aColStride]
  const float* b;
  size_t bRowStride;  // op(B)[kk][col] = b[kk * bRowStride + col - bFirstCol]
  int bFirstCol;
  int k;
  float* c;
  int n;
};

template <int MR, int NV>
__attribute__((noinline)) void matmul_tile(const MatmulOperands& op, int row0, int col0, int count) {
  vfloat acc[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) acc[r][v] = vfloat{};
  const float* a = op.a + row0 * op.aRowStride;
  const float* b = op.b + (col0 - op.bFirstCol);
  for (int kk = 0; kk < op.k; kk++) {
    vfloat bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = load(b + kk * op.bRowStride + v * kLanes);
    for (int r = 0; r < MR; r++) {
      const vfloat s = splat(a[r * op.aRowStride + kk * op.aColStride]);
      for (int v = 0; v < NV; v++) acc[r][v] += s * bv[v];
    }
  }
  for (int r = 0; r < MR; r++) {
    float* dst = op.c + static_cast<size_t>(row0 + r) * op.n + col0;
    for (int v = 0; v < NV; v++) {
      const int lanes = count - v * kLanes;
      if (lanes >= kLanes)
        store(dst + v * kLanes, acc[r][v]);
      else if (lanes > 0)
        store_partial(dst + v * kLanes, acc[r][v], lanes);
    }
  }
}

constexpr int kTileRows = 6;
constexpr int kTileCols = 2 * kLanes;

/** One product C = op(A) op(B), M x K times K x N. */
void matmul_one(const float* a, const float* b, float* c, int m, int k, int n, bool transposeA, bool transposeB) {
  // Columns a tile reads straight from B: whole tiles of a B that is not transposed. The
  // rest of op(B) is copied into panels, one [K][kTileCols] slab per tile column (zero
  // past N), packed in parallel.
  const int direct = transposeB ? 0 : n / kTileCols * kTileCols;
  const int slabs = (n - direct + kTileCols - 1) / kTileCols;
  const size_t slabSize = static_cast<size_t>(k) * kTileCols;
  Floats panel;
  if (slabs > 0) {
    panel.zeroed(slabSize * slabs);
    auto pack = [&](int s) {
      float* slab = panel.data() + slabSize * s;
      const int col0 = direct + s * kTileCols;
      const int cols = lo(kTileCols, n - col0);
      for (int kk = 0; kk < k; kk++)
        for (int j = 0; j < cols; j++)
          slab[static_cast<size_t>(kk) * kTileCols + j] = transposeB ? b[static_cast<size_t>(col0 + j) * k + kk] : b[static_cast<size_t>(kk) * n + col0 + j];
    };
    parallel_for(slabs, pack);
  }
  const size_t aRowStride = transposeA ? 1u : static_cast<size_t>(k);
  const size_t aColStride = transposeA ? static_cast<size_t>(m) : 1u;
  const int rowBlocks = (m + kTileRows - 1) / kTileRows;
  const int colBlocks = (n + kTileCols - 1) / kTileCols;
  auto tile = [&](int task) {
    const int row0 = task / colBlocks * kTileRows;
    const int col0 = task % colBlocks * kTileCols;
    const int rows = lo(kTileRows, m - row0);
    const int count = lo(kTileCols, n - col0);
    const bool fromB = col0 + kTileCols <= direct;
    const MatmulOperands op{a, aRowStride, aColStride, fromB ? b : panel.data() + slabSize * ((col0 - direct) / kTileCols), fromB ? static_cast<size_t>(n) : kTileCols, fromB ? 0 : col0,
                            k, c, n};
    // Rows: a whole tile, or the narrower last one.
    const auto tileOf = [&](auto columnVectors) {
      in_blocks<kTileRows>(rows, [&](auto block, int start) { matmul_tile<decltype(block)::size, decltype(columnVectors)::size>(op, row0 + start, col0, count); });
    };
    if (count > kLanes)
      tileOf(Block<2>{});
    else
      tileOf(Block<1>{});
  };
  parallel_for(rowBlocks * colBlocks, tile);
}

void matmul(const float* a, const float* b, float* c, int batch, int batchA, int batchB, int m, int k, int n, bool transposeA, bool transposeB) {
  for (int i = 0; i < batch; i++)
    matmul_one(a + static_cast<size_t>(batchA == 1 ? 0 : i) * m * k, b + static_cast<size_t>(batchB == 1 ? 0 : i) * k * n, c + static_cast<size_t>(i) * m * n, m, k, n, transposeA,
               transposeB);
}

}  // namespace
}  // namespace DDRL_ISA
}  // namespace ddrl
