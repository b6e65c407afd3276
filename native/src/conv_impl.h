// 3x3 convolution (forward, and the input gradient through a rotated, transposed filter) and
// its filter gradient, straight from NHWC rows without im2col: each output row copies the
// (up to) three input rows it reads into a zero-padded scratch row, then tiles of MR output
// pixels x NV vectors of output channels accumulate in registers while the taps and input
// channels stream by (one broadcast input value times one filter vector per multiply-add).
// The filter gradient is the same loop with the roles swapped: tiles of MR filter rows x NV
// vectors of output channels, streaming over bands of output pixels; the bias gradient (dy
// summed over pixels) comes out of the same pass. Within one filter row
// ky, the three taps' input channels are contiguous both in a pixel's window (kx * in + i)
// and in the packed filter, so both kernels loop over 3 * in values, not three times in.
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
 * j - padLeft, zeros outside the image, each value max(x, 0) with `relu`. Returns false (row
 * untouched) when iy is outside.
 */
bool fill_row(const float* x, const ConvGeometry& g, int b, int iy, bool relu, float* row) {
  if (iy < 0 || iy >= g.h) return false;
  const int columns = row_columns(g);
  const float* src = x + (static_cast<size_t>(b) * g.h + iy) * g.w * g.in;
  const int first = lo(hi(0, g.padLeft), columns);
  const int last = hi(first, lo(columns, g.padLeft + g.w));
  std::memset(row, 0, static_cast<size_t>(first) * g.in * sizeof(float));
  float* inside = row + static_cast<size_t>(first) * g.in;
  const size_t count = static_cast<size_t>(last - first) * g.in;
  std::memcpy(inside, src + static_cast<size_t>(first - g.padLeft) * g.in, count * sizeof(float));
  if (relu)
    for (size_t i = 0; i < count; i++) inside[i] = inside[i] > 0.f ? inside[i] : 0.f;
  std::memset(row + static_cast<size_t>(last) * g.in, 0, static_cast<size_t>(columns - last) * g.in * sizeof(float));
  return true;
}

/** The three input rows one output row reads; `valid` has bit ky set when row ky exists. */
struct InputRows {
  const float* row[3];
  int valid;
};

InputRows read_rows(const float* x, const ConvGeometry& g, int b, int oy, bool relu, float* scratch) {
  InputRows rows{{nullptr, nullptr, nullptr}, 0};
  const size_t rowSize = static_cast<size_t>(row_columns(g)) * g.in;
  for (int ky = 0; ky < 3; ky++) {
    float* row = scratch + ky * rowSize;
    rows.row[ky] = row;
    if (fill_row(x, g, b, oy * g.stride + ky - g.padTop, relu, row)) rows.valid |= 1 << ky;
  }
  return rows;
}

/** v where the mask is positive, else 0. */
inline vfloat masked(vfloat v, vfloat mask) { return (vfloat)((vint)v & (mask > splat(0.f))); }

// ---------------------------------------------------------------- forward convolution

/**
 * MR output pixels from column ox0, output channels [o0, o0 + count), count <= NV * kLanes.
 * Not inlined: inlined into its callers, GCC spills the accumulators (measured: half the speed).
 */
