/** Flags for Chromium on machines with a closed network and no GPU (see the README). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export { findChromium } from '../../scripts/chromium.mjs';
