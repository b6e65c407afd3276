// Max-pool's gradient pieces: each window's argmax, and the scatter (gradient) and gather
// (its adjoint) through those indexes. Indexes are flat, batch included, as tfjs's
// MaxPoolWithArgmax gives them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "scratch.h"
#include "simd.h"
#include "thread_pool.h"

namespace ddrl {
namespace DDRL_ISA {
namespace {

void maxPoolArgmax(const float* x, int32_t* argmax, float* y, int n, int h, int w, int c, int outH, int outW, int size, int stride, int pad) {
  vint laneIndex;
  for (int l = 0; l < kLanes; l++) laneIndex[l] = l;
  auto row = [&](int task) {
    const int b = task / outH;
    const int oy = task % outH;
    const int y0 = hi(0, oy * stride - pad);
    const int y1 = lo(h, oy * stride - pad + size);
    for (int ox = 0; ox < outW; ox++) {
      const int x0 = hi(0, ox * stride - pad);
      const int x1 = lo(w, ox * stride - pad + size);
      const size_t out = ((static_cast<size_t>(b) * outH + oy) * outW + ox) * c;
      int32_t* dst = argmax + out;
      float* maxima = y + out;
      const auto at = [&](int iy, int ix, int ch) { return static_cast<int32_t>(((static_cast<size_t>(b) * h + iy) * w + ix) * c + ch); };
      int ch = 0;
      for (; ch + kLanes <= c; ch += kLanes) {
        vfloat best = load(x + at(y0, x0, ch));
        vint index = splat_int(at(y0, x0, ch)) + laneIndex;
        for (int iy = y0; iy < y1; iy++)
          for (int ix = x0; ix < x1; ix++) {
            const vfloat v = load(x + at(iy, ix, ch));
            const vint better = v > best;  // strict: the first maximum wins ties
            best = (vfloat)(((vint)v & better) | ((vint)best & ~better));
            index = ((splat_int(at(iy, ix, ch)) + laneIndex) & better) | (index & ~better);
          }
        store_int(dst + ch, index);
        store(maxima + ch, best);
      }
      for (; ch < c; ch++) {
        int32_t bestAt = at(y0, x0, ch);
        for (int iy = y0; iy < y1; iy++)
          for (int ix = x0; ix < x1; ix++)
            if (x[at(iy, ix, ch)] > x[bestAt]) bestAt = at(iy, ix, ch);
        dst[ch] = bestAt;
        maxima[ch] = x[bestAt];
      }
    }
  };
  parallel_for(n * outH, row);
}

/** Max over each window (padding never wins): window `size`, `stride`, `pad`. */
void maxPool(const float* x, float* y, int n, int h, int w, int c, int outH, int outW, int size, int stride, int pad) {
  auto row = [&](int task) {
    const int b = task / outH;
    const int oy = task % outH;
    const int y0 = hi(0, oy * stride - pad);
    const int y1 = lo(h, oy * stride - pad + size);
    for (int ox = 0; ox < outW; ox++) {
      const int x0 = hi(0, ox * stride - pad);
      const int x1 = lo(w, ox * stride - pad + size);
      float* dst = y + ((static_cast<size_t>(b) * outH + oy) * outW + ox) * c;
      std::memcpy(dst, x + ((static_cast<size_t>(b) * h + y0) * w + x0) * c, c * sizeof(float));
      for (int iy = y0; iy < y1; iy++)
        for (int ix = x0; ix < x1; ix++) {
          const float* src = x + ((static_cast<size_t>(b) * h + iy) * w + ix) * c;
          for (int ch = 0; ch < c; ch++) dst[ch] = src[ch] > dst[ch] ? src[ch] : dst[ch];
        }
    }
  };
  parallel_for(n * outH, row);
}

/** y = 2x2 average pool, stride 2 (x [n, h, w, c] -> [n, h / 2, w / 2, c]; odd last rows/columns dropped). */
void avgPool2(const float* x, float* y, int n, int h, int w, int c) {
  const int outH = h / 2;
  const int outW = w / 2;
  auto row = [&](int task) {
    const int b = task / outH;
    const int oy = task % outH;
    const float* top = x + (static_cast<size_t>(b) * h + 2 * oy) * w * c;
    const float* bottom = top + static_cast<size_t>(w) * c;
    float* dst = y + (static_cast<size_t>(b) * outH + oy) * outW * c;
    for (int ox = 0; ox < outW; ox++)
      for (int ch = 0; ch < c; ch++) {
        const size_t left = static_cast<size_t>(2 * ox) * c + ch;
        dst[static_cast<size_t>(ox) * c + ch] = 0.25f * (top[left] + top[left + c] + bottom[left] + bottom[left + c]);
      }
  };
  parallel_for(n * outH, row);
}

/** The adjoint of avgPool2: dx [n, h, w, c] gets a quarter of dy in each 2x2 block, zero in odd last rows/columns. */
void avgPool2Spread(const float* dy, float* dx, int n, int h, int w, int c) {
  const int outH = h / 2;
  const int outW = w / 2;
  auto row = [&](int task) {
    const int b = task / h;
    const int iy = task % h;
    float* dst = dx + (static_cast<size_t>(b) * h + iy) * w * c;
    if (iy >= 2 * outH) {
      std::memset(dst, 0, static_cast<size_t>(w) * c * sizeof(float));
      return;
    }
    const float* src = dy + (static_cast<size_t>(b) * outH + iy / 2) * outW * c;
    for (int ix = 0; ix < 2 * outW; ix++)
      for (int ch = 0; ch < c; ch++) dst[static_cast<size_t>(ix) * c + ch] = 0.25f * src[static_cast<size_t>(ix / 2) * c + ch];
    std::memset(dst + static_cast<size_t>(2 * outW) * c, 0, static_cast<size_t>(w - 2 * outW) * c * sizeof(float));
  };
  parallel_for(n * h, row);
}

/** Work items of about this many elements: enough to outweigh a task's overhead. */
constexpr size_t kChunk = 1 << 16;

int chunks(size_t count) { return static_cast<int>((count + kChunk - 1) / kChunk); }

/** out[i] = values[indices[i]]; an index outside [0, valueCount) reads NaN (never from our argmax). */
void gatherFlat(const float* values, size_t valueCount, const int32_t* indices, float* out, size_t count) {
  auto part = [&](int task) {
    const size_t end = count < (task + 1) * kChunk ? count : (task + 1) * kChunk;
    for (size_t i = task * kChunk; i < end; i++) {
      const int32_t at = indices[i];
      out[i] = at >= 0 && static_cast<size_t>(at) < valueCount ? values[at] : __builtin_nanf("");
    }
  };
  parallel_for(chunks(count), part);
}

/**
 * out = 0, then out[indices[i]] += values[i]. Group g (an image) holds values
 * [g * valuesPerGroup, ...) whose indexes lie in [g * outPerGroup, ...), so groups run in
 * parallel without two threads adding to one element. Indexes outside the group are skipped.
 */
void scatterAddFlat(const float* values, const int32_t* indices, float* out, int groups, size_t valuesPerGroup, size_t outPerGroup) {
  auto group = [&](int g) {
    float* dst = out + g * outPerGroup;
    std::memset(dst, 0, outPerGroup * sizeof(float));
    const size_t first = g * outPerGroup;
    for (size_t i = g * valuesPerGroup; i < (g + 1) * valuesPerGroup; i++) {
      const size_t at = static_cast<size_t>(indices[i]) - first;
      if (indices[i] >= 0 && at < outPerGroup) dst[at] += values[i];
    }
  };
  parallel_for(groups, group);
}

}  // namespace
}  // namespace DDRL_ISA
}  // namespace ddrl
