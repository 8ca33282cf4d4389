// Which of pvrecorder's prebuilt binaries each VS Code platform target needs: esbuild.mjs
// copies them into dist/pvrecorder, scripts/packagePlatforms.mjs checks each .vsix holds them.

/** pvrecorder's binary folders (under its lib/) for each vsce target it has binaries for. */
export const PVRECORDER_LIBS = {
  'linux-x64': ['linux/x86_64'],
  // pvrecorder picks a Raspberry Pi build by CPU part (Cortex-A53/A72/A76); other arm64 Linux falls back to the recorders.
  'linux-arm64': ['raspberry-pi/cortex-a53-aarch64', 'raspberry-pi/cortex-a72-aarch64', 'raspberry-pi/cortex-a76-aarch64'],
  'linux-armhf': ['raspberry-pi/cortex-a53', 'raspberry-pi/cortex-a72', 'raspberry-pi/cortex-a76'],
  'darwin-x64': ['mac/x86_64'],
  'darwin-arm64': ['mac/arm64'],
  'win32-x64': ['windows/amd64'],
  'win32-arm64': ['windows/arm64'],
};
