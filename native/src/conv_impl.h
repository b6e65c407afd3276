// 3x3 convolution (forward, and the input gradient through a rotated, transposed filter) and
// its filter gradient, straight from NHWC rows without im2col: each output row copies the
// (up to) three input rows it reads into a zero-padded scratch row, then tiles of MR output
// pixels x NV vectors of output channels accumulate in registers while the taps and input
// channels stream by (one broadcast input value times one filter vector per multiply-add).
// The filter gradient is the same loop with the roles swapped: tiles of MR input channels x
// NV output channels, streaming over the output pixels.
#pragma once
#include <cstddef>
#include <cstring>

#include "kernels.h"
#include "scratch.h"
#include "simd.h"
#include "thread_pool.h"

namespace ddrl {
namespace DDRL_ISA {
namespace {

/** Columns of a padded scratch row: every input column an output row reads. */
int row_columns(const ConvGeometry& g) { return (g.outW - 1) * g.stride + 3; }

/**
 * The filter as [9 taps][in][out rounded up to whole vectors], zeros in the extra lanes.
 * `transposed`: the source is [3, 3, out, in] and is rotated by 180 degrees.
 */
void pack_filter(const float* filter, int in, int out, bool transposed, Floats& buffer) {
  const int outP = padded(out);
  float* packed = buffer.zeroed(static_cast<size_t>(9) * in * outP);
  for (int tap = 0; tap < 9; tap++)
    for (int i = 0; i < in; i++)
      for (int o = 0; o < out; o++)
        packed[(static_cast<size_t>(tap) * in + i) * outP + o] =
            transposed ? filter[(static_cast<size_t>(8 - tap) * out + o) * in + i] : filter[(static_cast<size_t>(tap) * in + i) * out + o];
}

/**
 * Input row `iy` of image `b` as row_columns(g) x in values, column j holding input column
 * j - padLeft, zeros outside the image. Returns false (row untouched) when iy is outside.
 */
bool fill_row(const float* x, const ConvGeometry& g, int b, int iy, float* row) {
  if (iy < 0 || iy >= g.h) return false;
  const int columns = row_columns(g);
  const float* src = x + (static_cast<size_t>(b) * g.h + iy) * g.w * g.in;
  const int first = lo(hi(0, g.padLeft), columns);
  const int last = hi(first, lo(columns, g.padLeft + g.w));
  std::memset(row, 0, static_cast<size_t>(first) * g.in * sizeof(float));
  std::memcpy(row + static_cast<size_t>(first) * g.in, src + static_cast<size_t>(first - g.padLeft) * g.in, static_cast<size_t>(last - first) * g.in * sizeof(float));
  std::memset(row + static_cast<size_t>(last) * g.in, 0, static_cast<size_t>(columns - last) * g.in * sizeof(float));
  return true;
}

/** The three input rows one output row reads; `valid` has bit ky set when row ky exists. */
struct InputRows {
  const float* row[3];
  int valid;
};

InputRows read_rows(const float* x, const ConvGeometry& g, int b, int oy, float* scratch) {
  InputRows rows{{nullptr, nullptr, nullptr}, 0};
  const size_t rowSize = static_cast<size_t>(row_columns(g)) * g.in;
  for (int ky = 0; ky < 3; ky++) {
    float* row = scratch + ky * rowSize;
    rows.row[ky] = row;
    if (fill_row(x, g, b, oy * g.stride + ky - g.padTop, row)) rows.valid |= 1 << ky;
  }
  return rows;
}

// ---------------------------------------------------------------- forward convolution

/** MR output pixels from column ox0, output channels [o0, o0 + count), count <= NV * kLanes. */
template <int MR, int NV>
void conv_tile(const InputRows& rows, const ConvGeometry& g, int ox0, const float* packed, int outP, int o0, const vfloat* bias, float* yRow, int count) {
  vfloat acc[MR][NV];
  for (int m = 0; m < MR; m++)
    for (int v = 0; v < NV; v++) acc[m][v] = bias[v];
  const int in = g.in;
  const int step = g.stride * in;
  for (int ky = 0; ky < 3; ky++) {
    if (!(rows.valid >> ky & 1)) continue;
    for (int kx = 0; kx < 3; kx++) {
      const float* px = rows.row[ky] + static_cast<size_t>(ox0 * g.stride + kx) * in;
      const float* pw = packed + static_cast<size_t>(ky * 3 + kx) * in * outP + o0;
      for (int i = 0; i < in; i++) {
        vfloat w[NV];
        for (int v = 0; v < NV; v++) w[v] = load(pw + static_cast<size_t>(i) * outP + v * kLanes);
        for (int m = 0; m < MR; m++) {
          const vfloat a = splat(px[m * step + i]);
          for (int v = 0; v < NV; v++) acc[m][v] += a * w[v];
        }
      }
    }
  }
  for (int m = 0; m < MR; m++) {
    float* dst = yRow + static_cast<size_t>(ox0 + m) * g.out + o0;
    for (int v = 0; v < NV; v++) {
      const int lanes = count - v * kLanes;
      if (lanes >= kLanes)
        store(dst + v * kLanes, acc[m][v]);
      else if (lanes > 0)
        store_partial(dst + v * kLanes, acc[m][v], lanes);
    }
  }
}

/** A whole output row for one channel chunk: full tiles of MR pixels, then one narrower tile. */
template <int MR, int NV>
void conv_row(const InputRows& rows, const ConvGeometry& g, const float* packed, int outP, int o0, const vfloat* bias, float* yRow, int count) {
  int ox = 0;
  for (; ox + MR <= g.outW; ox += MR) conv_tile<MR, NV>(rows, g, ox, packed, outP, o0, bias, yRow, count);
  switch (g.outW - ox) {
#define DDRL_REST(R) \
  case R:            \
    if constexpr (R < MR) conv_tile<R, NV>(rows, g, ox, packed, outP, o0, bias, yRow, count); \
    break;
    DDRL_REST(1)
    DDRL_REST(2)
    DDRL_REST(3)
    DDRL_REST(4)
    DDRL_REST(5)
    DDRL_REST(6)
    DDRL_REST(7)
    DDRL_REST(8)
    DDRL_REST(9)
    DDRL_REST(10)
    DDRL_REST(11)
#undef DDRL_REST
    default:
      break;
  }
}

void conv3x3(const float* x, const float* filter, const float* bias, float* y, const ConvGeometry& g, bool transposedFilter) {
  Floats packed;
  pack_filter(filter, g.in, g.out, transposedFilter, packed);
  const int outP = padded(g.out);
  Floats biasPadded;
  biasPadded.zeroed(outP);
  if (bias) std::memcpy(biasPadded.data(), bias, g.out * sizeof(float));
  auto row = [&](int task) {
    thread_local Floats scratch;
    scratch.resize(static_cast<size_t>(3) * row_columns(g) * g.in);
    const int b = task / g.outH;
    const int oy = task % g.outH;
    const InputRows rows = read_rows(x, g, b, oy, scratch.data());
    float* yRow = y + (static_cast<size_t>(b) * g.outH + oy) * g.outW * g.out;
    // Chunks of two vectors of output channels (6 pixels x 2 vectors: 12 accumulators
    // + 2 filter vectors + 1 broadcast fit AVX2's 16 registers), or one vector x 12 pixels.
    for (int o0 = 0; o0 < g.out; o0 += 2 * kLanes) {
      const int count = lo(2 * kLanes, g.out - o0);
      vfloat biasV[2] = {load(biasPadded.data() + o0), count > kLanes ? load(biasPadded.data() + o0 + kLanes) : vfloat{}};
      if (count > kLanes)
        conv_row<6, 2>(rows, g, packed.data(), outP, o0, biasV, yRow, count);
      else
        conv_row<12, 1>(rows, g, packed.data(), outP, o0, biasV, yRow, count);
    }
  };
  parallel_for(g.n * g.outH, row);
}

// ---------------------------------------------------------------- filter gradient

/** dW[tap][i0 .. i0 + MR)[o0 .. o0 + NV * kLanes) += one output row's contribution. */
template <int MR, int NV>
void filter_grad_block(const float* xRow, int kx, const ConvGeometry& g, int i0, const float* dyRow, int outP, int o0, float* dwTap) {
  vfloat acc[MR][NV];
  for (int m = 0; m < MR; m++)
    for (int v = 0; v < NV; v++) acc[m][v] = load(dwTap + static_cast<size_t>(i0 + m) * outP + o0 + v * kLanes);
  for (int ox = 0; ox < g.outW; ox++) {
    vfloat d[NV];
    for (int v = 0; v < NV; v++) d[v] = load(dyRow + static_cast<size_t>(ox) * outP + o0 + v * kLanes);
    const float* px = xRow + static_cast<size_t>(ox * g.stride + kx) * g.in + i0;
    for (int m = 0; m < MR; m++) {
      const vfloat a = splat(px[m]);
      for (int v = 0; v < NV; v++) acc[m][v] += a * d[v];
    }
  }
  for (int m = 0; m < MR; m++)
    for (int v = 0; v < NV; v++) store(dwTap + static_cast<size_t>(i0 + m) * outP + o0 + v * kLanes, acc[m][v]);
}

/** Every input channel of one tap and one channel chunk: blocks of MR, then one narrower block. */
template <int MR, int NV>
void filter_grad_tap(const float* xRow, int kx, const ConvGeometry& g, const float* dyRow, int outP, int o0, float* dwTap) {
  int i = 0;
  for (; i + MR <= g.in; i += MR) filter_grad_block<MR, NV>(xRow, kx, g, i, dyRow, outP, o0, dwTap);
  switch (g.in - i) {
#define DDRL_REST(R) \
  case R:            \
    if constexpr (R < MR) filter_grad_block<R, NV>(xRow, kx, g, i, dyRow, outP, o0, dwTap); \
    break;
    DDRL_REST(1)
    DDRL_REST(2)
    DDRL_REST(3)
    DDRL_REST(4)
    DDRL_REST(5)
    DDRL_REST(6)
    DDRL_REST(7)
    DDRL_REST(8)
    DDRL_REST(9)
    DDRL_REST(10)
    DDRL_REST(11)
#undef DDRL_REST
    default:
      break;
  }
}

void conv3x3FilterGrad(const float* x, const float* dy, float* dw, const ConvGeometry& g) {
  const int outP = padded(g.out);
  const size_t dwSize = static_cast<size_t>(9) * g.in * outP;
  // Images are split into parts, each summed into its own buffer; the parts are added at the end.
  const int parts = lo(g.n, 4 * pool_threads());
  Floats partial;
  partial.zeroed(dwSize * parts);
  auto part = [&](int p) {
    Floats scratch(static_cast<size_t>(3) * row_columns(g) * g.in);
    Floats dyRow;
    dyRow.zeroed(static_cast<size_t>(g.outW) * outP);
    float* acc = partial.data() + dwSize * p;
    for (int b = g.n * p / parts; b < g.n * (p + 1) / parts; b++) {
      for (int oy = 0; oy < g.outH; oy++) {
        const InputRows rows = read_rows(x, g, b, oy, scratch.data());
        const float* src = dy + (static_cast<size_t>(b) * g.outH + oy) * g.outW * g.out;
        for (int ox = 0; ox < g.outW; ox++) std::memcpy(dyRow.data() + static_cast<size_t>(ox) * outP, src + static_cast<size_t>(ox) * g.out, g.out * sizeof(float));
        for (int ky = 0; ky < 3; ky++) {
          if (!(rows.valid >> ky & 1)) continue;
          for (int kx = 0; kx < 3; kx++) {
            float* dwTap = acc + static_cast<size_t>(ky * 3 + kx) * g.in * outP;
            for (int o0 = 0; o0 < outP; o0 += 2 * kLanes) {
              if (outP - o0 > kLanes)
                filter_grad_tap<6, 2>(rows.row[ky], kx, g, dyRow.data(), outP, o0, dwTap);
              else
                filter_grad_tap<12, 1>(rows.row[ky], kx, g, dyRow.data(), outP, o0, dwTap);
            }
          }
        }
      }
    }
  };
  parallel_for(parts, part);
  for (int tap = 0; tap < 9; tap++)
    for (int i = 0; i < g.in; i++)
      for (int o = 0; o < g.out; o++) {
        const size_t at = (static_cast<size_t>(tap) * g.in + i) * outP + o;
        float sum = 0.f;
        for (int p = 0; p < parts; p++) sum += partial.data()[dwSize * p + at];
        dw[(static_cast<size_t>(tap) * g.in + i) * g.out + o] = sum;
      }
}

}  // namespace
}  // namespace DDRL_ISA
}  // namespace ddrl
