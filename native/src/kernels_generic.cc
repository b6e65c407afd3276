// The kernels for any CPU: vfloat lowers to the baseline SIMD (SSE2 pairs on x86-64, NEON on arm64).
#define DDRL_ISA generic
#define DDRL_ISA_NAME "generic"
#include "kernels_impl.h"
