// Node-API entry points. The kernels read and write TensorFlow.js's wasm heap in place:
// each call gets the heap's ArrayBuffer and byte offsets of the tensors in it (the wasm
// backend's memory offsets), so no tensor is copied between wasm and native code.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "kernels.h"
#include "thread_pool.h"

namespace {

const ddrl::KernelTable& chosen_kernels() {
#if defined(DDRL_HAVE_AVX2)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ddrl::avx2::table;
#endif
  return ddrl::generic::table;
}

const ddrl::KernelTable& kernels = chosen_kernels();

/** One call's arguments: argument 0 is the heap, the rest are numbers and booleans. */
class Call {
 public:
  Call(napi_env env, napi_callback_info info, size_t expected, const char* name) : env_(env), name_(name) {
    size_t count = kMaxArgs;
    napi_get_cb_info(env, info, &count, argv_, nullptr, nullptr);
    if (expected > kMaxArgs) fail("reads at most " + std::to_string(kMaxArgs) + " arguments: raise kMaxArgs in addon.cc");
    if (ok() && count != expected) fail("expected " + std::to_string(expected) + " arguments, got " + std::to_string(count));
    bool isBuffer = false;
    if (ok() && (napi_is_arraybuffer(env, argv_[0], &isBuffer) != napi_ok || !isBuffer)) fail("argument 0 must be the wasm heap's ArrayBuffer");
    if (ok()) napi_get_arraybuffer_info(env, argv_[0], &heap_, &heapBytes_);
  }

  bool ok() const { return ok_; }

  int integer(size_t index) {
    int32_t value = 0;
    if (ok() && napi_get_value_int32(env_, argv_[index], &value) != napi_ok) fail("argument " + std::to_string(index) + " must be a number");
    return value;
  }

  /** A non-negative whole number that may exceed int32 (an element count). */
  size_t count(size_t index) {
    double value = 0;
    if (ok() && (napi_get_value_double(env_, argv_[index], &value) != napi_ok || !(value >= 0) || value != std::floor(value) || value > 9.0e15))
      fail("argument " + std::to_string(index) + " must be a whole number >= 0");
    return ok() ? static_cast<size_t>(value) : 0;
  }

  double number(size_t index) {
    double value = 0;
    if (ok() && (napi_get_value_double(env_, argv_[index], &value) != napi_ok || !std::isfinite(value))) fail("argument " + std::to_string(index) + " must be a finite number");
    return value;
  }

  bool flag(size_t index) {
    bool value = false;
    if (ok() && napi_get_value_bool(env_, argv_[index], &value) != napi_ok) fail("argument " + std::to_string(index) + " must be a boolean");
    return value;
  }

  /** `count` elements of T at the byte offset given by argument `index`, checked against the heap. */
  template <typename T>
  T* at(size_t index, double count) {
    double offset = 0;
    if (ok() && napi_get_value_double(env_, argv_[index], &offset) != napi_ok) fail("argument " + std::to_string(index) + " must be a byte offset");
    if (!ok()) return nullptr;
    const double bytes = count * sizeof(T);
    if (!(offset >= 0) || std::fmod(offset, alignof(T)) != 0 || offset + bytes > static_cast<double>(heapBytes_)) {
      fail("argument " + std::to_string(index) + ": " + std::to_string(static_cast<long long>(bytes)) + " bytes at offset " +
           std::to_string(static_cast<long long>(offset)) + " do not lie in the " + std::to_string(heapBytes_) + "-byte heap");
      return nullptr;
    }
    return reinterpret_cast<T*>(static_cast<char*>(heap_) + static_cast<size_t>(offset));
  }

