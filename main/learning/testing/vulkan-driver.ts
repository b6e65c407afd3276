/**
 * Where the webgpu tests find a Vulkan driver: the system's (a GPU, or Mesa's lavapipe), else
 * SwiftShader, the software Vulkan driver Debian's chromium package ships (CI installs
 * chromium for the end-to-end tests). The dynamic linker reads LD_LIBRARY_PATH when a
 * process starts, so SwiftShader serves only processes started with this environment.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { vulkanLoaderPresent } from '../webgpu.ts';

const CHROMIUM_LIBRARIES = '/usr/lib/chromium';

export type VulkanEnvironment = { readonly env: NodeJS.ProcessEnv; readonly driver: string } | { readonly reason: string };

export function vulkanEnvironment(): VulkanEnvironment {
  if (vulkanLoaderPresent() !== false) return { env: process.env, driver: 'the system Vulkan driver' };
  const icd = join(CHROMIUM_LIBRARIES, 'vk_swiftshader_icd.json');
  if (existsSync(icd) && existsSync(join(CHROMIUM_LIBRARIES, 'libvulkan.so.1'))) {
    const libraries = [CHROMIUM_LIBRARIES, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter);
    return { env: { ...process.env, VK_ICD_FILENAMES: icd, LD_LIBRARY_PATH: libraries }, driver: 'SwiftShader (Debian chromium)' };
  }
  return {
    reason: `no Vulkan driver: no system Vulkan loader (libvulkan.so.1) and no SwiftShader in ${CHROMIUM_LIBRARIES} (apt-get install chromium, or a GPU driver)`,
  };
}
