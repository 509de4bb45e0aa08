/** English messages of the first-run screen (no usable OS keychain; the passphrase vault); part of `en.ts`. */
export const enFirstRun = {
  firstRun: {
    title: 'KIOPS Desktop needs a safe place for secrets',
    missing:
      'No OS keychain answered on this computer (no Secret Service, or it is locked). Cluster credentials, SSH keys and the audit key are never written to disk in plain text, so nothing can be added until secrets have a home.',
    detail: 'What the keychain said: {reason}',
    fixTitle: 'Start or unlock a keychain',
    thisComputer: 'this computer',
    linuxTitle: 'Linux',
    linuxKeyring: 'Install a Secret Service (GNOME Keyring, or KWallet with its Secret Service bridge) and log in to a desktop session, which unlocks it:',
    linuxHeadless: 'Headless, over SSH or in a minimal window manager there is no D-Bus session bus: start the app inside one, with the keyring unlocked:',
    wsl: 'WSL: Linux apps cannot reach the Windows Credential Manager. Run the keyring inside dbus-run-session as above, or use a passphrase vault.',
    macTitle: 'macOS',
    mac: 'The login Keychain is used automatically. If it is locked, unlock it in Keychain Access or with:',
    windowsTitle: 'Windows',
    windows: 'Windows Credential Manager is used automatically. Sign in with your own user profile (not a service account) and make sure the Credential Manager service runs:',
    retryKeychain: 'Try the keychain again',
    vaultTitle: 'Or keep secrets in a passphrase vault',
    vaultBody:
      'An encrypted file in the app’s data folder (scrypt key derivation, AES-256-GCM), unlocked with your passphrase once per app start and locked again on quit. The passphrase is never stored: if you forget it, the secrets in the vault are lost.',
    passphrase: 'Passphrase',
    passphraseRepeat: 'Passphrase again',
    passphraseHint: 'At least {min} characters.',
    tooShort: 'The passphrase needs at least {min} characters.',
    mismatch: 'The two passphrases differ.',
    create: 'Create the vault',
    unlockTitle: 'Unlock the passphrase vault',
    unlockBody: 'This computer keeps its secrets in a passphrase vault. Enter its passphrase to use them in this app start.',
    unlock: 'Unlock',
  },
};