  /** A Float32Array argument of exactly `count` elements (memory outside the heap). */
  float* floats(size_t index, size_t count) {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    bool isTyped = false;
    if (ok() && (napi_is_typedarray(env_, argv_[index], &isTyped) != napi_ok || !isTyped)) fail("argument " + std::to_string(index) + " must be a Float32Array");
    if (ok() && (napi_get_typedarray_info(env_, argv_[index], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_float32_array || length != count))
      fail("argument " + std::to_string(index) + " must be a Float32Array of " + std::to_string(count) + " values");
    return ok() ? static_cast<float*>(data) : nullptr;
  }

  /** Like at(), but a negative offset means "none" (an optional tensor). */
  template <typename T>
  T* optional_at(size_t index, double count) {
    double offset = 0;
    if (ok() && napi_get_value_double(env_, argv_[index], &offset) == napi_ok && offset < 0) return nullptr;
    return at<T>(index, count);
  }

  void fail(const std::string& message) {
    if (!ok_) return;
    ok_ = false;
    napi_throw_range_error(env_, "DDRL_NATIVE_ARGUMENTS", (std::string(name_) + ": " + message).c_str());
  }

 private:
  static constexpr size_t kMaxArgs = 18;
  napi_env env_;
  const char* name_;
  napi_value argv_[kMaxArgs] = {};
  void* heap_ = nullptr;
  size_t heapBytes_ = 0;
  bool ok_ = true;
};

/** Arguments [first, first + 10): n, h, w, in, out, outH, outW, stride, padTop, padLeft. */
ddrl::ConvGeometry geometry(Call& call, size_t first) {
  ddrl::ConvGeometry g{};
  int* fields[] = {&g.n, &g.h, &g.w, &g.in, &g.out, &g.outH, &g.outW, &g.stride, &g.padTop, &g.padLeft};
  for (size_t i = 0; i < 10; i++) *fields[i] = call.integer(first + i);
  if (call.ok() && (g.n < 1 || g.h < 1 || g.w < 1 || g.in < 1 || g.out < 1 || g.outH < 1 || g.outW < 1 || g.stride < 1 || g.padTop < 0 || g.padLeft < 0))
    call.fail("every size must be positive and paddings not negative");
  return g;
}

double elements(double a, double b, double c, double d) { return a * b * c * d; }

/** Every pooling window must hold at least one input element. */
void check_pool_windows(Call& call, int n, int h, int w, int c, int outH, int outW, int size, int stride, int pad) {
  if (call.ok() && (n < 1 || h < 1 || w < 1 || c < 1 || outH < 1 || outW < 1 || size < 1 || stride < 1 || pad < 0 || pad >= size))
    call.fail("every size must be positive and the padding smaller than the window");
  if (call.ok() && (static_cast<double>(outH - 1) * stride - pad >= h || static_cast<double>(outW - 1) * stride - pad >= w))
    call.fail("the last window lies outside the input");
}

// conv3x3(heap, x, filter, bias (-1: none), y, transposedFilter, reluInput, mask (-1: none), n, h, w, in, out, outH, outW, stride, padTop, padLeft)
napi_value Conv3x3(napi_env env, napi_callback_info info) {
  Call call(env, info, 18, "conv3x3");
  const bool transposed = call.flag(5);
  const bool reluInput = call.flag(6);
  const ddrl::ConvGeometry g = geometry(call, 8);
  const float* x = call.at<float>(1, elements(g.n, g.h, g.w, g.in));
  const float* filter = call.at<float>(2, 9.0 * g.in * g.out);
  const float* bias = call.optional_at<float>(3, g.out);
  float* y = call.at<float>(4, elements(g.n, g.outH, g.outW, g.out));
  const float* mask = call.optional_at<float>(7, elements(g.n, g.outH, g.outW, g.out));
  if (call.ok()) kernels.conv3x3(x, filter, bias, y, g, transposed, reluInput, mask);
  return nullptr;
}

// conv3x3FilterGrad(heap, x, dy, dw, db: Float32Array, reluInput, n, h, w, in, out, outH, outW, stride, padTop, padLeft)
// db lies outside the heap: the bias gradient goes to JavaScript, which keeps it for when it is asked for.
napi_value Conv3x3FilterGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, 16, "conv3x3FilterGrad");
  const bool reluInput = call.flag(5);
  const ddrl::ConvGeometry g = geometry(call, 6);
  const float* x = call.at<float>(1, elements(g.n, g.h, g.w, g.in));
  const float* dy = call.at<float>(2, elements(g.n, g.outH, g.outW, g.out));
  float* dw = call.at<float>(3, 9.0 * g.in * g.out);
  float* db = call.floats(4, g.out);
  if (call.ok()) kernels.conv3x3FilterGrad(x, dy, dw, db, g, reluInput);
  return nullptr;
}

// maxPoolArgmax(heap, x, argmax, y, n, h, w, c, outH, outW, size, stride, pad)
napi_value MaxPoolArgmax(napi_env env, napi_callback_info info) {
  Call call(env, info, 13, "maxPoolArgmax");
  int v[9];
  for (int i = 0; i < 9; i++) v[i] = call.integer(4 + i);
  const auto [n, h, w, c, outH, outW, size, stride, pad] = v;
  check_pool_windows(call, n, h, w, c, outH, outW, size, stride, pad);
  if (call.ok() && elements(n, h, w, c) > 2147483647.0) call.fail("the input has more elements than an int32 index can name");
  const float* x = call.at<float>(1, elements(n, h, w, c));
  int32_t* argmax = call.at<int32_t>(2, elements(n, outH, outW, c));
  float* y = call.at<float>(3, elements(n, outH, outW, c));
  if (call.ok()) kernels.maxPoolArgmax(x, argmax, y, n, h, w, c, outH, outW, size, stride, pad);
  return nullptr;
}

