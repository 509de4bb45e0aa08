#!/usr/bin/env bash
# Debian 12 packages the build and the tests need (run as root; CI runs it on a fresh machine).
# Idempotent: when every package is already installed it only checks and exits.
# Daemons are never started here: tests run private instances (scripts/testenv), so a
# policy-rc.d keeps package scripts from starting the machine's own dockerd or sshd.
set -euo pipefail

PACKAGES=(
  # engines: dockerd with its containerd and runc; Podman with conmon (runc is used, crun is podman's default)
  docker.io containerd runc podman conmon crun uidmap golang-github-containers-common
  # SSH server and client tools (ssh-keygen)
  openssh-server openssh-client
  # OS keychain: a private session bus, gnome-keyring, secret-tool to check keytar independently
  dbus dbus-daemon dbus-bin gnome-keyring libsecret-tools
  # keytar builds from source against libsecret
  libsecret-1-dev python3 make g++
  # the test container image is made from the static busybox
  busybox-static
  # end-to-end tests drive the system Chromium
  chromium
  # Korean labels in screenshots need a CJK font
  fonts-noto-cjk
  # VPN and network-namespace tests
  iproute2 openvpn wireguard-tools wireguard-go
  # Docker/Podman Domain Settings tests run a private Caddy (its admin API on a loopback port)
  caddy
  # generic tools the scripts call (tar for the image, umount for cleanup, ps/kill)
  openssl ca-certificates procps tar mount
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all ${#PACKAGES[@]} present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${missing[*]}" >&2
  echo "run as root: sudo bash $0" >&2
  exit 1
fi

echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  created_policy=true
fi
cleanup() { if [ "$created_policy" = true ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

# The archive is sometimes briefly unreachable: retry a few times before failing CI.
for attempt in 1 2 3; do
  if apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    echo "system packages: done"
    exit 0
  fi
  echo "apt attempt $attempt failed; retrying in $((attempt * 10)) s" >&2
  sleep $((attempt * 10))
done
echo "system packages: could not install ${missing[*]}" >&2
exit 1
