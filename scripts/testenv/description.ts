// The JSON-serializable description of a running test environment. It crosses process
// boundaries (vitest provide/inject, the CLI's state file), so it holds only plain data:
// paths, ports, pids, versions and command lines, never live objects.

/** Name under which tests/support/global-setup.ts provides the description to test files (vitest inject). */
export const TEST_ENVIRONMENT_KEY = 'kiopsTestEnvironment';

export const PIECE_NAMES = ['docker', 'podman', 'ssh', 'keyring'] as const;
export type PieceName = (typeof PIECE_NAMES)[number];

/** A piece that is not running, and why: tools absent on this machine, or not asked for. */
export interface MissingPiece {
  status: 'missing';
  piece: PieceName;
  reason: 'absent-tools' | 'not-requested';
  /** Each absent thing with the Debian package that brings it, e.g. "dockerd (package docker.io)". */
  missing: string[];
  /** One line naming the piece and what is missing, fit for a skip message. */
  message: string;
}

/** A program to run with fixed leading arguments and extra environment, e.g. the docker CLI aimed at the private socket. */
export interface CommandLine {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface TestImage {
  /** e.g. "kiops/busybox:1" (Podman stores it as "localhost/kiops/busybox:1"; both names resolve). */
  reference: string;
  id: string;
  /** Content of /etc/kiops-release inside the image: "1" or "2", so an image update is visible from inside a container. */
  release: string;
}

/** kiops/busybox:1 and kiops/busybox:2 are different images (different ids); :latest is :2. */
export interface TestImages {
  version1: TestImage;
  version2: TestImage;
  latest: TestImage;
}

export interface DockerDescription {
  status: 'ready';
  piece: 'docker';
  socketPath: string;
  /** `unix://<socketPath>`, for DOCKER_HOST or `docker -H`. */
  host: string;
  engineVersion: string;
  apiVersion: string;
  pid: number;
  logPath: string;
  dataRoot: string;
  /** The docker CLI aimed at this daemon, with a private client config folder. */
  cli: CommandLine;
  images: TestImages;
}

export interface PodmanDescription {
  status: 'ready';
  piece: 'podman';
  socketPath: string;
  host: string;
  engineVersion: string;
  apiVersion: string;
  pid: number;
  logPath: string;
  /** Private storage roots; `cli` already carries them as flags and config files. */
  graphRoot: string;
  runRoot: string;
  /** Local podman CLI on the same private storage (sees the same containers as the service). */
  cli: CommandLine;
  /** podman CLI talking to the API service over its socket (`--remote --url`). */
  remoteCli: CommandLine;
  images: TestImages;
}

export interface SshKey {
  /** ssh key type as in the public key line, e.g. "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256". */
  type: string;
  privateKeyPath: string;
  publicKeyPath: string;
  /** The OpenSSH public key line. */
  publicKey: string;
  /** As `ssh-keygen -l` prints it: "SHA256:…". */
  fingerprint: string;
  /** null when the private key is not encrypted. */
  passphrase: string | null;
}

export interface SshDescription {
  status: 'ready';
  piece: 'ssh';
  host: '127.0.0.1';
  port: number;
  /** The account the authorized keys log into (the user running the tests). */
  user: string;
  pid: number;
  logPath: string;
  configPath: string;
  /** The server's ed25519 host key, for pinning tests. */
  hostKey: { type: string; publicKey: string; fingerprint: string };
  /** All four are authorized for `user`. */
  keys: { ed25519: SshKey; rsa: SshKey; ecdsa: SshKey; ed25519WithPassphrase: SshKey };
}

export interface KeyringDescription {
  status: 'ready';
  piece: 'keyring';
  /** Private D-Bus session bus with gnome-keyring's Secret Service on it. */
  busAddress: string;
  busPid: number;
  keyringPid: number;
  /** The password that unlocked the login keyring. */
  unlockPassword: string;
  /** HOME of gnome-keyring-daemon; keyrings live in <home>/.local/share/keyrings. */
  home: string;
  logPath: string;
  secretToolPath: string;
  /** Environment that points libsecret clients (keytar, secret-tool) at this keyring. */
  env: Record<string, string>;
}

export interface ReadyPieces {
  docker: DockerDescription;
  podman: PodmanDescription;
  ssh: SshDescription;
  keyring: KeyringDescription;
}

export interface TestEnvironmentDescription {
  version: 1;
  /** Private temp folder holding every socket, key, log and data root. */
  folder: string;
  startedAt: string;
  startupMs: number;
  /** true when missing pieces were a hard failure (CI). */
  strict: boolean;
  docker: DockerDescription | MissingPiece;
  podman: PodmanDescription | MissingPiece;
  ssh: SshDescription | MissingPiece;
  keyring: KeyringDescription | MissingPiece;
  /** Variables every test process needs so clients reach the private services (e.g. DBUS_SESSION_BUS_ADDRESS for keytar). */
  env: Record<string, string>;
}

/** The description with the named pieces known to be ready. */
export type TestEnvironmentWith<P extends PieceName> = Omit<TestEnvironmentDescription, P> & { [K in P]: ReadyPieces[K] };

export function missingPieces(description: TestEnvironmentDescription, pieces: readonly PieceName[]): MissingPiece[] {
  const found: MissingPiece[] = [];
  for (const name of pieces) {
    const piece = description[name];
    if (piece.status === 'missing') found.push(piece);
  }
  return found;
}