// maxPool(heap, x, y, n, h, w, c, outH, outW, size, stride, pad)
napi_value MaxPool(napi_env env, napi_callback_info info) {
  Call call(env, info, 12, "maxPool");
  int v[9];
  for (int i = 0; i < 9; i++) v[i] = call.integer(3 + i);
  const auto [n, h, w, c, outH, outW, size, stride, pad] = v;
  check_pool_windows(call, n, h, w, c, outH, outW, size, stride, pad);
  const float* x = call.at<float>(1, elements(n, h, w, c));
  float* y = call.at<float>(2, elements(n, outH, outW, c));
  if (call.ok()) kernels.maxPool(x, y, n, h, w, c, outH, outW, size, stride, pad);
  return nullptr;
}

// avgPool2(heap, x, y, n, h, w, c) and avgPool2Spread(heap, dy, dx, n, h, w, c): h, w are the unpooled size
template <bool kSpread>
napi_value AvgPool2(napi_env env, napi_callback_info info) {
  Call call(env, info, 7, kSpread ? "avgPool2Spread" : "avgPool2");
  const int n = call.integer(3), h = call.integer(4), w = call.integer(5), c = call.integer(6);
  if (call.ok() && (n < 1 || h < 2 || w < 2 || c < 1)) call.fail("sizes must be positive and the image at least 2x2");
  const double full = elements(n, h, w, c);
  const double pooled = elements(n, h / 2, w / 2, c);
  const float* in = call.at<float>(1, kSpread ? pooled : full);
  float* out = call.at<float>(2, kSpread ? full : pooled);
  if (call.ok()) (kSpread ? kernels.avgPool2Spread : kernels.avgPool2)(in, out, n, h, w, c);
  return nullptr;
}

// gatherFlat(heap, values, valueCount, indices, out, count)
napi_value GatherFlat(napi_env env, napi_callback_info info) {
  Call call(env, info, 6, "gatherFlat");
  const size_t valueCount = call.count(2);
  const size_t count = call.count(5);
  const float* values = call.at<float>(1, static_cast<double>(valueCount));
  const int32_t* indices = call.at<int32_t>(3, static_cast<double>(count));
  float* out = call.at<float>(4, static_cast<double>(count));
  if (call.ok()) kernels.gatherFlat(values, valueCount, indices, out, count);
  return nullptr;
}

// scatterAddFlat(heap, values, indices, out, groups, valuesPerGroup, outPerGroup)
napi_value ScatterAddFlat(napi_env env, napi_callback_info info) {
  Call call(env, info, 7, "scatterAddFlat");
  const int groups = call.integer(4);
  const size_t valuesPerGroup = call.count(5);
  const size_t outPerGroup = call.count(6);
  if (call.ok() && groups < 1) call.fail("groups must be at least 1");
  const double values = static_cast<double>(groups) * valuesPerGroup;
  const float* v = call.at<float>(1, values);
  const int32_t* indices = call.at<int32_t>(2, values);
  float* out = call.at<float>(3, static_cast<double>(groups) * outPerGroup);
  if (call.ok()) kernels.scatterAddFlat(v, indices, out, groups, valuesPerGroup, outPerGroup);
  return nullptr;
}

// relu(heap, x, y, count)
napi_value Relu(napi_env env, napi_callback_info info) {
  Call call(env, info, 4, "relu");
  const double count = static_cast<double>(call.count(3));
  const float* x = call.at<float>(1, count);
  float* y = call.at<float>(2, count);
  if (call.ok()) kernels.relu(x, y, static_cast<size_t>(count));
  return nullptr;
}

/** out[i] = f(a[i], b[i]): the calls add(heap, a, b, y, count) and reluGrad(heap, dy, x, dx, count). */
napi_value binary(napi_env env, napi_callback_info info, const char* name, void (*kernel)(const float*, const float*, float*, size_t)) {
  Call call(env, info, 5, name);
  const double count = static_cast<double>(call.count(4));
  const float* a = call.at<float>(1, count);
  const float* b = call.at<float>(2, count);
  float* out = call.at<float>(3, count);
  if (call.ok()) kernel(a, b, out, static_cast<size_t>(count));
  return nullptr;
}

