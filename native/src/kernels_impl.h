// Every kernel, compiled once per instruction set: kernels_generic.cc and kernels_avx2.cc
// include this with DDRL_ISA (a namespace) and DDRL_ISA_NAME set.
#include "conv_impl.h"
#include "elementwise_impl.h"
#include "kernels.h"
#include "matmul_impl.h"
#include "pool_impl.h"

namespace ddrl {
namespace DDRL_ISA {

extern const KernelTable table = {
    DDRL_ISA_NAME, conv3x3, conv3x3FilterGrad, maxPoolArgmax, maxPool, avgPool2, avgPool2Spread, gatherFlat, scatterAddFlat, relu, add, adamUpdate, reluGrad, sumToChannels, broadcastChannels, matmul,
};

}  // namespace DDRL_ISA
}  // namespace ddrl
