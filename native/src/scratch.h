// Helpers every kernel file shares. Included inside an instruction set's namespace (see
// simd.h): no std templates here or in the kernels, because an instantiation compiled for
// AVX2 is a weak symbol the linker could hand to the generic kernels as well.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "simd.h"

#ifndef DDRL_ISA
#error "scratch.h is included by kernels_impl.h with DDRL_ISA set"
#endif

namespace ddrl {
namespace DDRL_ISA {

inline int lo(int a, int b) { return a < b ? a : b; }
inline int hi(int a, int b) { return a > b ? a : b; }

/** A float buffer that only grows. */
class Floats {
 public:
  Floats() = default;
  explicit Floats(size_t count) { resize(count); }
  Floats(const Floats&) = delete;
  Floats& operator=(const Floats&) = delete;
  ~Floats() { std::free(data_); }
  float* resize(size_t count) {
    if (count > capacity_) {
      std::free(data_);
      data_ = static_cast<float*>(std::malloc(count * sizeof(float)));
      if (!data_) std::abort();
      capacity_ = count;
    }
    return data_;
  }
  float* zeroed(size_t count) {
    std::memset(resize(count), 0, count * sizeof(float));
    return data_;
  }
  float* data() const { return data_; }

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

/** Whole vectors that hold `count` floats. */
inline int padded(int count) { return (count + kLanes - 1) / kLanes * kLanes; }

}  // namespace DDRL_ISA
}  // namespace ddrl
