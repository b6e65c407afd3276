// Elementwise kernels that tfjs's wasm backend runs as several generic passes: the relu
// gradient (Step, Cast and Multiply there), and a conv bias's gradient and its adjoint
// (a sum over every axis but the channels, and the broadcast back; Tile is the slowest
// kernel of gradient matching on wasm).
#pragma once
#include <cstddef>

#include "scratch.h"
#include "simd.h"
#include "thread_pool.h"

namespace ddrl {
namespace DDRL_ISA {
namespace {

constexpr size_t kElementChunk = 1 << 16;

int element_chunks(size_t count) { return static_cast<int>((count + kElementChunk - 1) / kElementChunk); }

/** y = max(x, 0). */
void relu(const float* x, float* y, size_t count) {
  auto part = [&](int task) {
    const size_t end = count < (task + 1) * kElementChunk ? count : (task + 1) * kElementChunk;
    for (size_t i = task * kElementChunk; i < end; i++) y[i] = x[i] > 0.f ? x[i] : 0.f;
  };
  parallel_for(element_chunks(count), part);
}

/** y = a + b, same shapes. */
void add(const float* a, const float* b, float* y, size_t count) {
  auto part = [&](int task) {
    const size_t end = count < (task + 1) * kElementChunk ? count : (task + 1) * kElementChunk;
    for (size_t i = task * kElementChunk; i < end; i++) y[i] = a[i] + b[i];
  };
  parallel_for(element_chunks(count), part);
}

/**
 * One Adam step of one parameter, as PyTorch and tfjs compute it: m' = b1 m + (1 - b1) g,
 * v' = b2 v + (1 - b2) g^2, p' = p - lr (m' c1) / (sqrt(v' c2) + eps), where c1 and c2
 * undo the moments' bias (1 / (1 - b^t)). Writes new arrays; the inputs stay as they were.
 */
void adamUpdate(const float* p, const float* g, const float* m, const float* v, float* pOut, float* mOut, float* vOut, size_t count, const AdamStep& s) {
  auto part = [&](int task) {
    const size_t end = count < (task + 1) * kElementChunk ? count : (task + 1) * kElementChunk;
    for (size_t i = task * kElementChunk; i < end; i++) {
      const float m1 = s.beta1 * m[i] + (1.f - s.beta1) * g[i];
      const float v1 = s.beta2 * v[i] + (1.f - s.beta2) * g[i] * g[i];
      mOut[i] = m1;
      vOut[i] = v1;
      pOut[i] = p[i] - s.learningRate * (m1 * s.firstCorrection) / (__builtin_sqrtf(v1 * s.secondCorrection) + s.epsilon);
    }
  };
  parallel_for(element_chunks(count), part);
}

/** dx = dy where x > 0, else 0. */
void reluGrad(const float* dy, const float* x, float* dx, size_t count) {
  auto part = [&](int task) {
    size_t i = task * kElementChunk;
    const size_t end = count < i + kElementChunk ? count : i + kElementChunk;
    for (; i + kLanes <= end; i += kLanes) {
      const vint positive = load(x + i) > splat(0.f);
      store(dx + i, (vfloat)((vint)load(dy + i) & positive));
    }
    for (; i < end; i++) dx[i] = x[i] > 0.f ? dy[i] : 0.f;
  };
  parallel_for(element_chunks(count), part);
}

int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

/**
 * y[c] = sum over rows of x[row, c]: x is [rows, channels]. Read as a flat array, x repeats
 * its channel pattern every lcm(channels, kLanes) floats, so whole vectors are summed over
 * those periods and folded into channels at the end (12 channels: 3 vectors per 2 rows).
 */
void sumToChannels(const float* x, float* y, size_t rows, int channels) {
  const int period = channels / gcd(channels, kLanes) * kLanes;
  const size_t total = rows * channels;
  const size_t periods = total / period;
  const int parts = static_cast<int>(periods < 4u * pool_threads() ? (periods > 0 ? periods : 1) : 4u * pool_threads());
  Floats partial;
  partial.zeroed(static_cast<size_t>(parts) * period);
  auto part = [&](int p) {
    float* acc = partial.data() + static_cast<size_t>(p) * period;
    for (size_t q = periods * p / parts; q < periods * (p + 1) / parts; q++) {
      const float* src = x + q * period;
      for (int i = 0; i < period; i += kLanes) store(acc + i, load(acc + i) + load(src + i));
    }
  };
  parallel_for(parts, part);
  for (int c = 0; c < channels; c++) y[c] = 0.f;
  for (int p = 0; p < parts; p++)
    for (int i = 0; i < period; i++) y[i % channels] += partial.data()[static_cast<size_t>(p) * period + i];
  for (size_t i = periods * period; i < total; i++) y[i % channels] += x[i];
}

/** y[row, c] = v[c] for every row: the adjoint of sumToChannels. */
void broadcastChannels(const float* v, float* y, size_t rows, int channels) {
  const size_t rowsPerTask = kElementChunk / channels + 1;
  auto part = [&](int task) {
    const size_t end = rows < (task + 1) * rowsPerTask ? rows : (task + 1) * rowsPerTask;
    for (size_t r = task * rowsPerTask; r < end; r++) std::memcpy(y + r * channels, v, channels * sizeof(float));
  };
  parallel_for(static_cast<int>((rows + rowsPerTask - 1) / rowsPerTask), part);
}

}  // namespace
}  // namespace DDRL_ISA
}  // namespace ddrl
