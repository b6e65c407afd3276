import packageJson from '../../package.json' with { type: 'json' };

/** The app's name and version, from package.json (bundled into the Electron build). */
export const appIdentity = { name: 'DDRL Studio', version: packageJson.version } as const;
