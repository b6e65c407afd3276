// Eight-float vectors through GCC/Clang vector extensions: one source that the compiler
// lowers to AVX2+FMA (kernels_avx2.cc), to SSE2 pairs or NEON (kernels_generic.cc).
// Included only by kernels_impl.h, inside each instruction set's namespace, so that no
// helper compiled for AVX2 can be linked into the generic kernels.
#pragma once
#include <cstring>

#ifndef DDRL_ISA
#error "simd.h is included by kernels_impl.h with DDRL_ISA set"
#endif

namespace ddrl {
namespace DDRL_ISA {

constexpr int kLanes = 8;
typedef float vfloat __attribute__((vector_size(32)));
typedef int vint __attribute__((vector_size(32)));

// Written out lane by lane: `vfloat{} + a` would cost a scalar add (0 + a is not a no-op for -0.0) before the broadcast.
inline vfloat splat(float a) { return vfloat{a, a, a, a, a, a, a, a}; }
inline vint splat_int(int a) { return vint{a, a, a, a, a, a, a, a}; }
inline vfloat load(const float* p) {
  vfloat v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, vfloat v) { std::memcpy(p, &v, sizeof v); }
inline void store_int(int* p, vint v) { std::memcpy(p, &v, sizeof v); }
/** The first `count` (< kLanes) lanes; the rest of `p` is left alone. */
inline void store_partial(float* p, vfloat v, int count) { std::memcpy(p, &v, count * sizeof(float)); }
inline vfloat load_partial(const float* p, int count) {
  vfloat v = vfloat{};
  std::memcpy(&v, p, count * sizeof(float));
  return v;
}

}  // namespace DDRL_ISA
}  // namespace ddrl
