// Packaging: `npm run package` (this platform's targets) or `npx electron-builder --linux dir`.
// Offline, point electron-builder at a local Electron instead of GitHub: README, "Packaging".
// JavaScript rather than YAML so the update feed can be left out when none is named (a YAML
// ${env.X} macro fails the build when X is unset).

/** Where electron-updater looks for releases; without it the package has no update feed. */
const updateFeed = process.env['KIOPS_UPDATE_URL'];

/** @type {import('app-builder-lib').Configuration} */
export default {
  appId: 'dev.kiops.desktop',
  productName: 'KIOPS Desktop',
  copyright: 'Copyright © KIOPS',
  directories: { output: 'release', buildResources: 'resources' },
  files: [
    'out/main/**',
    'out/preload/**',
    'out/renderer/**',
    'package.json',
    '!**/*.map',
    // ssh2's optional cpu-features is never built (allowScripts: false); ssh2 runs without it
    '!node_modules/cpu-features/**',
    // better-sqlite3 ships SQLite's sources for rebuilds; the app needs only lib/ and prebuilds/
    '!node_modules/better-sqlite3/{deps,src}/**',
    // the renderer's libraries are bundled into out/renderer; main never loads them
    '!node_modules/{naive-ui,vue,pinia,vue-i18n,@vue,@intlify}/**',
  ],
  asar: true,
  asarUnpack: ['**/*.node'],
  // keytar and better-sqlite3 are Node-API modules (napi_register_module_v1): the binaries npm
  // installed load in Node 24 and in Electron alike, so nothing is rebuilt for Electron's ABI (a
  // rebuild would also need Electron's headers from the internet). scripts/check-native-modules.ts
  // fails the packaging if a dependency ever brings a native module that is not Node-API.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    // the renderer comes from app://kiops, never file://
    grantFileProtocolExtraPrivileges: false,
  },
  // electron-updater's feed, written into the package as app-update.yml. The app only checks it
  // when <data dir>/update-settings.json names a channel (off by default).
  publish: updateFeed ? [{ provider: 'generic', url: updateFeed, channel: 'latest' }] : null,
  linux: {
    target: ['AppImage', 'deb', 'rpm'],
    icon: 'resources/icons',
    category: 'Development',
    maintainer: 'KIOPS',
    synopsis: 'Operate services on Kubernetes and Docker/Podman',
  },
  // keytar reaches the Secret Service through libsecret: electron-builder's default deb
  // dependencies name libsecret-1-0 already; its rpm defaults (repeated here) do not
  rpm: {
    depends: ['gtk3', 'libnotify', 'nss', 'libXScrnSaver', '(libXtst or libXtst6)', 'xdg-utils', 'at-spi2-core', '(libuuid or libuuid1)', 'libsecret'],
  },
  mac: {
    target: 'dmg',
    icon: 'resources/icon.icns',
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'resources/entitlements.mac.plist',
    entitlementsInherit: 'resources/entitlements.mac.plist',
    // signing: CSC_LINK + CSC_KEY_PASSWORD; notarization: APPLE_API_KEY + APPLE_API_KEY_ID +
    // APPLE_API_ISSUER (or APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID). Without them
    // electron-builder builds unsigned and skips notarization, and logs why.
    notarize: true,
  },
  dmg: { icon: 'resources/icon.icns' },
  // signing: WIN_CSC_LINK + WIN_CSC_KEY_PASSWORD (or CSC_LINK + CSC_KEY_PASSWORD)
  win: { target: 'nsis', icon: 'resources/icon.ico' },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    installerIcon: 'resources/icon.ico',
    uninstallerIcon: 'resources/icon.ico',
  },
};
