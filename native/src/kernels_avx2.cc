// The kernels for x86-64 CPUs with AVX2 and FMA (compiled with -mavx2 -mfma; chosen at load time).
#define DDRL_ISA avx2
#define DDRL_ISA_NAME "avx2+fma"
#include "kernels_impl.h"