template <int MR, int NV>
__attribute__((noinline)) void conv_tile(const InputRows& rows, const ConvGeometry& g, int ox0, const float* packed, int outP, int o0, const vfloat* bias, float* yRow,
                                         const float* maskRow, int count) {
  vfloat acc[MR][NV];
  for (int m = 0; m < MR; m++)
    for (int v = 0; v < NV; v++) acc[m][v] = bias[v];
  const int step = g.stride * g.in;
  const int window = 3 * g.in;
  for (int ky = 0; ky < 3; ky++) {
    if (!(rows.valid >> ky & 1)) continue;
    const float* px = rows.row[ky] + static_cast<size_t>(ox0) * step;
    const float* pw = packed + static_cast<size_t>(ky) * window * outP + o0;
    for (int j = 0; j < window; j++) {
      vfloat w[NV];
      for (int v = 0; v < NV; v++) w[v] = load(pw + static_cast<size_t>(j) * outP + v * kLanes);
      for (int m = 0; m < MR; m++) {
        const vfloat a = splat(px[m * step + j]);
        for (int v = 0; v < NV; v++) acc[m][v] += a * w[v];
      }
    }
  }
  for (int m = 0; m < MR; m++) {
    const size_t at = static_cast<size_t>(ox0 + m) * g.out + o0;
    for (int v = 0; v < NV; v++) {
      const int lanes = count - v * kLanes;
      if (lanes >= kLanes)
        store(yRow + at + v * kLanes, maskRow ? masked(acc[m][v], load(maskRow + at + v * kLanes)) : acc[m][v]);
      else if (lanes > 0)
        store_partial(yRow + at + v * kLanes, maskRow ? masked(acc[m][v], load_partial(maskRow + at + v * kLanes, lanes)) : acc[m][v], lanes);
    }
  }
}

/** A whole output row for one channel chunk: tiles of MR pixels, then one narrower tile. */
template <int MR, int NV>
void conv_row(const InputRows& rows, const ConvGeometry& g, const float* packed, int outP, int o0, const vfloat* bias, float* yRow, const float* maskRow, int count) {
  in_blocks<MR>(g.outW, [&](auto block, int ox) { conv_tile<decltype(block)::size, NV>(rows, g, ox, packed, outP, o0, bias, yRow, maskRow, count); });
}

void conv3x3(const float* x, const float* filter, const float* bias, float* y, const ConvGeometry& g, bool transposedFilter, bool reluInput, const float* mask) {
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
    const InputRows rows = read_rows(x, g, b, oy, reluInput, scratch.data());
    const size_t rowStart = (static_cast<size_t>(b) * g.outH + oy) * g.outW * g.out;
    float* yRow = y + rowStart;
    const float* maskRow = mask ? mask + rowStart : nullptr;
    // Chunks of two vectors of output channels (6 pixels x 2 vectors: 12 accumulators
    // + 2 filter vectors + 1 broadcast fit AVX2's 16 registers), or one vector x 12 pixels.
    for (int o0 = 0; o0 < g.out; o0 += 2 * kLanes) {
      const int count = lo(2 * kLanes, g.out - o0);
      vfloat biasV[2] = {load(biasPadded.data() + o0), count > kLanes ? load(biasPadded.data() + o0 + kLanes) : vfloat{}};
      if (count > kLanes)
        conv_row<6, 2>(rows, g, packed.data(), outP, o0, biasV, yRow, maskRow, count);
      else
        conv_row<12, 1>(rows, g, packed.data(), outP, o0, biasV, yRow, maskRow, count);
    }
  };
  parallel_for(g.n * g.outH, row);
}

// ---------------------------------------------------------------- filter gradient

/** A band of output rows of one image, with the input rows each reads and its dy row padded to whole vectors. */
struct Band {
  static constexpr int kMaxRows = 32;
  InputRows rows[kMaxRows];
  const float* dy[kMaxRows];
  int count;
};

/**
 * dW rows [j0, j0 + MR) of filter row ky (row j = kx * in + i), output channels
 * [o0, o0 + NV * kLanes), += the band's contribution.
 */
template <int MR, int NV>
__attribute__((noinline)) void filter_grad_block(const Band& band, int ky, int j0, const ConvGeometry& g, int outP, int o0, float* dwRows) {
  vfloat acc[MR][NV];
  for (int m = 0; m < MR; m++)
    for (int v = 0; v < NV; v++) acc[m][v] = load(dwRows + static_cast<size_t>(j0 + m) * outP + o0 + v * kLanes);
  const int step = g.stride * g.in;
  for (int r = 0; r < band.count; r++) {
    if (!(band.rows[r].valid >> ky & 1)) continue;
    const float* px = band.rows[r].row[ky] + j0;
    const float* dyRow = band.dy[r] + o0;
    for (int ox = 0; ox < g.outW; ox++) {
      vfloat d[NV];
      for (int v = 0; v < NV; v++) d[v] = load(dyRow + static_cast<size_t>(ox) * outP + v * kLanes);
      for (int m = 0; m < MR; m++) {
        const vfloat a = splat(px[ox * step + m]);
        for (int v = 0; v < NV; v++) acc[m][v] += a * d[v];
      }
    }
  }
  for (int m = 0; m < MR; m++)
    for (int v = 0; v < NV; v++) store(dwRows + static_cast<size_t>(j0 + m) * outP + o0 + v * kLanes, acc[m][v]);
}

