# The learning core's native kernels (see main/learning/native/README.md).
# Built by `npm install` through scripts/build-native.ts; optional: without it the
# learning core runs on TensorFlow.js's wasm kernels alone.
{
  "target_defaults": {
    "cflags_cc": ["-O3", "-std=gnu++17", "-ffp-contract=fast", "-fno-math-errno", "-fPIC", "-Wno-psabi"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++14"],
    "xcode_settings": {
      "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=gnu++17", "-ffp-contract=fast"],
      "MACOSX_DEPLOYMENT_TARGET": "11.0"
    }
  },
  "targets": [
    {
      "target_name": "ddrl_kernels",
      "sources": ["src/addon.cc", "src/thread_pool.cc", "src/kernels_generic.cc"],
      "conditions": [
        ["target_arch=='x64'", {"dependencies": ["kernels_avx2"], "defines": ["DDRL_HAVE_AVX2"]}],
        ["OS=='linux'", {"libraries": ["-lpthread"]}]
      ]
    },
    {
      "target_name": "kernels_avx2",
      "type": "static_library",
      "sources": ["src/kernels_avx2.cc"],
      "cflags_cc": ["-mavx2", "-mfma"],
      "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-mavx2", "-mfma"]}
    }
  ]
}
