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
    if (count != expected) fail("expected " + std::to_string(expected) + " arguments, got " + std::to_string(count));
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
  static constexpr size_t kMaxArgs = 16;
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

// conv3x3(heap, x, filter, bias (-1: none), y, transposedFilter, n, h, w, in, out, outH, outW, stride, padTop, padLeft)
napi_value Conv3x3(napi_env env, napi_callback_info info) {
  Call call(env, info, 16, "conv3x3");
  const bool transposed = call.flag(5);
  const ddrl::ConvGeometry g = geometry(call, 6);
  const float* x = call.at<float>(1, elements(g.n, g.h, g.w, g.in));
  const float* filter = call.at<float>(2, 9.0 * g.in * g.out);
  const float* bias = call.optional_at<float>(3, g.out);
  float* y = call.at<float>(4, elements(g.n, g.outH, g.outW, g.out));
  if (call.ok()) kernels.conv3x3(x, filter, bias, y, g, transposed);
  return nullptr;
}

// conv3x3FilterGrad(heap, x, dy, dw, n, h, w, in, out, outH, outW, stride, padTop, padLeft)
napi_value Conv3x3FilterGrad(napi_env env, napi_callback_info info) {
  Call call(env, info, 14, "conv3x3FilterGrad");
  const ddrl::ConvGeometry g = geometry(call, 4);
  const float* x = call.at<float>(1, elements(g.n, g.h, g.w, g.in));
  const float* dy = call.at<float>(2, elements(g.n, g.outH, g.outW, g.out));
  float* dw = call.at<float>(3, 9.0 * g.in * g.out);
  if (call.ok()) kernels.conv3x3FilterGrad(x, dy, dw, g);
  return nullptr;
}

// maxPoolArgmax(heap, x, argmax, n, h, w, c, outH, outW, size, stride, pad)
napi_value MaxPoolArgmax(napi_env env, napi_callback_info info) {
  Call call(env, info, 12, "maxPoolArgmax");
  int v[9];
  for (int i = 0; i < 9; i++) v[i] = call.integer(3 + i);
  const auto [n, h, w, c, outH, outW, size, stride, pad] = v;
  if (call.ok() && (n < 1 || h < 1 || w < 1 || c < 1 || outH < 1 || outW < 1 || size < 1 || stride < 1 || pad < 0 || pad >= size))
    call.fail("every size must be positive and the padding smaller than the window");
  if (call.ok() && (static_cast<double>(outH - 1) * stride - pad >= h || static_cast<double>(outW - 1) * stride - pad >= w))
    call.fail("the last window lies outside the input");
  if (call.ok() && elements(n, h, w, c) > 2147483647.0) call.fail("the input has more elements than an int32 index can name");
  const float* x = call.at<float>(1, elements(n, h, w, c));
  int32_t* argmax = call.at<int32_t>(2, elements(n, outH, outW, c));
  if (call.ok()) kernels.maxPoolArgmax(x, argmax, n, h, w, c, outH, outW, size, stride, pad);
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
  } functions[] = {{"conv3x3", Conv3x3}, {"conv3x3FilterGrad", Conv3x3FilterGrad}, {"maxPoolArgmax", MaxPoolArgmax}, {"info", Info}};
  for (const auto& f : functions) {
    napi_value fn;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.callback, nullptr, &fn);
    napi_set_named_property(env, exports, f.name, fn);
  }
  return exports;
}