/** Every row of filter row ky for one channel chunk: blocks of MR, then one narrower block. */
template <int MR, int NV>
void filter_grad_row(const Band& band, int ky, const ConvGeometry& g, int outP, int o0, float* dwRows) {
  in_blocks<MR>(3 * g.in, [&](auto block, int j) { filter_grad_block<decltype(block)::size, NV>(band, ky, j, g, outP, o0, dwRows); });
}

void conv3x3FilterGrad(const float* x, const float* dy, float* dw, float* db, const ConvGeometry& g, bool reluInput) {
  const int outP = padded(g.out);
  const int window = 3 * g.in;
  // Each part's buffer: dW [9 * in][outP], then the bias gradient [outP] (dy summed over pixels).
  const size_t dwSize = static_cast<size_t>(9) * g.in * outP + outP;
  // Bands of about 128 output pixels: the accumulators are loaded and stored once per band.
  const int bandRows = lo(Band::kMaxRows, hi(1, 128 / g.outW));
  const size_t rowSize = static_cast<size_t>(row_columns(g)) * g.in;
  // Images are split into parts, each summed into its own buffer; the parts are added at the end.
  const int parts = lo(g.n, 4 * pool_threads());
  Floats partial;
  partial.zeroed(dwSize * parts);
  auto part = [&](int p) {
    Floats scratch(3 * rowSize * bandRows);
    Floats dyRows;
    dyRows.zeroed(static_cast<size_t>(bandRows) * g.outW * outP);
    float* acc = partial.data() + dwSize * p;
    Band band;
    for (int b = g.n * p / parts; b < g.n * (p + 1) / parts; b++) {
      for (int oy0 = 0; oy0 < g.outH; oy0 += bandRows) {
        band.count = lo(bandRows, g.outH - oy0);
        for (int r = 0; r < band.count; r++) {
          band.rows[r] = read_rows(x, g, b, oy0 + r, reluInput, scratch.data() + 3 * rowSize * r);
          float* padded = dyRows.data() + static_cast<size_t>(r) * g.outW * outP;
          const float* src = dy + (static_cast<size_t>(b) * g.outH + oy0 + r) * g.outW * g.out;
          for (int ox = 0; ox < g.outW; ox++) std::memcpy(padded + static_cast<size_t>(ox) * outP, src + static_cast<size_t>(ox) * g.out, g.out * sizeof(float));
          band.dy[r] = padded;
          float* biasAcc = acc + dwSize - outP;
          for (int ox = 0; ox < g.outW; ox++)
            for (int o = 0; o < outP; o += kLanes) store(biasAcc + o, load(biasAcc + o) + load(padded + static_cast<size_t>(ox) * outP + o));
        }
        for (int ky = 0; ky < 3; ky++) {
          float* dwRows = acc + static_cast<size_t>(ky) * window * outP;
          for (int o0 = 0; o0 < outP; o0 += 2 * kLanes) {
            if (outP - o0 > kLanes)
              filter_grad_row<6, 2>(band, ky, g, outP, o0, dwRows);
            else
              filter_grad_row<12, 1>(band, ky, g, outP, o0, dwRows);
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
  for (int o = 0; o < g.out; o++) {
    float sum = 0.f;
    for (int p = 0; p < parts; p++) sum += partial.data()[dwSize * (p + 1) - outP + o];
    db[o] = sum;
  }
}

}  // namespace
}  // namespace DDRL_ISA
}  // namespace ddrl
