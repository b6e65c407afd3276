// The kernels the learning core runs natively, one table per instruction set.
// Layouts are TensorFlow.js's: NHWC activations, HWIO filters ([3, 3, in, out]).
#pragma once
#include <cstddef>
#include <cstdint>

namespace ddrl {

/**
 * A 3x3 convolution's geometry: input [n, h, w, in], output [n, outH, outW, out].
 * Output pixel (oy, ox) reads input (oy * stride + ky - padTop, ox * stride + kx - padLeft);
 * positions outside the input read zero.
 */
struct ConvGeometry {
  int n, h, w, in, out, outH, outW, stride, padTop, padLeft;
};

/** One Adam step's scalars; the corrections are 1 / (1 - beta^t). */
struct AdamStep {
  float learningRate, beta1, beta2, epsilon, firstCorrection, secondCorrection;
};

struct KernelTable {
  const char* isa;
  /**
   * y = conv(x, W) (+ bias when not null). With `transposedFilter`, `filter` is read as
   * [3, 3, out, in] and rotated by 180 degrees: the input gradient of a stride-1 conv.
   * With `reluInput`, x is read as max(x, 0); with a `mask` (y's shape), y is zero wherever
   * the mask is not positive: the input gradient of a conv that reads a relu.
   */
  void (*conv3x3)(const float* x, const float* filter, const float* bias, float* y, const ConvGeometry& g, bool transposedFilter, bool reluInput, const float* mask);
  /**
   * dW[ky, kx, in, out] = sum over pixels of x(shifted by ky, kx) * dy: the filter gradient;
   * and db[out] = sum over pixels of dy, the bias gradient, read from the same pass over dy.
   * With `reluInput`, x is read as max(x, 0).
   */
  void (*conv3x3FilterGrad)(const float* x, const float* dy, float* dw, float* db, const ConvGeometry& g, bool reluInput);
  /**
   * For each output of a max-pool (window `size`, `stride`, `pad`, padding never wins), the
   * flat index (batch included) of its window's first maximum in x [n, h, w, c], and that
   * maximum in y.
   */
  void (*maxPoolArgmax)(const float* x, int32_t* argmax, float* y, int n, int h, int w, int c, int outH, int outW, int size, int stride, int pad);
  /** Max over each window, padding never winning. */
  void (*maxPool)(const float* x, float* y, int n, int h, int w, int c, int outH, int outW, int size, int stride, int pad);
  /** 2x2 average pool, stride 2, and its adjoint (dx [n, h, w, c] from dy [n, h / 2, w / 2, c]). */
  void (*avgPool2)(const float* x, float* y, int n, int h, int w, int c);
  void (*avgPool2Spread)(const float* dy, float* dx, int n, int h, int w, int c);
  /** out[i] = values[indices[i]] (NaN for an index outside the values). */
  void (*gatherFlat)(const float* values, size_t valueCount, const int32_t* indices, float* out, size_t count);
  /** out = 0, out[indices[i]] += values[i], in `groups` independent parts (see pool_impl.h). */
  void (*scatterAddFlat)(const float* values, const int32_t* indices, float* out, int groups, size_t valuesPerGroup, size_t outPerGroup);
  /** y = max(x, 0). */
  void (*relu)(const float* x, float* y, size_t count);
  /** y = a + b (same shapes). */
  void (*add)(const float* a, const float* b, float* y, size_t count);
  /** One Adam step of one parameter into new arrays (see elementwise_impl.h). */
  void (*adamUpdate)(const float* p, const float* g, const float* m, const float* v, float* pOut, float* mOut, float* vOut, size_t count, const AdamStep& step);
  /** dx = dy where x > 0, else 0. */
  void (*reluGrad)(const float* dy, const float* x, float* dx, size_t count);
  /** y[c] = sum over rows of x[row][c]. */
  void (*sumToChannels)(const float* x, float* y, size_t rows, int channels);
  /** y[row][c] = v[c]. */
  void (*broadcastChannels)(const float* v, float* y, size_t rows, int channels);
  /** C[i] = op(A[i]) op(B[i]) (see matmul_impl.h). */
  void (*matmul)(const float* a, const float* b, float* c, int batch, int batchA, int batchB, int m, int k, int n, bool transposeA, bool transposeB);
};

namespace generic {
extern const KernelTable table;
}
namespace avx2 {
extern const KernelTable table;
}

}  // namespace ddrl
