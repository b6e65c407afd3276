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

/** A compile-time block size, for the bodies given to in_blocks. */
template <int N>
struct Block {
  static constexpr int size = N;
};

/** Calls body(Block<R>{}, start) for a remainder of exactly R (< MR) items; nothing for 0. */
template <int R, typename Body>
void rest_block(int rest, int start, Body& body) {
  if constexpr (R > 0) {
    if (rest == R)
      body(Block<R>{}, start);
    else
      rest_block<R - 1>(rest, start, body);
  }
}

/**
 * Covers [0, count) with blocks of MR items and one narrower block for the rest, calling
 * body(Block<size>{}, start) for each: the register tiles take their size as a template
 * parameter, so the remainder still runs a fully unrolled tile.
 */
template <int MR, typename Body>
void in_blocks(int count, Body&& body) {
  int start = 0;
  for (; start + MR <= count; start += MR) body(Block<MR>{}, start);
  rest_block<MR - 1>(count - start, start, body);
}

/** Whole vectors that hold `count` floats. */
inline int padded(int count) { return (count + kLanes - 1) / kLanes * kLanes; }

}  // namespace DDRL_ISA
}  // namespace ddrl