napi_value Add(napi_env env, napi_callback_info info) { return binary(env, info, "add", kernels.add); }

napi_value ReluGrad(napi_env env, napi_callback_info info) { return binary(env, info, "reluGrad", kernels.reluGrad); }

// adamUpdate(heap, p, g, m, v, pOut, mOut, vOut, count, learningRate, beta1, beta2, epsilon, firstCorrection, secondCorrection)
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  Call call(env, info, 15, "adamUpdate");
  const double count = static_cast<double>(call.count(8));
  float scalars[6];
  for (int i = 0; i < 6; i++) scalars[i] = static_cast<float>(call.number(9 + i));
  const ddrl::AdamStep step{scalars[0], scalars[1], scalars[2], scalars[3], scalars[4], scalars[5]};
  const float* in[4];
  float* out[3];
  for (int i = 0; i < 4; i++) in[i] = call.at<float>(1 + i, count);
  for (int i = 0; i < 3; i++) out[i] = call.at<float>(5 + i, count);
  if (call.ok()) kernels.adamUpdate(in[0], in[1], in[2], in[3], out[0], out[1], out[2], static_cast<size_t>(count), step);
  return nullptr;
}

// sumToChannels(heap, x, y, rows, channels) and broadcastChannels(heap, v, y, rows, channels)
template <bool kSum>
napi_value ChannelKernel(napi_env env, napi_callback_info info) {
  Call call(env, info, 5, kSum ? "sumToChannels" : "broadcastChannels");
  const size_t rows = call.count(3);
  const int channels = call.integer(4);
  if (call.ok() && channels < 1) call.fail("channels must be at least 1");
  const double full = static_cast<double>(rows) * channels;
  const float* in = call.at<float>(1, kSum ? full : channels);
  float* out = call.at<float>(2, kSum ? channels : full);
  if (call.ok()) (kSum ? kernels.sumToChannels : kernels.broadcastChannels)(in, out, rows, channels);
  return nullptr;
}

// matmul(heap, a, b, c, batch, batchA, batchB, m, k, n, transposeA, transposeB)
napi_value Matmul(napi_env env, napi_callback_info info) {
  Call call(env, info, 12, "matmul");
  int dims[6];
  for (int i = 0; i < 6; i++) dims[i] = call.integer(4 + i);
  const auto [batch, batchA, batchB, m, k, n] = dims;
  const bool transposeA = call.flag(10);
  const bool transposeB = call.flag(11);
  if (call.ok() && (batch < 1 || m < 1 || k < 1 || n < 1 || (batchA != 1 && batchA != batch) || (batchB != 1 && batchB != batch)))
    call.fail("sizes must be positive and each operand's batch 1 or the output's");
  const float* a = call.at<float>(1, static_cast<double>(batchA) * m * k);
  const float* b = call.at<float>(2, static_cast<double>(batchB) * k * n);
  float* c = call.at<float>(3, static_cast<double>(batch) * m * n);
  if (call.ok()) kernels.matmul(a, b, c, batch, batchA, batchB, m, k, n, transposeA, transposeB);
  return nullptr;
}

// info() -> { isa, threads }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value result, isa, threads;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, kernels.isa, NAPI_AUTO_LENGTH, &isa);
  napi_create_int32(env, ddrl::pool_threads(), &threads);
  napi_set_named_property(env, result, "isa", isa);
  napi_set_named_property(env, result, "threads", threads);
  return result;
}

}  // namespace

NAPI_MODULE_INIT() {
  const struct {
    const char* name;
    napi_callback callback;
  } functions[] = {
      {"conv3x3", Conv3x3},
      {"conv3x3FilterGrad", Conv3x3FilterGrad},
      {"maxPoolArgmax", MaxPoolArgmax},
      {"maxPool", MaxPool},
      {"avgPool2", AvgPool2<false>},
      {"avgPool2Spread", AvgPool2<true>},
      {"gatherFlat", GatherFlat},
      {"scatterAddFlat", ScatterAddFlat},
      {"relu", Relu},
      {"add", Add},
      {"adamUpdate", AdamUpdate},
      {"reluGrad", ReluGrad},
      {"sumToChannels", ChannelKernel<true>},
      {"broadcastChannels", ChannelKernel<false>},
      {"matmul", Matmul},
      {"info", Info},
  };
  for (const auto& f : functions) {
    napi_value fn;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.callback, nullptr, &fn);
    napi_set_named_property(env, exports, f.name, fn);
  }
  return exports;
}
